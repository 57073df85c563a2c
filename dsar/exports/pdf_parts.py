"""A long PDF report rendered in parts and joined, so that memory stays bounded.

WeasyPrint lays out a whole document at once: every box of every page lives
until the PDF is written, 1.1 GB for 10,000 records (issue 17). Above
``PARTS_THRESHOLD`` records the report is cut into parts, each its own
WeasyPrint document: the front matter (cover, contents, summary, the Art. 15
information), the data ``RECORDS_PER_PART`` records at a time, and the closing
section. Each part is laid out once, written and dropped before the next, and
the parts are joined with pikepdf. The subject reads the same report as in one pass:

- the parts have no running heads and no page numbers of their own: those of
  the whole report ("Page X of Y", the controller and the reference) are laid
  out last, in one light document of as many blank pages as the report has,
  with the report's own style sheet, and drawn over the joined pages, marked
  as pagination artifacts so that a screen reader passes over them. No part
  depends on the total, so none is laid out twice for it;
- the contents print the page of every section, also of those in later parts:
  the front part is rendered after the others, once they are counted;
- the bookmarks are made again over the joined pages, nested as in one pass;
- the joined file keeps what makes it PDF/A-3a and tagged (Art. 12(1): a
  screen reader reads it): the front part's catalogue (XMP metadata, output
  intent, language, the attached JSON) and one structure tree, into which
  every part's tree is moved, with its page keys renumbered
  (``dsar.exports.pdf_join``).

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

from dsar.exports import pdf_join

PARTS_THRESHOLD = 2_000
RECORDS_PER_PART = 500
# The front part's contents print the page of each later section; should those
# numbers ever change the front part's length, it is laid out again.
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
    bookmarks: list = field(default_factory=list)  # (level, label, page index inside the part, top)
    pdf: bytes = b""


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


def _part_context(context: dict, part: Part, numbers: dict) -> dict:
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


def _write(part: Part, document, options: dict) -> None:
    """Keep what the join needs of a laid-out part: its PDF, pages, anchors and bookmarks."""
    pages = document.pages
    part.pages = len(pages)
    part.anchors = {name: index for index, page in enumerate(pages) for name in page.anchors}
    part.bookmarks = [
        (level, label, index, y) for index, page in enumerate(pages) for level, label, (_x, y), _state in page.bookmarks
    ]
    buffer = io.BytesIO()
    document.write_pdf(buffer, **options)
    part.pdf = buffer.getvalue()


def write_in_parts(
    context: dict,
    out,
    *,
    render: Callable[[str], Any],
    options: dict,
    css_string: Callable[[str], str],
) -> int:
    """Render the report of ``context`` (as ``pdf_export.report_context`` builds
    it, with every table) in parts into ``out``; returns the number of pages.

    ``render`` lays out one HTML document (WeasyPrint's ``Document``);
    ``options`` are those of ``write_pdf`` for the whole report: the front part
    carries the attachment, every part the PDF variant and its tags.
    ``context["sources"]`` is replaced by the sources without their tables: each
    part's rows are let go once it is written, and none are left for the join.
    """
    parts = [Part("front")]
    parts += [
        Part("data", sources=chunk, first=index == 0) for index, chunk in enumerate(split_sources(context["sources"]))
    ]
    parts.append(Part("about"))
    context["sources"] = [
        {key: value for key, value in source.items() if key != "tables"} for source in context["sources"]
    ]
    part_options = {key: value for key, value in options.items() if key != "attachments"}

    # The data and the closing section: no page numbers in them, so each is
    # laid out once, in any order.
    numbers: dict[str, Any] = {"sources": {}, "data": 0, "about": 0}
    for part in parts[1:]:
        _write(
            part, render(render_to_string("exports/report.html", _part_context(context, part, numbers))), part_options
        )
        part.sources = []
        _release_memory()

    # The front last: its contents print where the later parts start, which
    # depends on its own length (one layout more when a first guess is wrong).
    front = parts[0]
    for _attempt in range(MAX_PASSES):
        _firsts, numbers = _numbers(parts)
        document = render(render_to_string("exports/report.html", _part_context(context, front, numbers)))
        settled = len(document.pages) == front.pages
        front.pages = len(document.pages)
        if settled:
            break
    _write(front, document, options)
    del document
    _release_memory()

    firsts, numbers = _numbers(parts)
    margins = render(
        render_to_string(
            "exports/report_margins.html",
            {
                **{key: context[key] for key in ("page_label", "of_label", "LANGUAGE_CODE")},
                "pages": range(numbers["total"]),
                "controller": css_string(context["doc"]["controller"]["name"]),
                "reference": css_string(context["doc"]["reference"]),
            },
        )
    ).write_pdf()
    bookmarks = [
        (level, label, first - 1 + index, top)
        for part, first in zip(parts, firsts, strict=True)
        for level, label, index, top in part.bookmarks
    ]
    pdf_join.join([part.pdf for part in parts], out, bookmarks, margins=margins)
    return numbers["total"]
