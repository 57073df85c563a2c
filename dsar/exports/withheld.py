"""Single fields withheld from the subject's copy (Art. 15(4)).

The DPO may withhold one field of a record instead of the whole record (a note
about the subject that names a colleague). Every file given to the subject
(JSON, PDF, CSV) then carries, in that field's place, a plain-words notice in
the subject's language, never the value: the subject learns that something
was withheld and why, not what (Art. 12(1) and 15(4)).
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy

from dsar.models import WithheldField

NOTICE = gettext_lazy("Withheld to protect another person")


class WithheldValue(str):
    """The notice in place of a withheld value: formatted as is, never as a
    date, an amount or a yes/no (``dsar.exports.columns.format_value``)."""

    __slots__ = ()


def notice(language: str) -> WithheldValue:
    with translation.override(language):
        return WithheldValue(str(NOTICE))


def withheld_columns(job) -> dict[int, frozenset[str]]:
    """Record id -> the columns withheld in it, for one job (one query per export)."""
    found: dict[int, set[str]] = {}
    for record_id, column in WithheldField.objects.filter(record__run__job=job).values_list("record_id", "column"):
        found.setdefault(record_id, set()).add(column)
    return {record_id: frozenset(columns) for record_id, columns in found.items()}


def apply(data: dict, columns: frozenset[str], language: str) -> dict:
    """The record's fields with each withheld one replaced by the notice."""
    if not columns:
        return data
    text = notice(language)
    return {column: text if column in columns else value for column, value in data.items()}
