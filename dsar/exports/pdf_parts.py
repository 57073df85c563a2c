"""A long PDF report rendered in parts and joined, so that memory stays bounded.

WeasyPrint lays out a whole document at once: every box of every page lives
until the PDF is written, 1.1 GB for 10,000 records (issue 17). Above
``PARTS_THRESHOLD`` records the report is cut into parts, each its own
WeasyPrint document: the front matter (cover, contents, summary, the Art. 15
information), the data ``RECORDS_PER_PART`` records at a time, and the closing
section. Each part is laid out, written and dropped before the next, and the
parts are joined with pypdf. The subject reads the same report as in one pass:

- page numbers run on across parts and every footer says "Page X of Y" with
  the whole report's Y. The number of pages of a part does not depend on
  what its footer says, so a first layout counts each part's pages and the
  second renders it with its first page number and the total;
- the contents print the page of every section, also of those in later parts;
- the bookmarks are made again over the joined pages, nested as in one pass;
- the joined file keeps what makes it PDF/A-3a and tagged (Art. 12(1): a
  screen reader reads it): the front part's catalogue (XMP metadata, output
  intent, language, the attached JSON) and one structure tree, into which
  every part's tree is moved, with its page keys renumbered.

A new part starts on a new page, so a table cut between two parts leaves the
rest of a page blank and repeats its header on the next, as at a page break.
"""

from __future__ import annotations

import gc
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string

PARTS_THRESHOLD = 2_000
RECORDS_PER_PART = 1_000
# A part's pages are counted again when it is written; should the contents'
# page numbers ever change a part's length, the numbers are worked out again.
MAX_PASSES = 3


@dataclass
class Part:
    name: str  # front, data or about
    sources: list = field(default_factory=list)  # data: the slices of sources it prints
    first: bool = False  # data: the first data part, with the section's heading
    pages: int = 0
    anchors: dict = field(default_factory=dict)  # anchor name -> page index inside the part


def split_sources(sources: list[dict], per_part: int | None = None) -> list[list[dict]]:
    """The data section cut into parts of at most ``per_part`` records.

    A table longer than that is cut; its later slices are marked ``continued``
    (no heading again) and carry the number of rows before them, so that the
    numbered records of a wide table count on.
    """
    per_part = per_part or RECORDS_PER_PART
    parts: list[list[dict]] = [[]]
    room = per_part
    for number, source in enumerate(sources, start=1):
        entry = {**source, "number": number, "tables": [], "continued": False}
        parts[-1].append(entry)
        for table in source.get("tables", []):
            start = 0
            while True:
                if room == 0:
                    entry = {**entry, "tables": [], "continued": True}
                    parts.append([entry])
                    room = per_part
                count = min(room, table["count"] - start)
                entry["tables"].append(
                    {
                        **table,
                        "rows": table["rows"][start : start + count],
                        "records": table["records"][start : start + count],
                        "start": start,
                        "continued": start > 0,
                    }
                )
                start += count
                room -= count
                if start >= table["count"]:
                    break
    return parts


def _part_context(context: dict, part: Part, numbers: dict, css_string: Callable[[str], str]) -> dict:
    doc = context["doc"]
    sources = context["sources"]
    if part.name == "data":
        sources = part.sources
    elif part.name == "front":
        sources = [{**source, "page": numbers["sources"].get(index, 0)} for index, source in enumerate(sources, 1)]
    return {
        **context,
        "sources": sources,
        "part": {
            "name": part.name,
            "first": part.first,
            "first_page": numbers["first_page"],
            "total": css_string(str(numbers["total"])),
            "controller": css_string(doc["controller"]["name"]),
            "reference": css_string(doc["reference"]),
            "pages": {"data": numbers["data"], "about": numbers["about"]},
        },
    }


def _numbers(parts: list[Part]) -> tuple[list[int], dict[str, Any]]:
    """Each part's first page, and the pages the contents print."""
    firsts, page = [], 1
    for part in parts:
        firsts.append(page)
        page += part.pages
    sources: dict[int, int] = {}
    for part, first in zip(parts, firsts, strict=True):
        for name, index in part.anchors.items():
            if name.startswith("source-"):
                sources.setdefault(int(name.removeprefix("source-")), first + index)
    data = next(first for part, first in zip(parts, firsts, strict=True) if part.name == "data")
    return firsts, {"total": page - 1, "sources": sources, "data": data, "about": firsts[-1]}


def write_in_parts(
    context: dict,
    out,
    *,
    render: Callable[[str], object],
    options: dict,
    css_string: Callable[[str], str],
) -> int:
    """Render the report of ``context`` (as ``pdf_export.report_context`` builds
    it, with every table) in parts into ``out``; returns the number of pages.

    ``render`` lays out one HTML document (WeasyPrint's ``Document``);
    ``options`` are those of ``write_pdf`` for the whole report: the front part
    carries the attachment, every part the PDF variant and its tags.
    """
    parts = [Part("front")]
    parts += [
        Part("data", sources=chunk, first=index == 0) for index, chunk in enumerate(split_sources(context["sources"]))
    ]
    parts.append(Part("about"))
    part_options = {key: value for key, value in options.items() if key != "attachments"}

    # First layout: how long each part is, and where its headings fall.
    numbers: dict[str, Any] = {"total": 0, "sources": {}, "data": 0, "about": 0, "first_page": 1}
    for part in parts:
        document = render(render_to_string("exports/report.html", _part_context(context, part, numbers, css_string)))
        part.pages = len(document.pages)  # type: ignore[attr-defined]
        part.anchors = {
            name: index
            for index, page in enumerate(document.pages)  # type: ignore[attr-defined]
            for name in page.anchors
        }
        del document
        gc.collect()

    for _attempt in range(MAX_PASSES):
        firsts, numbers = _numbers(parts)
        written: list[bytes] = []
        bookmarks: list[tuple[int, str, int, float]] = []  # level, label, page of the report, top
        changed = False
        for part, first in zip(parts, firsts, strict=True):
            html = render_to_string(
                "exports/report.html", _part_context(context, part, {**numbers, "first_page": first}, css_string)
            )
            document = render(html)
            pages = document.pages  # type: ignore[attr-defined]
            if len(pages) != part.pages:
                part.pages, changed = len(pages), True
            for index, page in enumerate(pages):
                for level, label, (_x, y), _state in page.bookmarks:
                    bookmarks.append((level, label, first - 1 + index, y))
            buffer = io.BytesIO()
            document.write_pdf(buffer, **(options if part.name == "front" else part_options))  # type: ignore[attr-defined]
            written.append(buffer.getvalue())
            del document, pages, buffer
            gc.collect()
        if not changed:
            break
    join(written, out, bookmarks)
    return numbers["total"]


def join(documents: list[bytes], out, bookmarks: list[tuple[int, str, int, float]]) -> None:
    """One PDF of the parts, with the front part's catalogue, one structure tree and the bookmarks."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, Fit, NameObject, NumberObject

    writer = PdfWriter()
    readers = [PdfReader(io.BytesIO(document)) for document in documents]
    front = readers[0]
    writer.append(front, import_outline=False)
    front_root: Any = front.trailer["/Root"]  # pypdf's objects, read as the PDF reference lays them out
    for key in ("/Metadata", "/OutputIntents", "/MarkInfo", "/Lang", "/ViewerPreferences", "/AF", "/Names"):
        if key in front_root:
            writer._root_object[NameObject(key)] = front_root.raw_get(key).clone(writer)
    if front.metadata:
        # The document information as WeasyPrint wrote it, matching the XMP (PDF/A).
        writer.add_metadata({key: value for key, value in front.metadata.items()})

    tree_reference = front_root.raw_get("/StructTreeRoot").clone(writer)
    writer._root_object[NameObject("/StructTreeRoot")] = tree_reference
    tree = tree_reference.get_object()
    document_element = tree["/K"][0].get_object()
    nums = tree["/ParentTree"].get_object()["/Nums"]
    for index, page in enumerate(front.pages):
        if "/StructParents" in page:
            writer.pages[index][NameObject("/StructParents")] = NumberObject(page["/StructParents"])
    next_key = max((int(key) for key in nums[::2]), default=-1) + 1

    for reader in readers[1:]:
        base = len(writer.pages)
        writer.append(reader, import_outline=False)
        own_root: Any = reader.trailer["/Root"]
        own_tree = own_root["/StructTreeRoot"]
        own_nums = own_tree["/ParentTree"]["/Nums"]
        for kid in own_tree["/K"][0].get_object()["/K"]:
            cloned = kid.clone(writer)
            cloned.get_object()[NameObject("/P")] = document_element.indirect_reference
            document_element["/K"].append(cloned if hasattr(cloned, "idnum") else cloned.indirect_reference)
        for position in range(0, len(own_nums), 2):
            nums.append(NumberObject(int(own_nums[position]) + next_key))
            nums.append(own_nums[position + 1].clone(writer))
        for index, page in enumerate(reader.pages):
            target = writer.pages[base + index]
            own_key: Any = page.get("/StructParents")
            if own_key is not None:
                target[NameObject("/StructParents")] = NumberObject(int(own_key) + next_key)
            annotations: Any = target.get("/Annots", ArrayObject())
            for reference in annotations:
                annotation = reference.get_object()
                if isinstance(annotation, DictionaryObject) and "/StructParent" in annotation:
                    annotation_key: Any = annotation["/StructParent"]
                    annotation[NameObject("/StructParent")] = NumberObject(int(annotation_key) + next_key)
        next_key += max((int(key) for key in own_nums[::2]), default=-1) + 1
    tree[NameObject("/ParentTreeNextKey")] = NumberObject(next_key)

    # The outline of one pass: h2 at the top, h3 under the h2 before it.
    parents: dict[int, Any] = {}
    for level, label, page_index, top in bookmarks:
        height = float(writer.pages[page_index].mediabox.height)
        parent = next((parents[above] for above in range(level - 1, 0, -1) if above in parents), None)
        item = writer.add_outline_item(
            title=label,
            page_number=page_index,
            parent=parent,
            fit=Fit.xyz(left=0, top=height - top * 0.75),  # CSS pixels from the top to points from the bottom
        )
        parents[level] = item
        for deeper in [key for key in parents if key > level]:
            del parents[deeper]
    writer.write(out)
