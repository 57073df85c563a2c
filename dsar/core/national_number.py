"""Belgian national numbers (INSZ/NISS, and BIS numbers) in what staff read.

One mask for the whole product: the ticket's number on the request page, the
identity in an export's metadata, and the numbers in the gathered records on
staff screens. The subject's own copy keeps the full value: it is their data.
"""

from __future__ import annotations

from stdnum.be import bis, nn

MASK_PREFIX = "**.**.**-***."


def mask_national_number(value) -> str:
    """Only the last two digits (the check digits) remain."""
    text = str(value or "").strip()
    if not text:
        return ""
    compact = nn.compact(text)
    return MASK_PREFIX + compact[-2:]


def is_national_number(value) -> bool:
    """Whether a value validates as a Belgian national or BIS number."""
    if value is None or isinstance(value, bool | float | dict | list):
        return False
    text = str(value).strip()
    if not text or len(text) > 20:
        return False
    return nn.is_valid(text) or bis.is_valid(text)


def national_number_columns(record) -> set[str]:
    """The columns of a gathered record that its source declares as the national
    number it matches on (``match: {national_number: column}`` of a table)."""
    tables = (record.run.connector.config or {}).get("tables") or {}
    table = tables.get(record.entity) or tables.get(record.entity.rsplit(".", 1)[-1]) or {}
    match = table.get("match") if isinstance(table, dict) else None
    column = (match or {}).get("national_number")
    return {column} if column else set()


def mask_record_data(record, data: dict, *, columns: set[str] | None = None) -> dict:
    """A gathered record's fields with every national number masked: in the
    columns the source declares (``columns``, read from the source when not
    given), and wherever a value validates as one."""
    if columns is None:
        columns = national_number_columns(record)
    masked = {}
    for key, value in data.items():
        declared = key in columns and value not in (None, "")
        masked[key] = mask_national_number(value) if declared or is_national_number(value) else value
    return masked
