"""What the DPO kept out of a copy, named as the review names it, with the reasons.

Art. 15(4) (and 20(4)): the copy must not adversely affect the rights and
freedoms of others, so the DPO withholds a single field of a record or leaves
a whole record out, each time with a reason. The release page shows this list
before the DPO confirms, and the evidence pack gives it to the authority
(Art. 5(2)): each field by the source's label for its column and table, the
data category by its name, in the reader's language, never a raw column name,
an internal id or a value.

The same field withheld for the same reason in several records is one line
with the number of records (a colleague named in 40 notes is one decision).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation

from dsar.exports.columns import Catalogue
from dsar.exports.register import register_snapshot
from dsar.models import DataCategory, Job, SourceRecord, WithheldField, pick


@dataclass(frozen=True)
class WithheldLine:
    """One field withheld, for one reason, in ``records`` records of a table."""

    source: str
    table: str
    field: str
    category: str
    reason: str
    records: int


@dataclass(frozen=True)
class LeftOutLine:
    """Records of a table left out of the copy for one reason."""

    source: str
    table: str
    category: str
    reason: str
    records: int


class _Names:
    """The source's labels and the categories' names in the reader's language (read once)."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.catalogue = Catalogue(register_snapshot().get("connectors") or {})
        self._categories = {
            code: pick(names, language) or code for code, names in DataCategory.objects.values_list("code", "names")
        }

    def category(self, code: str) -> str:
        return self._categories.get(code, code)


def withheld_fields(job: Job, *, kept_records_only: bool = False, names: _Names | None = None) -> list[WithheldLine]:
    """Each withheld field with its reason; ``kept_records_only``: only in the
    records that go out (a field of a record left out goes with its record)."""
    names = names or _Names(translation.get_language() or "en")
    withheld = WithheldField.objects.filter(record__run__job=job)
    if kept_records_only:
        withheld = withheld.filter(record__excluded=False)
    counts: dict[tuple[str, str, str, str, str], int] = {}
    rows = withheld.select_related("record__run__connector").order_by(
        "record__run__connector__name", "record__entity", "column", "record__seq"
    )
    for item in rows:
        record = item.record
        connector = record.run.connector
        table = names.catalogue.table(connector.code, record.entity)
        column = table.column(item.column)
        key = (
            connector.workspace_name,
            table.label(names.language),
            column.label(names.language),
            # A column may be of a category of its own (an IBAN in the customer record).
            names.category(column.category or record.category),
            item.note,
        )
        counts[key] = counts.get(key, 0) + 1
    return [WithheldLine(*key, records=n) for key, n in counts.items()]


def records_left_out(job: Job, *, names: _Names | None = None) -> list[LeftOutLine]:
    """The records left out, per source, table and reason."""
    names = names or _Names(translation.get_language() or "en")
    counts: dict[tuple[str, str, str, str], int] = {}
    excluded = SourceRecord.objects.filter(run__job=job, excluded=True).select_related("run__connector")
    for record in excluded.order_by("run__connector__name", "entity", "seq"):
        connector = record.run.connector
        key = (
            connector.workspace_name,
            names.catalogue.table(connector.code, record.entity).label(names.language),
            names.category(record.category),
            record.exclusion_note,
        )
        counts[key] = counts.get(key, 0) + 1
    return [LeftOutLine(*key, records=n) for key, n in counts.items()]


def everything_left_out(job: Job) -> tuple[list[WithheldLine], list[LeftOutLine]]:
    names = _Names(translation.get_language() or "en")
    return withheld_fields(job, names=names), records_left_out(job, names=names)
