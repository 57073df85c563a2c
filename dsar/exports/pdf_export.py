"""The PDF report a person reads: WeasyPrint from ``templates/exports/``.

Cover, table of contents, summary per category, the Art. 15 information,
then the data per source as tables whose headers repeat on every page. Up to
``PDF_RECORD_LIMIT`` records are all printed; beyond that the report
summarises per table and points to the JSON, which is attached inside the
PDF (PDF/A-3b). Fonts are Debian's DejaVu (fonts-dejavu), found by
fontconfig, so accented letters of Dutch, French and German render.
"""

from __future__ import annotations

import json
import logging
from collections import OrderedDict

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from weasyprint import HTML, Attachment

from dsar.exports import content
from dsar.exports.fetcher import StaticOnlyFetcher

log = logging.getLogger(__name__)

PDF_RECORD_LIMIT = 10_000
# Beyond this many columns a table is unreadable on A4: each record becomes
# a small field/value table instead.
MAX_TABLE_COLUMNS = 6


def css_string(text: str) -> str:
    """A CSS string literal of our own (translated) text, every odd character escaped."""
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):06x}" for c in text) + '"'


def _cell(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _tables(spec: content.ExportSpec, source: content.SourceInfo) -> list[dict]:
    """The source's records grouped per table (entity), columns in order of appearance."""
    grouped: OrderedDict[str, dict] = OrderedDict()
    for record in content.records(spec, source.run):
        data = content.record_data(record)
        table = grouped.setdefault(record.entity, {"entity": record.entity, "columns": {}, "rows": []})
        table["columns"].update(dict.fromkeys(data))
        table["rows"].append((record, data))
    tables = []
    for table in grouped.values():
        columns = list(table["columns"])
        rows = [[_cell(data.get(column)) for column in columns] for _record, data in table["rows"]]
        tables.append(
            {
                "entity": table["entity"],
                "columns": columns,
                "rows": rows,
                "wide": len(columns) > MAX_TABLE_COLUMNS,
                "records": [list(zip(columns, row, strict=True)) for row in rows],
                "count": len(rows),
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
    return [{"entity": row["entity"], "count": row["n"]} for row in rows]


def render_html(spec: content.ExportSpec, *, json_sha256: str = "", json_filename: str = "") -> str:
    head = content.header(spec)
    source_list = content.sources(spec)
    total = head["summary"]["total_records"]
    complete = total <= PDF_RECORD_LIMIT
    with translation.override(spec.language):
        sources = []
        for source in source_list:
            entry = {"info": source.as_dict()}
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
        return render_to_string("exports/report.html", context)


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

    ``archival`` makes a PDF/A-3b with the JSON document attached inside it.
    """
    fetcher = fetcher or StaticOnlyFetcher()
    json_filename = f"{spec.reference}.json"
    html = render_html(spec, json_sha256=json_sha256, json_filename=json_filename if json_bytes else "")
    document = HTML(string=html, base_url=fetcher.base_url(), url_fetcher=fetcher).render()
    options: dict = {}
    if archival:
        options["pdf_variant"] = "pdf/a-3b"
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
    document.write_pdf(out, **options)
    if fetcher.refused:
        # Never the refused URLs themselves in the log: they may come from personal data.
        log.warning(
            "The PDF of %s asked for %d resource(s) outside its assets; refused.", spec.reference, len(fetcher.refused)
        )
    return len(document.pages)
