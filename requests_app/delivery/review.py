"""Reads of the Art. 15(4) review: the gathered records of a request, per source
and table, filtered, searched and paged on the server.

The page must stay usable with 10,000 records (issue 15): only one page of
records (``PAGE_SIZE``) is decrypted and shown; the groups beside it come from
one aggregate query. A search has to read the records themselves, because
their data is encrypted at rest (``dsar.core.crypto``): it decrypts the job's
records in batches, keeps only the ids that match, and pages over those.

Every decision (a record left out, a field withheld) is stored on the server
as soon as it is saved, so it survives paging and filtering.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import translation

from dsar.core.national_number import mask_record_data, national_number_columns
from dsar.exports.columns import Catalogue, format_value
from dsar.exports.content import record_data
from dsar.exports.register import current_register
from dsar.models import DataCategory, Job, SourceRecord, SourceRun, WithheldField, pick
from requests_app.gathering import matching
from requests_app.models import SubjectRequest

PAGE_SIZE = 50
SEARCH_BATCH = 1000
QUERY_MAX_LENGTH = 200
SHOW_CHOICES = ("excluded", "withheld")


@dataclass(frozen=True)
class ReviewFilter:
    """What the DPO asked for in the page's address (all optional)."""

    query: str = ""
    source: str = ""
    table: str = ""
    show: str = ""  # "excluded": left out only; "withheld": with a withheld field

    @classmethod
    def from_params(cls, params) -> ReviewFilter:
        show = params.get("show", "")
        return cls(
            query=" ".join(params.get("q", "").split())[:QUERY_MAX_LENGTH],
            source=params.get("source", "")[:100],
            table=params.get("table", "")[:100],
            show=show if show in SHOW_CHOICES else "",
        )

    def params(self, **changes) -> dict[str, str]:
        """The filter as query parameters (for the links that keep it)."""
        values = {"q": self.query, "source": self.source, "table": self.table, "show": self.show, **changes}
        return {key: value for key, value in values.items() if value}


@dataclass
class Group:
    """One table of one source: the filter's entries and the page's sections."""

    source: str
    source_name: str
    table: str
    table_label: str
    count: int = 0
    excluded: int = 0
    rows: list = field(default_factory=list)


def _queryset(job: Job, chosen: ReviewFilter) -> QuerySet[SourceRecord]:
    records = SourceRecord.objects.filter(run__job=job)
    if chosen.source:
        records = records.filter(run__connector__code=chosen.source)
    if chosen.table:
        records = records.filter(entity=chosen.table)
    if chosen.show == "excluded":
        records = records.filter(excluded=True)
    elif chosen.show == "withheld":
        records = records.filter(Exists(WithheldField.objects.filter(record=OuterRef("pk"))))
    # The order of the sections: source by source, table by table, as gathered.
    return records.order_by("run_id", "entity", "seq")


def _search(
    records: QuerySet[SourceRecord], query: str, sources: dict, catalogue: Catalogue, language: str
) -> list[int]:
    """The ids of the records that match, in page order: in the table's name or
    the category, a column's name or label, or a value (case-insensitive).

    The data is encrypted at rest, so each record is decrypted here, a batch
    at a time (never all in memory). Most records are settled on their JSON
    text; only a text with escapes (accents) is parsed to compare its values.
    """
    needle = query.casefold()
    # Per table, the columns (quoted as JSON keys) whose label matches.
    labelled: dict[tuple[int, str], list[str]] = {}

    def label_hits(run_id: int, entity: str, text: str) -> list[str]:
        key = (run_id, entity)
        if key not in labelled:
            table = catalogue.table(sources.get(run_id, ("", ""))[0], entity)
            names = set(table.declared.get("columns") or {}) | set(record_data(SourceRecord(data=text)))
            labelled[key] = [
                json.dumps(name) for name in names if needle in table.column(name).label(language).casefold()
            ]
        return labelled[key]

    found = []
    rows = records.values_list("id", "run_id", "entity", "category", "data")
    for pk, run_id, entity, category, text in rows.iterator(chunk_size=SEARCH_BATCH):
        text = text or ""
        if (
            needle in entity.casefold()
            or needle in category.casefold()
            or needle in text.casefold()
            or any(key in text for key in label_hits(run_id, entity, text))
            or ("\\" in text and _in_values(needle, text))
        ):
            found.append(pk)
    return found


def _in_values(needle: str, text: str) -> bool:
    """The needle in a value once the JSON's escapes are read (``\\u00e9`` is é)."""
    for column, value in record_data(SourceRecord(data=text)).items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
        if needle in shown.casefold() or needle in column.casefold():
            return True
    return False


def _names(job: Job, language: str) -> tuple[dict[int, tuple[str, str]], Catalogue]:
    runs = SourceRun.objects.filter(job=job).select_related("connector")
    sources = {run.pk: (run.connector.code, run.connector.display_name(language)) for run in runs}
    return sources, Catalogue(current_register().get("connectors") or {})


def groups(job: Job, language: str, names=None) -> list[Group]:
    """Every source and table with its counts, for the filter (one aggregate query)."""
    sources, catalogue = names or _names(job, language)
    rows = (
        SourceRecord.objects.filter(run__job=job)
        .values("run_id", "entity")
        .annotate(n=Count("id"), left_out=Count("id", filter=Q(excluded=True)))
        .order_by("run_id", "entity")
    )
    result = []
    for row in rows:
        code, name = sources.get(row["run_id"], ("", ""))
        result.append(
            Group(
                source=code,
                source_name=name,
                table=row["entity"],
                table_label=catalogue.table(code, row["entity"]).label(language),
                count=row["n"],
                excluded=row["left_out"],
            )
        )
    return result


def numbers_in_table(records: list[SourceRecord]) -> dict[int, int]:
    """Each record's number in its table as a person counts (1..n in the order
    gathered), by record id: the header reads "Orders 3", never the run's
    sequence (shared by all the tables of a source) nor a database id.

    Two small queries per table on the page (those before the page's first
    record, and the sequence numbers between its first and last), whatever
    the filter or search that chose the page; no record is decrypted.
    """
    by_table: dict[tuple[int, str], list[SourceRecord]] = {}
    for record in records:
        by_table.setdefault((record.run_id, record.entity), []).append(record)
    numbers: dict[int, int] = {}
    for (run_id, entity), members in by_table.items():
        low = min(record.seq for record in members)
        high = max(record.seq for record in members)
        same_table = SourceRecord.objects.filter(run_id=run_id, entity=entity)
        before = same_table.filter(seq__lt=low).count()
        between = same_table.filter(seq__gte=low, seq__lte=high).order_by("seq").values_list("seq", flat=True)
        position = {seq: before + index for index, seq in enumerate(between, start=1)}
        for record in members:
            numbers[record.pk] = position[record.seq]
    return numbers


@dataclass
class ReviewPage:
    page: Page
    sections: list[Group]
    total: int
    groups: list[Group]
    record_count: int = 0


def review_page(
    request: SubjectRequest, job: Job | None, chosen: ReviewFilter, page_number, *, revealed: bool
) -> ReviewPage:
    """One page of the review: the records of ``chosen``, grouped per source and
    table, each record's fields labelled in the reader's language."""
    language = translation.get_language() or "en"
    if job is None:
        empty = Paginator(SourceRecord.objects.none(), PAGE_SIZE).get_page(1)
        return ReviewPage(page=empty, sections=[], total=0, groups=[])
    records = _queryset(job, chosen)
    sources, catalogue = _names(job, language)
    if chosen.query:
        ids = _search(records, chosen.query, sources, catalogue, language)
        page = Paginator(ids, PAGE_SIZE).get_page(page_number)
        chosen_ids = list(page.object_list)
        by_id = {r.pk: r for r in SourceRecord.objects.filter(pk__in=chosen_ids).select_related("run__connector")}
        page_records = [by_id[pk] for pk in page.object_list if pk in by_id]
    else:
        page = Paginator(records.select_related("run__connector"), PAGE_SIZE).get_page(page_number)
        page_records = list(page.object_list)
    matching.annotate(page_records, matching.verified_identifiers(request))
    withheld: dict[int, dict[str, str]] = {}
    for item in WithheldField.objects.filter(record__in=[r.pk for r in page_records]):
        withheld.setdefault(item.record_id, {})[item.column] = item.note
    numbers = numbers_in_table(page_records)
    # The record's data category by its name in the reader's language, never its code.
    category_names = {
        code: pick(names, language) or code
        for code, names in DataCategory.objects.filter(
            code__in={record.category for record in page_records}
        ).values_list("code", "names")
    }
    sections: list[Group] = []
    masked_columns: dict[tuple[int, str], set[str]] = {}
    for record in page_records:
        code, name = sources.get(record.run_id, ("", ""))
        table = catalogue.table(code, record.entity)
        if not sections or (sections[-1].source, sections[-1].table) != (code, record.entity):
            sections.append(
                Group(source=code, source_name=name, table=record.entity, table_label=table.label(language))
            )
        data = record_data(record)
        # National numbers are masked on staff screens unless a DPO revealed them (audited).
        key = (record.run_id, record.entity)
        if key not in masked_columns:
            masked_columns[key] = national_number_columns(record)
        shown = data if revealed else mask_record_data(record, data, columns=masked_columns[key])
        notes = withheld.get(record.pk, {})
        fields = []
        for column, value in shown.items():
            declared = table.column(column)
            fields.append(
                {
                    "column": column,
                    "label": declared.label(language),
                    "value": format_value(value, declared, language),
                    "in_pdf": declared.visible,
                    "withheld": column in notes,
                    "note": notes.get(column, ""),
                }
            )
        sections[-1].rows.append(
            {
                "record": record,
                "fields": fields,
                "withheld_count": len(notes),
                "number": numbers[record.pk],
                "category": category_names.get(record.category, record.category),
            }
        )
    return ReviewPage(
        page=page,
        sections=sections,
        total=page.paginator.count,
        groups=groups(job, language, (sources, catalogue)),
        record_count=len(page_records),
    )
