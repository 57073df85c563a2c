"""The JSON document: one per request, valid against ``schema/export.schema.json``.

Written as a stream: the header, then each source and its records one by one,
so memory stays flat whatever the number of records.
"""

from __future__ import annotations

import json
from pathlib import Path

from dsar.exports import columns, content

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
        for position, record in enumerate(content.records(spec, source.run)):
            if position:
                out.write(",\n")
            # A time without its zone is ambiguous to the program reading the copy (Art. 20).
            data = {name: columns.zoned(value) for name, value in content.shown_data(spec, record).items()}
            seen.setdefault(record.entity, {}).update(dict.fromkeys(data))
            out.write(_dump({"seq": record.seq, "entity": record.entity, "category": record.category, "data": data}))
            total += 1
        tables = [table_labels(spec, source.run.pk, entity, list(columns)) for entity, columns in seen.items()]
        out.write('\n],"tables":' + _dump(tables) + "}")
    out.write("\n]}\n")
    return total
