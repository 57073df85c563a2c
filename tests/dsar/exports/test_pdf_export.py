"""The PDF report, read back as a person would: with pdftotext."""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader

from dsar.exports import pdf_export, service
from dsar.exports.fetcher import StaticOnlyFetcher
from dsar.models import SourceRecord
from tests.fixtures.exports import pdf_text
from tests.support.export_factories import add_records, make_job

pytestmark = pytest.mark.django_db


def _pdf(spec, **kwargs) -> bytes:
    out = io.BytesIO()
    pdf_export.write_pdf(spec, out, **kwargs)
    return out.getvalue()


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_it_prints_every_article_15_item_in_dutch(job, make_spec, tmp_path):
    with_text = _flat(pdf_text(_pdf(make_spec(job, language="nl")), tmp_path))

    for expected in (
        "Om uw contract en ondersteuning te beheren",  # (a) purposes
        "Contactgegevens",  # (b) categories
        "Mailer Inc.",  # (c) recipients
        "Zeven jaar (boekhoudwet)",  # (d) retention
        "art. 15, lid 1, e)",  # (e) rights
        "Gegevensbeschermingsautoriteit",  # (f) complaint
        "Uw werkgever, toen die u registreerde",  # (g) source
        "Een score van uw betaalgedrag",  # (h) automated decisions
        "Modelcontractbepalingen",  # 15(2) transfer safeguards
    ):
        assert expected in with_text
    # Each cited as Dutch legal texts cite them, never "15(1)(a)".
    for point in "abcdfgh":
        assert f"art. 15, lid 1, {point})" in with_text
    assert "art. 15, lid 2" in with_text
    assert "15(1)" not in with_text and "15(2)" not in with_text


# How the copy cites Art. 15(1)(a) and 15(2) in each language (walkthrough finding: "Art. 15(1)(a)" in Dutch).
CITED = {
    "en": ("Art. 15(1)(a)", "Art. 15(2)"),
    "nl": ("art. 15, lid 1, a)", "art. 15, lid 2"),
    "fr": ("art. 15, paragraphe 1, a)", "art. 15, paragraphe 2"),
    "de": ("Art. 15 Abs. 1 lit. a", "Art. 15 Abs. 2"),
}


@pytest.mark.parametrize("language", ["en", "nl", "fr", "de"])
def test_the_copy_cites_the_gdpr_as_the_subject_s_language_does(job, make_spec, tmp_path, language):
    text = _flat(pdf_text(_pdf(make_spec(job, language=language)), tmp_path))

    point, paragraph = CITED[language]
    assert point in text and paragraph in text


def test_it_prints_the_data_with_accents_page_numbers_and_contents(job, make_spec, tmp_path):
    pdf = _pdf(make_spec(job, language="en"))
    flat = _flat(pdf_text(pdf, tmp_path))
    pages = len(PdfReader(io.BytesIO(pdf)).pages)

    assert "Belde over facturatie — vroeg naar korting één jaar" in flat
    assert "Émile" in flat and "Sint-Niklaas" in flat
    assert "F-2026-0005" in flat
    assert f"Page 2 of {pages}" in flat and f"Page {pages} of {pages}" in flat
    assert "Contents" in flat
    assert "Your data ....." in flat  # the table of contents, with its dotted leaders to the page


def test_table_headers_repeat_on_every_page_of_a_long_table(db, make_spec, tmp_path):
    job = make_job(erp_records=[("invoices", "billing", {"number": f"F-{n:05d}", "amount": n}) for n in range(400)])

    text = pdf_text(_pdf(make_spec(job)), tmp_path)

    data_pages = [page for page in text.split("\f") if "F-0" in page]
    assert len(data_pages) > 3
    # Undeclared columns read by a label made from their name (dsar.exports.columns).
    assert all("Number" in page and "Amount" in page for page in data_pages)


def test_columns_get_the_room_their_values_need_so_a_record_reads_on_one_line(db, make_spec, tmp_path):
    note = "Gesprek nr. {}: vroeg naar één offerte — réponse envoyée"
    contact = {"name": "Lotte Peeters", "email": "lotte.peeters@example.be", "city": "Sint-Niklaas"}
    job = make_job(crm_records=[("contacts", "contact", {**contact, "note": note.format(n)}) for n in range(30)])

    lines = pdf_text(_pdf(make_spec(job)), tmp_path, layout=True).splitlines()

    # Split in equal columns, the note wrapped over three lines beside half-empty cells.
    for n in range(30):
        assert any("Lotte Peeters" in line and note.format(n) in " ".join(line.split()) for line in lines)


def test_a_record_too_wide_for_columns_reads_as_one_numbered_row_of_names_and_values(db, make_spec, tmp_path):
    fields = {f"field_{n:02d}": f"value {n}" for n in range(pdf_export.MAX_TABLE_COLUMNS + 3)}
    job = make_job(crm_records=[("profiles", "contact", {**fields, "field_00": f"Lotte {n}"}) for n in range(3)])

    text = _flat(pdf_text(_pdf(make_spec(job)), tmp_path))

    assert "Fields and values" in text
    for n in range(3):
        # Every field of the record, named, in one row after its number.
        assert f"{n + 1} Field 00: Lotte {n} · Field 01: value 1 ·" in text
        assert "Field 08: value 8" in text


def test_the_pdf_is_pdf_a_with_the_json_attached(job, make_spec):
    (json_file, pdf_file) = service.generate(make_spec(job), ["json", "pdf"])

    reader = PdfReader(io.BytesIO(service.read_file(pdf_file)))
    attachments = reader.attachments
    assert list(attachments) == ["DSAR-2026-00042.json"]
    attached = attachments["DSAR-2026-00042.json"][0]
    assert attached == service.read_file(json_file)
    assert json.loads(attached)["reference"] == "DSAR-2026-00042"
    metadata = reader.xmp_metadata
    assert metadata is not None and "pdfaid" in metadata.rdf_root.toxml()


def test_it_leaves_out_excluded_records(job, make_spec, tmp_path):
    SourceRecord.objects.filter(run__job=job, entity="notes").update(excluded=True, exclusion_note="other person")

    flat = _flat(pdf_text(_pdf(make_spec(job, language="en")), tmp_path))

    assert "vroeg naar korting" not in flat
    assert "1 record left out because it concerns other people" in flat


def test_beyond_the_limit_it_summarises_and_points_to_the_json(job, make_spec, tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_export, "PDF_RECORD_LIMIT", 5)
    flat = _flat(pdf_text(_pdf(make_spec(job), json_bytes=b"{}"), tmp_path))

    assert "more than this report can show" in flat
    assert "DSAR-2026-00042.json" in flat
    assert "F-2026-0001" not in flat


HOSTILE = {
    "img": '<img src="file:///etc/passwd">',
    "link": '<link rel="stylesheet" href="http://169.254.169.254/latest/meta-data/">',
    "css": "</td><style>body { background: url('http://evil.example/track.png') }</style>",
    "iframe": '<iframe src="file:///etc/shadow"></iframe>',
    "obj": "<object data='http://evil.example/x'></object>",
}


class SpyFetcher(StaticOnlyFetcher):
    pass


def test_hostile_data_is_printed_as_text_and_fetches_nothing(db, make_spec, tmp_path, monkeypatch):
    import urllib.request

    def no_network(*args, **kwargs):
        raise AssertionError("the renderer tried to open a URL")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", no_network)
    job = make_job(crm_records=[("customers", "contact", HOSTILE)])
    fetcher = SpyFetcher()

    flat = _flat(pdf_text(_pdf(make_spec(job), fetcher=fetcher), tmp_path))

    # Printed as the data it is (narrow cells wrap it: compare without spaces).
    assert '<imgsrc="file:///etc/passwd">' in flat.replace(" ", "")
    assert "root:x:0:0" not in flat
    assert fetcher.refused == []  # escaped: never even asked for
    assert all(url.endswith("report.css") for url in fetcher.served)


def test_the_fetcher_refuses_files_networks_and_data_uris_even_in_raw_markup(tmp_path):
    from weasyprint import HTML

    fetcher = StaticOnlyFetcher()
    html = (
        '<link rel="stylesheet" href="report.css">'
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
        "<style>@import url('https://evil.example/a.css'); p { background: url('file:///etc/hostname') }</style>"
        '<img src="file:///etc/passwd"><img src="../../../../etc/passwd"><img src="data:image/png;base64,AAAA">'
        '<img src="ftp://evil.example/x"><p>hello</p>'
    )

    HTML(string=html, base_url=fetcher.base_url(), url_fetcher=fetcher).write_pdf(tmp_path / "x.pdf")

    assert [url.rsplit("/", 1)[-1] for url in fetcher.served] == ["report.css"]
    refused = " ".join(fetcher.refused)
    for needle in ("127.0.0.1:9", "evil.example/a.css", "/etc/hostname", "/etc/passwd", "data:image", "ftp://"):
        assert needle in refused


def test_a_large_subject_still_gets_a_pdf_with_every_record_up_to_the_limit(db, make_spec, tmp_path):
    job = make_job(erp_records=[])
    run = job.runs.get(connector__code="erp")
    add_records(run, [("invoices", "billing", {"number": f"N{n:05d}"}) for n in range(1200)])

    flat = _flat(pdf_text(_pdf(make_spec(job)), tmp_path))

    assert "N00000" in flat and "N01199" in flat


def test_a_portability_report_says_what_it_holds_and_what_it_leaves_out_and_why(job, make_spec, tmp_path):
    flat = _flat(pdf_text(_pdf(make_spec(job, kind="portability")), tmp_path))

    assert "where we process it with your consent or to perform a contract with you (Art. 20 GDPR)" in flat
    assert "Not part of this copy" in flat
    assert "Invoices and payments 5 We process this data only on another basis than your consent" in flat
    assert "Customer score 1 We derived or inferred this data ourselves" in flat
    assert "F-2026-0005" not in flat
    # The recipients, with the data each receives (here every category of its activities).
    assert "Data they receive: Invoices and payments" in flat


def test_a_report_with_no_records_says_we_do_not_process_data_about_the_subject(db, make_spec, tmp_path):
    empty = make_job(crm_records=[], erp_records=[])

    flat = _flat(pdf_text(_pdf(make_spec(empty, language="en")), tmp_path))

    assert "We found no records about you in our systems." in flat
    assert "we do not process personal data about you" in flat
    assert "We confirm that we process personal data about you" not in flat


def test_a_report_with_records_confirms_that_we_process_data_about_the_subject(job, make_spec, tmp_path):
    flat = _flat(pdf_text(_pdf(make_spec(job, language="en")), tmp_path))

    assert "We confirm that we process personal data about you." in flat
    assert "we do not process" not in flat


# The DPO on the cover, per language: the title once, then the address (walkthrough finding:
# "Data protection officer: Data Protection Officer · qc@corilus.be").
DPO_TITLE = {
    "en": "Data protection officer",
    "nl": "Functionaris voor gegevensbescherming",
    "fr": "Délégué à la protection des données",
    "de": "Datenschutzbeauftragter",
}


@pytest.mark.parametrize("language", ["en", "nl", "fr", "de"])
def test_the_cover_names_the_dpo_once_when_the_controller_gives_a_title_not_a_name(job, tmp_path, language):
    from dsar.exports.content import ExportSpec
    from dsar.exports.register import register_snapshot
    from tests.support.export_factories import CONTROLLER

    controller = {**CONTROLLER, **CONTROLLER["translations"].get(language, {})}
    spec = ExportSpec(job=job, controller=controller, register=register_snapshot(), language=language)
    cover = _flat(pdf_text(_pdf(spec), tmp_path)).split(job.external_ref, 1)[1][:400]

    title = DPO_TITLE[language]
    assert f"{title} qc@corilus.be" in cover
    assert cover.lower().count(title.lower()) == 1
    named = ExportSpec(
        job=job, controller={**controller, "dpo_name": "Jan Peeters"}, register=register_snapshot(), language=language
    )
    assert f"{title} Jan Peeters · qc@corilus.be" in _flat(pdf_text(_pdf(named), tmp_path))


def test_an_ip_address_an_e_mail_address_or_a_reference_stays_on_one_line_in_a_table(make_spec, tmp_path):
    """Walkthrough finding: a narrow column printed "171.31.109.2" above "9"."""
    notes = "Beker hun hoogte aardappel pistool postzegel zingen naam been ver liefde stop afmaken mama."
    rows = [
        (
            "contacts",
            "contact",
            {
                "date": "10 mei 2024 18:46",
                "channel": "formulier op de website",
                "subject": "Offerte Cyber Protect",
                "notes": notes,
                "ip_address": f"{n}49.152.205.118",
                "email": f"lotte.peeters+{n}@example.be",
            },
        )
        for n in range(1, 4)
    ]
    job = make_job(
        "DSAR-2026-00043", crm_records=rows, erp_records=[("invoices", "billing", {"number": "F-2026-0001"})]
    )
    text = pdf_text(_pdf(make_spec(job, language="nl")), tmp_path, layout=True)

    for n in range(1, 4):
        assert f"{n}49.152.205.118" in text  # one piece on one line
        assert f"lotte.peeters+{n}@example.be" in text


def test_a_value_without_a_space_gets_its_width_only_while_it_fits_the_page():
    """A long value without a space wraps in its share, never pushing the table off the page."""
    columns = ["Address", "Note", "Link"]
    rows = [["149.152.205.118", "word " * 20, "https://example.be/" + "x" * 200]]
    widths = [float(width.rstrip("%")) for width in pdf_export.column_widths(columns, rows)]

    assert abs(sum(widths) - 100) < 0.1
    # The address gets what it needs on one line (about 27 mm of the table's 178 mm);
    # the link, longer than any column can be, no more than its share by length (50 of 117).
    assert widths[0] * 178 / 100 >= 27
    assert widths[2] <= 100 * 50 / 117
