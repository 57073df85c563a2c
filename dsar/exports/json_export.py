"""The JSON document: one per request, valid against ``schema/export.schema.json``.

Written as a stream: the header, then each source and its records one by one,
so memory stays flat whatever the number of records.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from cryptography.fernet import InvalidToken
from django.db.models import ExpressionWrapper, F, TextField

from dsar.core import crypto
from dsar.exports import columns, content, withheld
from dsar.models import SourceRecord

_DECODER = json.JSONDecoder()

# A time stored without its zone ("2026-03-02T10:14:00") has a colon followed
# by two digits in a record's JSON text, unless one of its characters is
# escaped (\u0030-\u0039 digits, \u002d "-", \u0020 " ", \u0054 "T", \u003a
# ":"). A record with neither has no value ``columns.zoned`` would change, so
# its values are not checked one by one. Two searches: one pattern with both
# alternatives costs five times as much (no literal to scan for).
_HOURS_MINUTES = re.compile(r":\d\d")
_ESCAPED_TIME_CHARACTER = re.compile(r"\\u00(?:3[0-9a-fA-F]|2[0dD]|54)")


def _may_hold_a_naive_time(text: str) -> bool:
    return _HOURS_MINUTES.search(text) is not None or (
        "\\u00" in text and _ESCAPED_TIME_CHARACTER.search(text) is not None
    )


SCHEMA_PATH = Path(__file__).parent / "schema" / "export.schema.json"


def load_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text())


def _dump(value) -> str:
    # default=str: dates or decimals a connector left as objects become text.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def table_labels(spec: content.ExportSpec, run_id, entity: str, columns: list[str]) -> dict:
    """How the report shows one table: its label and, per column, the label, whether
    it is shown, its format and the labels of its codes, in the document's language.
    The records keep their raw values (Art. 20: machine-readable); these say what they mean."""
    table = spec.catalogue.table(spec.source_of(run_id), entity)
    lang = spec.language
    described = []
    for name in columns:
        column = table.column(name)
        entry = {"name": name, "label": column.label(lang), "shown": column.visible}
        if column.format:
            entry["format"] = column.format
        if column.declared.get("currency"):
            entry["currency"] = column.declared["currency"]
        if column.category:
            entry["category"] = column.category
        if column.value_labels(lang):
            entry["values"] = column.value_labels(lang)
        described.append(entry)
    return {"entity": entity, "label": table.label(lang), "columns": described}


# Records are written to ``out`` this many at a time: one write per batch
# instead of two per record.
WRITE_BATCH = 1000


@dataclass(slots=True)
class _Row:
    """The fields of one record the export reads, without a model instance:
    what ``content.shown_data`` needs for the records it must rewrite."""

    pk: int
    seq: int
    entity: str
    category: str
    data: str
    run_id: int
    run: object

    @property
    def id(self) -> int:
        return self.pk


def _rows(spec: content.ExportSpec, run) -> Iterator[tuple[int, int, str, str, str]]:
    """(id, seq, entity, category, decrypted data) of the source's records in
    the copy, in batches: the same filter and order as ``content.records``,
    without building a model instance per record.

    The ciphertext is read as plain text and decrypted here with the key ring
    fetched once (the field's own converter looks it up for every value):
    authenticated and decrypted as the field would (``dsar.core.crypto``)."""
    queryset = (
        SourceRecord.objects.filter(run=run)
        .filter(spec.record_filter())
        .order_by("seq")
        .values_list("id", "seq", "entity", "category", ExpressionWrapper(F("data"), output_field=TextField()))
    )
    decrypt = crypto.keyring().decrypt_text
    for pk, seq, entity, category, token in content.in_batches(queryset, run):
        try:
            text = decrypt(token) if token else token
        except InvalidToken as exc:
            raise ValueError("An encrypted field could not be decrypted: check DSAR_ENCRYPTION_KEYS.") from exc
        yield pk, seq, entity, category, text


def _record_lines(spec: content.ExportSpec, run, seen: dict[str, dict[str, None]]) -> Iterator[str]:
    """Each record of one source as its line of the document.

    A record's fields are stored as the JSON of an object: when the export
    changes nothing in them (no field withheld under Art. 15(4), no column
    dropped under Art. 20(1), no masking), that text goes into the document as
    it is, parsed once to check it and to learn its columns but not written
    again. Any other record goes through ``content.shown_data``, the one place
    that applies those rules.
    """
    if spec._withheld is None:
        spec._withheld = withheld.withheld_columns(spec.job)
    withheld_ids = spec._withheld
    rewrite_tables: dict[str, bool] = {}
    prefixes: dict[tuple[str, str], str] = {}
    for pk, seq, entity, category, text in _rows(spec, run):
        row = None
        rewrite = rewrite_tables.get(entity)
        if rewrite is None:
            row = _Row(pk, seq, entity, category, text, run.pk, run)
            rewrite = rewrite_tables[entity] = spec.mask_national_numbers or bool(spec.dropped_columns(row))
        try:
            # raw_decode: loads without its wrapper; the text must end where the object does.
            data, end = _DECODER.raw_decode(text)
        except ValueError:
            data, end = None, -1
        if end != len(text):
            data = None
        if rewrite or pk in withheld_ids or not isinstance(data, dict) or not text:
            # A _Row has every attribute shown_data reads of a record.
            row = row or _Row(pk, seq, entity, category, text, run.pk, run)
            data = content.shown_data(spec, cast(SourceRecord, row))
            data = {name: columns.zoned(value) for name, value in data.items()}
            text = _dump(data)
        elif _may_hold_a_naive_time(text) and any(columns.zoned(value) is not value for value in data.values()):
            # A time without its zone is ambiguous to the program reading the copy (Art. 20).
            data = {name: columns.zoned(value) for name, value in data.items()}
            text = _dump(data)
        known = seen.setdefault(entity, {})
        if not known.keys() >= data.keys():  # most records of a table bring no new column
            known.update(dict.fromkeys(data))
        prefix = prefixes.get((entity, category))
        if prefix is None:
            prefix = prefixes[(entity, category)] = f',"entity":{_dump(entity)},"category":{_dump(category)},"data":'
        yield f'{{"seq":{seq}{prefix}{text}}}'


def write_json(spec: content.ExportSpec, out) -> int:
    """Write the document to ``out`` (anything with ``write(str)``). Returns the record count."""
    document = {"$schema": content.SCHEMA_ID, **content.header(spec)}
    head = _dump(document)
    out.write(head[:-1] + ',"sources":[\n')
    total = 0
    for index, source in enumerate(content.sources(spec)):
        if index:
            out.write(",\n")
        source_head = _dump(source.as_dict(spec.language))
        out.write(source_head[:-1] + ',"records":[\n')
        # Columns per table in order of appearance, for the labels after the records.
        seen: dict[str, dict[str, None]] = {}
        batch: list[str] = []
        written = 0
        for line in _record_lines(spec, source.run, seen):
            batch.append(line)
            if len(batch) == WRITE_BATCH:
                out.write((",\n" if written else "") + ",\n".join(batch))
                written += len(batch)
                batch = []
        if batch:
            out.write((",\n" if written else "") + ",\n".join(batch))
            written += len(batch)
        total += written
        tables = [table_labels(spec, source.run.pk, entity, list(columns)) for entity, columns in seen.items()]
        out.write('\n],"tables":' + _dump(tables) + "}")
    out.write("\n]}\n")
    return total
