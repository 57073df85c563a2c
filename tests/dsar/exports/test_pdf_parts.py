"""A long report rendered in parts and joined (dsar.exports.pdf_parts), read
back as a person would: every record, "Page X of Y" on every page, the
contents and the bookmarks pointing to the pages where the sections start."""

from __future__ import annotations

import io
import re

import pikepdf
import pytest
from pypdf import PdfReader

from dsar.exports import pdf_export, pdf_parts, service
from tests.fixtures.exports import pdf_text
from tests.support.export_factories import add_records, make_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_parts(monkeypatch):
    """Parts of 150 records past 200: the joining is what is tested, not the volume."""
    monkeypatch.setattr(pdf_parts, "PARTS_THRESHOLD", 200)
    monkeypatch.setattr(pdf_parts, "RECORDS_PER_PART", 150)


def _long_job():
    job = make_job(crm_records=[], erp_records=[])
    add_records(
        job.runs.get(connector__code="erp"), [("invoices", "billing", {"number": f"N{n:05d}"}) for n in range(400)]
    )
    add_records(
        job.runs.get(connector__code="crm"),
        [("contacts", "contact", {"name": f"Lotte {n}", "city": "Sint-Niklaas"}) for n in range(60)],
    )
    return job


def _pdf(spec, **kwargs) -> bytes:
    out = io.BytesIO()
    pdf_export.write_pdf(spec, out, **kwargs)
    return out.getvalue()


def test_a_long_report_in_parts_has_every_record_and_continuous_page_numbers(small_parts, make_spec, tmp_path):
    job = _long_job()
    calls = []
    original = pdf_parts.write_in_parts
    pdf_parts_spy = lambda *args, **kwargs: calls.append(1) or original(*args, **kwargs)  # noqa: E731
    pdf = None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf_parts, "write_in_parts", pdf_parts_spy)
        pdf = _pdf(make_spec(job, language="en"))
    assert calls, "the report was not rendered in parts"

    pages = PdfReader(io.BytesIO(pdf)).pages
    text = pdf_text(pdf, tmp_path)
    printed = text.split("\f")[: len(pages)]

    flat = " ".join(text.split())
    for n in range(400):
        assert f"N{n:05d}" in flat
    for n in range(60):
        assert f"Lotte {n} " in flat
    # The cover has no footer; every other page says where it is in the whole report.
    assert "Page 1 of" not in printed[0]
    for number, page in enumerate(printed[1:], start=2):
        assert f"Page {number} of {len(pages)}" in " ".join(page.split())
    # The running heads go on in every part.
    assert [n for n, page in enumerate(printed) if "DSAR-2026-00042" not in page] == []


def _contents(text: str) -> dict[str, int]:
    """The contents page's entries: title -> the page number printed after its dots."""
    entries = {}
    for line in text.split("\f")[1].splitlines():
        found = re.match(r"\s*(.+?)\s*\.{3,}\s*(\d+)\s*$", line)
        if found:
            entries[found.group(1)] = int(found.group(2))
    return entries


def test_the_contents_and_bookmarks_of_a_report_in_parts_point_to_the_right_pages(small_parts, make_spec, tmp_path):
    job = _long_job()
    pdf = _pdf(make_spec(job, language="en"))
    reader = PdfReader(io.BytesIO(pdf))
    text = pdf_text(pdf, tmp_path, layout=True)
    printed = text.split("\f")

    contents = _contents(text)
    for title, heading in (("Your data", "Your data"), ("About this document", "About this document")):
        assert heading in printed[contents[title] - 1]
    crm, erp = ("Customer relations (CRM)", "Invoicing (ERP)")
    sources = [title for title in contents if title in (crm, erp) or "CRM" in title or "ERP" in title]
    assert len(sources) == 2
    for title in sources:
        assert title in printed[contents[title] - 1]
    # The second source starts in a later part than the first data page.
    assert max(contents[title] for title in sources) > contents["Your data"] + 1

    # The bookmarks nest as in one pass: the title, its parts, the sources under "Your data".
    (title, parts) = reader.outline
    assert title.title == "Copy of your personal data"
    top = [item for item in parts if not isinstance(item, list)]
    assert [item.title for item in top] == [
        "Contents",
        "What we hold about you",
        "How we process your data",
        "Your data",
        "About this document",
    ]
    data_children = parts[parts.index(top[3]) + 1]
    assert sorted(item.title for item in data_children) == sorted(sources)
    for item in data_children:
        assert reader.get_destination_page_number(item) + 1 == contents[item.title]
    assert reader.get_destination_page_number(top[3]) + 1 == contents["Your data"]
    assert reader.get_destination_page_number(top[4]) + 1 == contents["About this document"]


def test_a_report_in_parts_stays_tagged_pdf_a_with_the_json_attached(small_parts, make_spec):
    job = _long_job()
    (json_file, pdf_file) = service.generate(make_spec(job), ["json", "pdf"])
    reader = PdfReader(io.BytesIO(service.read_file(pdf_file)))
    root = reader.trailer["/Root"]

    assert reader.attachments["DSAR-2026-00042.json"][0] == service.read_file(json_file)
    assert "pdfaid" in reader.xmp_metadata.rdf_root.toxml()
    assert root["/MarkInfo"]["/Marked"] and root["/Lang"] == "en"
    # One structure tree: every page's key finds its marked content's elements.
    tree = root["/StructTreeRoot"]
    nums = tree["/ParentTree"]["/Nums"]
    keys = {int(key) for key in nums[::2]}
    page_keys = [int(page["/StructParents"]) for page in reader.pages]
    assert len(set(page_keys)) == len(reader.pages) and set(page_keys) <= keys
    assert int(tree["/ParentTreeNextKey"]) > max(keys)
    mapping = dict(zip((int(key) for key in nums[::2]), nums[1::2], strict=True))
    for index, page in enumerate(reader.pages):
        marked = mapping[int(page["/StructParents"])]
        pages_of = {element.raw_get("/Pg").idnum for element in marked if "/Pg" in element}
        assert marked and pages_of == {page.indirect_reference.idnum}, index
        # Each element hangs in the one tree, under the document.
        ancestor = marked[0]
        while ancestor.get("/S") != "/Document":
            ancestor = ancestor["/P"]
        assert ancestor.raw_get("/P").idnum == root.raw_get("/StructTreeRoot").idnum


def test_a_screen_reader_finds_each_cell_s_text_in_its_cell_and_passes_over_the_page_numbers(small_parts, make_spec):
    job = _long_job()
    pdf = _pdf(make_spec(job, language="en"))
    with pikepdf.open(io.BytesIO(pdf)) as document:
        nums = list(document.Root.StructTreeRoot.ParentTree.Nums)
        marked = dict(zip((int(key) for key in nums[::2]), nums[1::2], strict=True))
        cells = 0
        for page in document.pages[1:]:
            # Each run of text in a table cell is marked in the cell itself.
            for identifier, element in enumerate(marked[int(page.obj.StructParents)]):
                if element.S in (pikepdf.Name.TD, pikepdf.Name.TH):
                    kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
                    assert identifier in [int(kid) for kid in kids]
                    assert element.Pg.objgen == page.obj.objgen
                    cells += 1
            # The running heads and "Page X of Y" are drawn inside a pagination artifact.
            artifact, drawn = False, []
            for operands, operator in pikepdf.parse_content_stream(page):
                if operator == pikepdf.Operator("BDC") and operands[0] == pikepdf.Name.Artifact:
                    artifact = operands[1].Type == pikepdf.Name.Pagination
                elif operator == pikepdf.Operator("EMC"):
                    artifact = False
                elif operator == pikepdf.Operator("Do") and str(operands[0]).startswith("/Margins"):
                    drawn.append(artifact)
            assert drawn == [True]
    # 400 invoices of one column and 60 contacts of two, and their headers.
    assert cells >= 400 + 2 * 60


def test_a_small_report_is_still_made_in_one_pass(job, make_spec, monkeypatch):
    monkeypatch.setattr(pdf_parts, "write_in_parts", lambda *args, **kwargs: pytest.fail("rendered in parts"))
    assert _pdf(make_spec(job)).startswith(b"%PDF")


def test_parts_cut_long_tables_and_start_a_source_with_its_records():
    table = {"count": 5, "rows": list("abcde"), "records": [], "label": "Invoices"}
    other = {"count": 2, "rows": list("xy"), "records": [], "label": "Contacts"}
    parts = pdf_parts.split_sources([{"tables": [table]}, {"tables": [other]}], per_part=5)

    # The first source fills the first part exactly: the second starts the next one, heading and all.
    assert [[(entry["number"], entry["continued"]) for entry in part] for part in parts] == [[(1, False)], [(2, False)]]
    cut = pdf_parts.split_sources([{"tables": [table]}], per_part=2)
    assert [[t["rows"] for entry in part for t in entry["tables"]] for part in cut] == [
        [["a", "b"]],
        [["c", "d"]],
        [["e"]],
    ]
    # The later slices carry on: no heading again, numbers counted on.
    assert [t["start"] for part in cut for entry in part for t in entry["tables"]] == [0, 2, 4]
    assert [entry["continued"] for part in cut for entry in part] == [False, True, True]
