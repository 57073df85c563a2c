"""A long PDF report rendered in parts and joined, so that memory stays bounded.

WeasyPrint lays out a whole document at once: every box of every page lives
until the PDF is written, 1.1 GB for 10,000 records (issue 17). Above
``PARTS_THRESHOLD`` records the report is cut into parts, each its own
WeasyPrint document: the front matter (cover, contents, summary, the Art. 15
information), the data ``RECORDS_PER_PART`` records at a time, and the closing
section. Each part is laid out, written and dropped before the next, and the
parts are joined with pikepdf. The subject reads the same report as in one pass:

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

import ctypes
import gc
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string

PARTS_THRESHOLD = 2_000
RECORDS_PER_PART = 500
# A part's pages are counted again when it is written; should the contents'
# page numbers ever change a part's length, the numbers are worked out again.
MAX_PASSES = 3


def _release_memory() -> None:
    """Collect a part's boxes and give the freed heap back to the system.

    glibc keeps freed memory in its arenas; after a part, most of it is free
    but still counted, and the next part's layout lands beside it: without
    ``malloc_trim`` the resident size grew part after part (issue 17)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the collection alone
        pass


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
        if room == 0:  # the part is full: the source's heading goes with its first records
            parts.append([])
            room = per_part
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
        _release_memory()

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
            _release_memory()
        if not changed:
            break
    join(written, out, bookmarks)
    return numbers["total"]


def join(documents: list[bytes], out, bookmarks: list[tuple[int, str, int, float]]) -> None:
    """One PDF of the parts, with the front part's catalogue, one structure tree and the bookmarks.

    pikepdf (qpdf) rather than pypdf: a tagged report has a structure element
    per table cell, 100,000 objects for 10,000 records, which pypdf holds as
    Python objects (550 MB) and writes one by one (six times the size); qpdf
    holds them in C++ and writes them into compressed object streams.
    """
    import pikepdf

    joined = pikepdf.Pdf.open(io.BytesIO(documents[0]))  # the front: cover, contents, attachment, XMP
    tree = joined.Root.StructTreeRoot
    document_element = tree.K[0]
    nums = tree.ParentTree.Nums
    next_key = max((int(key) for key in list(nums)[::2]), default=-1) + 1
    copied_streams: set = set()
    for data in documents[1:]:
        part = pikepdf.Pdf.open(io.BytesIO(data))
        base = len(joined.pages)
        # Copied pages and the structure elements that point to them (/Pg)
        # share qpdf's copy of each object: the elements find the new pages.
        joined.pages.extend(part.pages)
        own_tree = part.Root.StructTreeRoot
        for kid in own_tree.K[0].K:
            copied = joined.copy_foreign(kid)
            copied["/P"] = document_element
            document_element.K.append(copied)
        own_nums = list(own_tree.ParentTree.Nums)
        for position in range(0, len(own_nums), 2):
            nums.append(int(own_nums[position]) + next_key)
            value = own_nums[position + 1]  # a page's array of elements, or one annotation's element
            if value.is_indirect:
                nums.append(joined.copy_foreign(value))
            else:
                nums.append(pikepdf.Array([joined.copy_foreign(element) for element in value]))
        for index, page in enumerate(part.pages):
            target = joined.pages[base + index].obj
            if "/StructParents" in page.obj:
                target["/StructParents"] = int(page.obj.StructParents) + next_key
            for annotation in target.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation["/StructParent"] = int(annotation.StructParent) + next_key
        next_key += max((int(key) for key in own_nums[::2]), default=-1) + 1
        # qpdf reads a copied stream from its source when the file is saved:
        # copied now, each part can be closed (10 MB each, open).
        for page in list(joined.pages)[base:]:
            _own_streams(page.obj, copied_streams)
        part.close()
        del part, own_tree, own_nums
    tree["/ParentTreeNextKey"] = next_key

    # The outline of one pass, made again over the joined pages: each heading
    # under the last one of a higher level before it.
    with joined.open_outline() as outline:
        outline.root.clear()
        parents: dict[int, Any] = {}
        for level, label, page_index, top in bookmarks:
            height = float(joined.pages[page_index].mediabox[3])
            item = pikepdf.OutlineItem(
                label,
                page_index,
                pikepdf.PageLocation.XYZ,
                left=0,
                top=height - top * 0.75,  # CSS pixels from the top to points from the bottom
            )
            parent = next((parents[above] for above in range(level - 1, 0, -1) if above in parents), None)
            (parent.children if parent is not None else outline.root).append(item)
            parents[level] = item
            for deeper in [key for key in parents if key > level]:
                del parents[deeper]
    joined.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)


def _own_streams(start, seen: set) -> None:
    """Give every stream reachable from ``start`` (a copied page: its contents,
    fonts, images) its own copy of its data, still encoded, so that the part it
    came from can be closed before the joined file is written."""
    import pikepdf

    stack = [start]
    while stack:
        item = stack.pop()
        if not isinstance(item, pikepdf.Dictionary | pikepdf.Stream | pikepdf.Array):
            continue
        if item.is_indirect:
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
        if isinstance(item, pikepdf.Stream):
            encoding: Any = item.get("/Filter"), item.get("/DecodeParms")
            item.write(item.read_raw_bytes(), filter=encoding[0], decode_parms=encoding[1])
        if isinstance(item, pikepdf.Array):
            stack.extend(item)
        else:
            # Not back up the page tree or the structure tree: only what the page draws.
            stack.extend(item.get(key) for key in item.keys() if key not in ("/Parent", "/P", "/Pg"))
