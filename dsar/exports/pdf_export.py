"""The PDF report a person reads: WeasyPrint from ``templates/exports/``.

Cover, table of contents, summary per category, the Art. 15 information,
then the data per source as tables whose headers repeat on every page. Up to
``PDF_RECORD_LIMIT`` records are all printed; beyond that the report
summarises per table and points to the JSON, which is attached inside the
PDF (PDF/A-3a: tagged, with its language). Fonts are Debian's DejaVu (fonts-dejavu), found by
fontconfig, so accented letters of Dutch, French and German render. Past
``pdf_parts.PARTS_THRESHOLD`` records the report is rendered in parts and
joined (``dsar.exports.pdf_parts``), so that memory stays bounded.

WeasyPrint is imported here only, and only when a PDF is made: at import it
loads Pango, GLib and HarfBuzz from the system, and a machine without them
must still migrate, serve the desk and make the JSON and CSV files. Without
them a PDF fails with ``PdfUnavailable``, which names the Debian packages.
"""

from __future__ import annotations

import gc
import logging
import re
import subprocess
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from dsar.exports import content, pdf_parts

if TYPE_CHECKING:
    from dsar.exports.fetcher import StaticOnlyFetcher

log = logging.getLogger(__name__)

PDF_RECORD_LIMIT = 10_000
# Beyond this many columns a table is unreadable on A4: each record becomes
# a small field/value table instead.
MAX_TABLE_COLUMNS = 6
# A column's share of the page follows the length of its longest value, up to
# this many characters: past it the value wraps anyway, and one long note must
# not squeeze every other column into a sliver.
COLUMN_CAP = 48
# No column narrower than this many characters, so a short code stays on one line.
COLUMN_FLOOR = 6
# What a value written without a space needs to stay on one line in a data table:
# the table's width on A4 (210 mm less the 16 mm margins of config/static/exports/
# report.css), its font size (7.5 pt) and the cell's padding (1.5 mm each side)
# plus a margin for the estimate below.
TABLE_WIDTH_MM = 178.0
DATA_EM_MM = 7.5 * 25.4 / 72
CELL_PADDING_MM = 4.0
# Such columns take at most this share of the table together: past it their values
# wrap in their cells rather than push the table off the page.
UNBROKEN_SHARE_MAX = 0.6
# Advance widths of DejaVu Sans in em, rounded up per class of character: a
# conservative estimate, so that the value surely fits the width it is given.
_NARROW = frozenset(".,:;'|!ijlft-/()[]")
_WIDE = frozenset("@%&mwMW")
# Allocations between two collections of the youngest generation during a render.
GC_THRESHOLD = 100_000
_weasyprint_frozen = False


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot run here: the Python package or a system library it loads is missing.

    ``missing`` is what failed to load (e.g. ``libgobject-2.0-0``);
    ``packages`` the Debian packages that provide the PDF libraries, from
    system-packages.txt. Not an ``OSError``: retrying cannot install a
    library, so the export task must not retry it as it does a full disk.
    """

    def __init__(self, missing: str, packages: list[str]):
        self.missing = missing
        self.packages = packages
        super().__init__(f"PDF export unavailable: {missing} cannot be loaded. Install: {self.apt_line}")

    @property
    def apt_line(self) -> str:
        if not self.packages:  # the list could not be read: the script installs from it
            return "sudo scripts/system-deps ensure pdf"
        return "sudo apt-get install " + " ".join(self.packages)


def pdf_packages() -> list[str]:
    """The Debian packages of the PDF libraries for this release, as ``make run`` installs them."""
    script = Path(settings.BASE_DIR) / "scripts" / "system-deps"
    try:
        listed = subprocess.run([script, "list", "pdf"], capture_output=True, text=True, timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return []
    return listed.stdout.split()


def _weasyprint():
    """WeasyPrint's ``HTML`` and ``Attachment`` and our fetcher, or ``PdfUnavailable``.

    cffi opens the shared libraries while ``weasyprint`` is imported, so a
    missing one is an ``OSError`` ("cannot load library 'libgobject-2.0-0'")
    at that point; a missing Python package is an ``ImportError``.
    """
    try:
        from weasyprint import HTML, Attachment

        from dsar.exports.fetcher import StaticOnlyFetcher
    except (ImportError, OSError) as exc:
        found = re.search(r"cannot load library '([^']+)'", str(exc))
        missing = found.group(1) if found else (getattr(exc, "name", None) or str(exc).splitlines()[0])
        log.error("WeasyPrint cannot be loaded (%s): no PDF can be made on this machine.", missing)
        raise PdfUnavailable(missing, pdf_packages()) from exc
    return HTML, Attachment, StaticOnlyFetcher


def css_string(text: str) -> str:
    """A CSS string literal of our own (translated) text, every odd character escaped."""
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):06x}" for c in text) + '"'


def column_widths(columns: list[str], rows: list[list[str]]) -> list[str]:
    """Each column's width in percent (as CSS text), after the longest value it holds.

    The data tables use ``table-layout: fixed``, which sizes columns without
    measuring every cell; alone it would split the page into equal columns,
    wrapping a long note over three lines beside a name that fills a fifth of
    its cell, and so doubling the pages. Lengths in characters are a close
    enough guess for DejaVu Sans.

    A column whose values are each written without a space (an IP address, an
    e-mail address, a reference such as F-2026-0001) gets at least the width of
    its longest value, the other columns sharing the rest: cut in two, such a
    value reads as two (walkthrough finding: "171.31.109.2" above "9"). The
    data cells may still break a value anywhere, so one longer than the page
    wraps instead of overflowing it.
    """
    weights = []
    for index, column in enumerate(columns):
        longest = max((len(row[index]) for row in rows), default=0)
        # Headers are bold, about a fifth wider: room for their longest word keeps it whole.
        header_word = max((len(word) for word in column.split()), default=0) * 6 // 5 + 1
        # Plus the cell's padding, about two characters.
        weights.append(max(COLUMN_FLOOR, header_word, min(longest, COLUMN_CAP)) + 2)
    total = sum(weights)
    shares = [weight / total for weight in weights]
    unbroken = {}
    for index in range(len(columns)):
        need = _unbroken_share([row[index] for row in rows])
        if need > shares[index]:
            unbroken[index] = need
    if unbroken and sum(unbroken.values()) <= UNBROKEN_SHARE_MAX:
        others = sum(share for index, share in enumerate(shares) if index not in unbroken)
        left = 1 - sum(unbroken.values())
        shares = [unbroken.get(index, share * left / others if others else 0) for index, share in enumerate(shares)]
    # A dot, never a comma, whatever the subject's language: this is CSS.
    return [f"{100 * share:.2f}%" for share in shares]


def _unbroken_share(values: list[str]) -> float:
    """The share of the table that the longest of ``values`` needs on one line,
    when each is written without a space and none is longer than COLUMN_CAP; else 0."""
    for value in values:
        if len(value) > COLUMN_CAP or len(value.split(maxsplit=1)) > 1:
            return 0.0
    widest = 0.0
    # Longest first: a value of n characters is at most n em wide, so the rest cannot be wider.
    for value in sorted(set(values), key=len, reverse=True):
        if len(value) <= widest:
            break
        em = sum(0.4 if c in _NARROW else 1.0 if c in _WIDE else 0.78 if c.isupper() else 0.64 for c in value)
        widest = max(widest, em)
    return (widest * DATA_EM_MM + CELL_PADDING_MM) / TABLE_WIDTH_MM if widest else 0.0


def _tables(spec: content.ExportSpec, source: content.SourceInfo) -> list[dict]:
    """The source's records grouped per table (entity), columns in order of
    appearance, each with its label and its values formatted in the subject's
    language (``dsar.exports.columns``); technical and foreign keys are left
    out unless the source declares them visible (Art. 12(1): intelligible)."""
    grouped: OrderedDict[str, dict] = OrderedDict()
    for record in content.records(spec, source.run):
        data = content.shown_data(spec, record)
        table = grouped.get(record.entity)
        if table is None:
            table = grouped[record.entity] = {
                "entity": record.entity,
                "table": spec.table(record),
                "columns": {},
                "rows": [],
            }
        table["columns"].update(dict.fromkeys(data))
        table["rows"].append(data)
    tables = []
    lang = spec.language
    for table in grouped.values():
        declared = table["table"]
        shown = [declared.column(name) for name in table["columns"] if declared.column(name).visible]
        columns = [column.label(lang) for column in shown]
        rows = [[column.show(data.get(column.name), lang) for column in shown] for data in table["rows"]]
        wide = len(columns) > MAX_TABLE_COLUMNS
        tables.append(
            {
                "entity": table["entity"],
                "label": declared.label(lang),
                "columns": columns,
                "rows": rows,
                "wide": wide,
                "widths": [] if wide else column_widths(columns, rows),
                "records": [list(zip(columns, row, strict=True)) for row in rows] if wide else [],
                "count": len(rows),
                "start": 0,  # rows before these (a table cut into parts: dsar.exports.pdf_parts)
                "continued": False,
            }
        )
    return tables


def _entity_counts(spec: content.ExportSpec, source: content.SourceInfo) -> list[dict]:
    from django.db.models import Count

    from dsar.models import SourceRecord

    rows = (
        SourceRecord.objects.filter(run=source.run)
        .filter(spec.record_filter())
        .values("entity")
        .annotate(n=Count("id"))
        .order_by("entity")
    )
    return [
        {
            "entity": row["entity"],
            "label": spec.catalogue.table(source.code, row["entity"]).label(spec.language),
            "count": row["n"],
        }
        for row in rows
    ]


def render_html(spec: content.ExportSpec, *, json_sha256: str = "", json_filename: str = "") -> str:
    """The report as one HTML document (rendered in one pass)."""
    context = report_context(spec, json_sha256=json_sha256, json_filename=json_filename)
    with translation.override(spec.language):
        return render_to_string("exports/report.html", context)


def report_context(spec: content.ExportSpec, *, json_sha256: str = "", json_filename: str = "") -> dict:
    """What the report's template prints: the header, and per source its tables
    (or, past ``PDF_RECORD_LIMIT``, its counts per table)."""
    head = content.header(spec)
    source_list = content.sources(spec)
    total = head["summary"]["total_records"]
    complete = total <= PDF_RECORD_LIMIT
    with translation.override(spec.language):
        sources = []
        for source in source_list:
            entry: dict[str, object] = {"info": source.as_dict(spec.language)}
            if complete:
                entry["tables"] = _tables(spec, source)
            else:
                entry["entity_counts"] = _entity_counts(spec, source)
            sources.append(entry)
        context = {
            "doc": head,
            "info": head["information"],
            "sources": sources,
            "complete": complete,
            "limit": PDF_RECORD_LIMIT,
            "total": total,
            "generated": formats.date_format(timezone.localtime(spec.generated_at), "DATETIME_FORMAT"),
            "json_sha256": json_sha256,
            "json_filename": json_filename,
            "page_label": css_string(_("Page")),
            "of_label": css_string(_("of")),
            "LANGUAGE_CODE": spec.language,
        }
    return context


@contextmanager
def _few_garbage_collections():
    """Let the cyclic garbage collector run less often while WeasyPrint renders.

    A render builds hundreds of thousands of objects that all live until the
    PDF is written; with the default threshold (700) every few hundred of them
    start a collection that walks them all again, which took a quarter of the
    CPU time of the 1,000-record benchmark. Raising the first generation's
    threshold keeps some collections without that cost. Process-wide, so
    restored right after; then one full collection frees the render's own
    cycles (boxes point to their parents), which the fewer passes left for
    later: in a worker they piled up export after export (a million objects
    for 1,000 wide records) before the oldest generation's turn came.

    That collection walks every object the collector tracks: the worker's
    start-up objects are frozen out of it (config/celery_app.py), and after
    the first render, WeasyPrint's own modules and caches, imported lazily
    here, are frozen too (once per process: what is frozen is never
    collected, so only this first render's survivors are).
    """
    global _weasyprint_frozen
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], GC_THRESHOLD), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.collect()
        if not _weasyprint_frozen and gc.get_freeze_count():
            # Only where start-up objects were frozen (a worker), not in a
            # test or a management command that happens to make a PDF.
            gc.freeze()
            _weasyprint_frozen = True


def write_pdf(
    spec: content.ExportSpec,
    out,
    *,
    json_bytes: bytes | None = None,
    json_sha256: str = "",
    archival: bool = True,
    fetcher: StaticOnlyFetcher | None = None,
) -> int:
    """Render the report into ``out``; returns the number of pages.

    ``archival`` makes a PDF/A-3a with the JSON document attached inside it:
    level A of PDF/A is the accessible one, tagged with the document's
    logical structure (headings, tables, reading order) and its language (the
    ``lang`` of the report's HTML), so that a screen reader reads a blind
    subject their own copy (Art. 12(1)). WeasyPrint 70 writes one variant's
    identification: PDF/UA-1 (``pdf/ua-1``) cannot be declared beside PDF/A-3
    with its attachment, so a staff preview (not archival) is a tagged
    PDF/UA-1 instead.
    Raises ``PdfUnavailable`` when WeasyPrint cannot be loaded on this machine.
    """
    HTML, Attachment, StaticOnlyFetcher = _weasyprint()  # the classes, under their own names
    fetcher = fetcher or StaticOnlyFetcher()
    json_filename = f"{spec.reference}.json"
    # Tagged in every case: the structure tree gives the reading order.
    options: dict = {"pdf_tags": True}
    if archival:
        options["pdf_variant"] = "pdf/a-3a"
    else:
        options["pdf_variant"] = "pdf/ua-1"
    if json_bytes is not None:
        with translation.override(spec.language):
            description = _("Your data as JSON (machine-readable)")
        options["attachments"] = [
            Attachment(
                string=json_bytes,
                name=json_filename,
                description=description,
                relationship="Data",
                url_fetcher=fetcher,
            )
        ]
    context = report_context(spec, json_sha256=json_sha256, json_filename=json_filename if json_bytes else "")

    def render(html: str):
        return HTML(string=html, base_url=fetcher.base_url(), url_fetcher=fetcher).render()

    with _few_garbage_collections(), translation.override(spec.language):
        if context["complete"] and context["total"] > pdf_parts.PARTS_THRESHOLD:
            # Bounded memory: one part laid out at a time (issue 17).
            pages = pdf_parts.write_in_parts(context, out, render=render, options=options, css_string=css_string)
        else:
            document = render(render_to_string("exports/report.html", context))
            document.write_pdf(out, **options)
            pages = len(document.pages)
            del document  # garbage before the collection that ends the block
    if fetcher.refused:
        # Never the refused URLs themselves in the log: they may come from personal data.
        log.warning(
            "The PDF of %s asked for %d resource(s) outside its assets; refused.", spec.reference, len(fetcher.refused)
        )
    return pages
