"""The JSON document: one per request, valid against ``schema/export.schema.json``.

Written as a stream: the header, then each source and its records one by one,
so memory stays flat whatever the number of records.
"""

from __future__ import annotations

import json
from pathlib import Path

from dsar.exports import content

SCHEMA_PATH = Path(__file__).parent / "schema" / "export.schema.json"


def load_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text())


def _dump(value) -> str:
    # default=str: dates or decimals a connector left as objects become text.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


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
        for position, record in enumerate(content.records(spec, source.run)):
            if position:
                out.write(",\n")
            out.write(
                _dump(
                    {
                        "seq": record.seq,
                        "entity": record.entity,
                        "category": record.category,
                        "data": content.shown_data(spec, record),
                    }
                )
            )
            total += 1
        out.write("\n]}")
    out.write("\n]}\n")
    return total
