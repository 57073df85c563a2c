"""The demo subject's own copy, read in Dutch, French and German (Art. 12(1)):
labels instead of column names, values formatted in their language, no
English, and a tagged PDF."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command

from dsar import gathering
from dsar.connectors.base import SubjectIdentity
from dsar.exports import columns, content, csv_export, json_export, pdf_export
from dsar.exports.register import register_snapshot
from dsar.models import ManualTask, SourceRecord
from tests.fixtures.exports import pdf_text

LOTTE = SubjectIdentity(
    email="lotte.peeters@example.be", full_name="Lotte Peeters", phone="+32 470 12 34 56", customer_number="C-100042"
)
# Column names of the demo's sources that no subject should have to read.
RAW_COLUMNS = [
    "customer_no",
    "riziv_number",
    "processing_restricted",
    "dotnet_version",
    "marketing_opt_in",
    "total_excl_vat",
    "customer_id",
    "invoice_id",
    "licence_id",
    "usage_records",
    "invoice_lines",
    "contacted_at",
    "consent_given_at",
]
# English that the configuration or the engine could leak into another language.
ENGLISH = [
    "CRM (demo database)",
    "Camera footage",
    "Marketing platform",
    "Public authorities",
    "Hosting partner",
    "Customer number",
    "Invoice",
    "Newsletter subscriptions",
    "What we found",
    " yes ",
    " of 1",
    "Belgium",
    "Data Protection Officer",
    "Mailing and marketing automation provider",
]
ISO_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
PADDED_DECIMAL = re.compile(r"\d\.\d{2}0{3,}")


@pytest.fixture
def demo_job(live_server, settings, tmp_path, dpo):
    settings.SITE_URL = live_server.url
    settings.DSAR_DEMO_DIR = tmp_path / "demo"
    call_command("load_demo", stdout=StringIO())
    job = gathering.start_job(external_ref="DSAR-DEMO-13", identity=LOTTE)
    task = ManualTask.objects.get(run__job=job)
    gathering.complete_manual_task(
        task, user=dpo, findings="Entrance cameras, last month: no images of her.", nothing_found=True
    )
    return job


def spec_for(job, language, kind="access"):
    # The controller's texts as the desk gives them for a request in this language.
    from requests_app.delivery.selectors import controller_info

    return content.ExportSpec(
        job=job, controller=controller_info(language), register=register_snapshot(), language=language, kind=kind
    )


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_it_gives_the_demo_subject_a_pdf_wholly_in_their_language(demo_job, language, tmp_path):
    spec = spec_for(demo_job, language)
    buffer = io.BytesIO()
    pdf_export.write_pdf(spec, buffer, json_bytes=b"{}", json_sha256="0" * 64)
    text = pdf_text(buffer.getvalue(), tmp_path)
    flat = " ".join(text.split())

    leaked = [name for name in RAW_COLUMNS if name in text]
    assert not leaked, f"raw column names in the {language} PDF: {leaked}"
    assert not ISO_TIMESTAMP.search(text), ISO_TIMESTAMP.search(text).group()
    assert not PADDED_DECIMAL.search(text)
    english = [phrase for phrase in ENGLISH if phrase in f" {flat} "]
    assert not english, f"English in the {language} PDF: {english}"
    expected = {
        "nl": ["Klantnummer", "Klantenbestand", "Camerabeelden", "Vervaldag"],
        "fr": ["Numéro de client", "Fichier clients", "Images des caméras", "Échéance"],
        "de": ["Kundennummer", "Kundendatei", "Kamerabilder", "Fällig am"],
    }[language]
    for phrase in expected:
        assert phrase in text, phrase
    amount = r"€\s\d+,\d\d" if language == "nl" else r"\d+,\d\d\s€"
    assert re.search(amount, text)


def test_the_pdf_is_tagged_pdfa_with_its_language(demo_job, tmp_path):
    if not shutil.which("pdfinfo"):
        pytest.skip("poppler-utils (pdfinfo) is not installed")
    buffer = io.BytesIO()
    pdf_export.write_pdf(spec_for(demo_job, "fr"), buffer, json_bytes=b"{}", json_sha256="0" * 64)
    path = tmp_path / "copy.pdf"
    path.write_bytes(buffer.getvalue())
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout  # noqa: S603,S607
    assert re.search(r"^Tagged:\s+yes", info, re.MULTILINE), info
    structure = subprocess.run(  # noqa: S603
        ["pdfinfo", "-struct", str(path)],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert "Table" in structure and "TH" in structure and "H2" in structure
    from pypdf import PdfReader

    root = PdfReader(io.BytesIO(buffer.getvalue())).trailer["/Root"]
    assert root["/Lang"] == "fr"
    assert root["/MarkInfo"]["/Marked"]
    metadata = root["/Metadata"].get_object().get_data()
    assert b"pdfaid" in metadata and b"3" in metadata


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_the_json_keeps_raw_values_and_labels_them(demo_job, language):
    spec = spec_for(demo_job, language)
    out = io.StringIO()
    json_export.write_json(spec, out)
    document = json.loads(out.getvalue())
    json_schema = pytest.importorskip("jsonschema")
    json_schema.validate(document, json_export.load_schema())
    assert document["schema_version"] == "1.2"

    crm = next(source for source in document["sources"] if source["code"] == "demo-crm")
    customer = next(record for record in crm["records"] if record["entity"] == "customers")
    assert customer["data"]["customer_no"] == "C-100042"  # raw
    assert customer["data"]["marketing_opt_in"] == 1
    tables = {table["entity"]: table for table in crm["tables"]}
    labels = {column["name"]: column for column in tables["customers"]["columns"]}
    assert (
        labels["customer_no"]["label"]
        == {"nl": "Klantnummer", "fr": "Numéro de client", "de": "Kundennummer"}[language]
    )
    assert labels["id"]["shown"] is False and labels["customer_no"]["shown"] is True
    assert labels["gender"]["values"]["F"] == {"nl": "vrouw", "fr": "femme", "de": "weiblich"}[language]
    assert labels["iban"]["category"] == "financial"
    assert tables["invoices"]["label"] == {"nl": "Facturen", "fr": "Factures", "de": "Rechnungen"}[language]
    assert {"entity", "label", "columns"} <= set(tables["contacts"])

    camera = next(source for source in document["sources"] if source["code"] == "camera-footage")
    assert camera["nothing_found"] is True and camera["record_count"] == 0 and camera["records"] == []
    assert camera["name"] == {"nl": "Camerabeelden", "fr": "Images des caméras", "de": "Kamerabilder"}[language]


def test_the_summary_counts_categories_held_in_columns_and_not_a_search_that_found_nothing(demo_job):
    head = content.header(spec_for(demo_job, "nl"))
    counts = {row["category"]: row["count"] for row in head["summary"]["categories"]}
    # The customer record holds the IBAN, the national number and the RIZIV number.
    assert counts["financial"] > SourceRecord.objects.filter(run__job=demo_job, category="financial").count()
    assert counts["national-number"] == 1
    assert counts["riziv-ehealth"] >= 1
    assert "camera-images" not in counts
    assert head["summary"]["total_records"] == SourceRecord.objects.filter(run__job=demo_job).count()


def test_the_portability_copy_leaves_out_columns_its_scope_leaves_out(demo_job):
    spec = spec_for(demo_job, "nl", kind="portability")
    buffer = io.BytesIO()
    csv_export.write_csv_zip(spec, buffer)
    import csv
    import zipfile

    archive = zipfile.ZipFile(buffer)
    with archive.open("demo-crm__customers.csv") as member:
        header = next(csv.reader(io.TextIOWrapper(member, encoding="utf-8-sig")))
    assert "iban" not in header  # financial: billing under the accounting law, not portable
    assert "customer_no" in header
    with archive.open(csv_export.SCOPE_FILE) as member:
        scope = list(csv.DictReader(io.TextIOWrapper(member, encoding="utf-8-sig")))
    in_copy = {row["category"] for row in scope if row["in_copy"] == "true"}
    left_out = {row["category"] for row in scope if row["in_copy"] == "false"}
    assert "financial" in left_out and "financial" not in in_copy
    # Every category the files hold is one scope.csv says is in the copy.
    held = set()
    for name in archive.namelist():
        if name == csv_export.SCOPE_FILE:
            continue
        with archive.open(name) as member:
            reader = csv.DictReader(io.TextIOWrapper(member, encoding="utf-8-sig"))
            for row in reader:
                held.add(row["category"])
    assert held <= in_copy


@pytest.mark.parametrize(
    ("value", "column", "language", "expected"),
    [
        ("2024-12-01T11:57:35.661709", {"format": "datetime"}, "nl", "1 december 2024 11:57"),
        ("5.9400000000", {}, "nl", "5,94"),
        ("5.94", {"format": "amount", "currency": "EUR"}, "fr", "5,94\u00a0€"),
        ("5.94", {"format": "amount", "currency": "EUR"}, "nl", "€\u00a05,94"),
        (1, {"format": "boolean"}, "de", "ja"),
        (0, {"format": "boolean"}, "fr", "non"),
        ("F", {"values": {"F": {"nl": "vrouw", "en": "female"}}}, "nl", "vrouw"),
        ("2024-03-14", {}, "de", "14. März 2024"),
        ("4.8", {}, "nl", "4.8"),  # a version number stays as it is
    ],
)
def test_it_formats_values_in_the_subjects_language(value, column, language, expected):
    from django.utils import translation

    with translation.override(language):
        assert columns.format_value(value, columns.Column("c", column), language) == expected


@pytest.mark.parametrize(
    ("name", "visible", "label"),
    [
        # A key is labelled in the reader's language and marked technical (not "Id", "Customer id").
        ("id", False, "Intern nummer (technisch)"),
        ("customer_id", False, "Intern nummer van een gekoppeld record (technisch)"),
        ("SupportRepId", False, "Intern nummer van een gekoppeld record (technisch)"),
        ("TrackId", False, "Intern nummer van een gekoppeld record (technisch)"),
        ("customer_no", True, "Customer no"),
        ("dotnet_version", True, "Dotnet version"),
    ],
)
def test_undeclared_columns_get_a_readable_label_and_keys_are_hidden_and_marked_technical(name, visible, label):
    column = columns.Column(name)
    assert column.visible is visible
    assert column.label("nl") == label
