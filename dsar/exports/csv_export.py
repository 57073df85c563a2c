"""Portability as CSV (Art. 20): a zip with one file per table, written as a stream.

Only what Art. 20(1) covers (``content.ExportSpec.portability_bases``);
``scope.csv`` says, per category of the subject's records, whether it is in
the copy and by which rule. Every text cell that a spreadsheet would read as
a formula is neutralised (OWASP "CSV injection"): a leading = + - @ tab or
carriage return gets a ' in front, so the cell is shown as text and never
evaluated.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

from dsar.exports import content, portability
from dsar.models import SourceRecord

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Never a table's name: those are always "<source>__<table>.csv".
SCOPE_FILE = "scope.csv"


def neutralise(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)  # a number is never a formula
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, default=str)
    value = str(value)
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("._") or "table"


def write_csv_zip(spec: content.ExportSpec, out) -> int:
    """Write the zip to ``out`` (binary, ``write`` and ``tell``). Returns the record count."""
    total = 0
    used_names: set[str] = set()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        if spec.portable_only:
            _write_scope(spec, archive)
        for source in content.sources(spec):
            if not source.record_count:
                continue
            for entity in _entities(spec, source.run):
                # Two passes: the first collects the columns (records of one
                # table may have different keys), the second writes the rows.
                columns: dict[str, None] = {}
                for record in _entity_records(spec, source.run, entity):
                    # As shown: without the columns Art. 20(1) leaves out (scope.csv says which).
                    columns.update(dict.fromkeys(content.shown_data(spec, record)))
                name = f"{_safe_name(source.code)}__{_safe_name(entity)}.csv"
                while name in used_names:
                    name = "_" + name
                used_names.add(name)
                with archive.open(name, "w", force_zip64=True) as member:
                    text = io.TextIOWrapper(member, encoding="utf-8-sig", newline="")
                    writer = csv.writer(text)
                    writer.writerow([neutralise(column) for column in ["record", "category", *columns]])
                    for record in _entity_records(spec, source.run, entity):
                        data = content.shown_data(spec, record)
                        writer.writerow(
                            [record.seq, neutralise(record.category), *(neutralise(data.get(c)) for c in columns)]
                        )
                        total += 1
                    text.flush()
                    text.detach()
    return total


def _write_scope(spec: content.ExportSpec, archive: zipfile.ZipFile) -> None:
    """Per category of the subject's records: in the copy or not, and why (Art. 20(1))."""
    scope = portability.portability_scope(spec)
    with archive.open(SCOPE_FILE, "w") as member:
        text = io.TextIOWrapper(member, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        writer.writerow(["category", "name", "records", "in_copy", "reason", "activities", "explanation"])
        for in_copy, entries in ((True, scope["included"]), (False, scope["left_out"])):
            for entry in entries:
                activities = " ".join(f"{a['activity']}:{a['legal_basis']}" for a in entry.get("activities", []))
                writer.writerow(
                    [
                        neutralise(entry["category"]),
                        neutralise(entry["name"]),
                        entry["count"],
                        neutralise(in_copy),
                        entry["reason"],
                        neutralise(activities),
                        neutralise(entry["explanation"]),
                    ]
                )
        text.flush()
        text.detach()


def _entities(spec, run) -> list[str]:
    return list(
        SourceRecord.objects.filter(run=run)
        .filter(spec.record_filter())
        .order_by("entity")
        .values_list("entity", flat=True)
        .distinct()
    )


def _entity_records(spec, run, entity):
    return (
        SourceRecord.objects.filter(run=run, entity=entity)
        .filter(spec.record_filter())
        .only("id", "seq", "entity", "category", "data")
        .order_by("seq")
        .iterator(chunk_size=content.BATCH_SIZE)
    )
