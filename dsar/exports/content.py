"""What an export says, independent of its format.

``ExportSpec`` gathers the plain inputs; ``header`` builds the document's
metadata and the Art. 15 information in the subject's language; ``sources``
and ``records`` read the gathered data back from the database in batches,
leaving out what the DPO excluded (Art. 15(4)) and, for portability, what
Art. 20(1) does not cover (see ``ExportSpec.portability_bases``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dsar.core.national_number import mask_record_data, national_number_columns
from dsar.exports import withheld
from dsar.exports.columns import Catalogue, Table
from dsar.exports.parties import authority_block, controller_block, subject_identity
from dsar.models import Job, LegalBasis, SourceRecord, SourceRun, pick

SCHEMA_VERSION = "1.2"
SCHEMA_ID = "https://dsar-desk.example/schema/export/1.2/export.schema.json"
BATCH_SIZE = 1000

# Art. 20(1)(a): portability covers processing based on consent (Art. 6(1)(a),
# or explicit consent under 9(2)(a), both ``LegalBasis.CONSENT`` in the
# register) or on a contract (Art. 6(1)(b)). Named in the exports' ``scope``.
PORTABLE_BASES = (LegalBasis.CONSENT, LegalBasis.CONTRACT)
PORTABILITY_RULE = "provided_or_observed_and_consent_or_contract"


@dataclass
class ExportSpec:
    """Everything an export needs, as plain data (the engine knows no tickets)."""

    job: Job
    controller: dict  # name, address, enterprise_number, website, dpo_*, authority_*
    register: dict  # dsar.exports.register.register_snapshot()
    language: str = "en"
    kind: str = "access"  # or "portability"
    reference: str = ""
    generated_at: dt.datetime = field(default_factory=timezone.now)
    # A staff preview: national numbers masked. The subject's own copy keeps
    # them in full (it is their data).
    mask_national_numbers: bool = False
    _masked_columns: dict = field(default_factory=dict, repr=False)
    _run_sources: dict | None = field(default=None, repr=False)
    _dropped_columns: dict = field(default_factory=dict, repr=False)
    _withheld: dict | None = field(default=None, repr=False)  # dsar.exports.withheld, read once
    # Read once per export, so that the JSON and the PDF of one generation say
    # the same and the summary, the Art. 15 information and the portability
    # scope do not count the same records again (issue 17).
    _counts: dict | None = field(default=None, repr=False)
    _column_counts: dict | None = field(default=None, repr=False)
    _header: dict | None = field(default=None, repr=False)
    _sources: list | None = field(default=None, repr=False)

    def __post_init__(self):
        self.reference = self.reference or self.job.external_ref
        self.language = (self.language or "en")[:2]

    @property
    def portable_only(self) -> bool:
        return self.kind == "portability"

    def portability_bases(self) -> dict[str, list[str]]:
        """The categories Art. 20(1) covers, each with the activities that bring it in.

        A category is covered when the register marks it as provided by or
        observed about the subject (not derived) and an active processing
        activity processes it with consent or for a contract. A gathered
        record carries its category, not the activity it was processed for,
        so a category that a contract activity and a legal-obligation activity
        share is covered: it is processed on a contract. Giving such a record
        is harmless (Art. 15 gives it anyway); leaving it out would deny the
        right. A category processed only on another basis (legal obligation,
        legitimate interests, public task, vital interests) is not covered.
        """
        bases: dict[str, list[str]] = {}
        for activity in self.register["activities"]:
            if activity["legal_basis"] not in PORTABLE_BASES:
                continue
            for code in activity["categories"]:
                if self.register["categories"].get(code, {}).get("portable"):
                    bases.setdefault(code, []).append(activity["code"])
        return bases

    def portable_codes(self) -> list[str]:
        return sorted(self.portability_bases())

    @property
    def catalogue(self) -> Catalogue:
        return Catalogue(self.register.get("connectors") or {})

    def source_of(self, run_id) -> str:
        """The code of the source a run searched (from ``sources``, read once per export)."""
        if self._run_sources is None:
            self._run_sources = {source.run.pk: source.code for source in sources(self)}
        return self._run_sources.get(run_id, "")

    def run_ids(self) -> list:
        """The job's runs."""
        self.source_of(None)
        return list(self._run_sources or {})

    def table(self, record) -> Table:
        return self.catalogue.table(self.source_of(record.run_id), record.entity)

    def dropped_columns(self, record) -> set[str]:
        """Art. 20(1) per column: in a portability copy, the columns whose own
        category is not covered leave the row (an IBAN in the customer record)."""
        if not self.portable_only:
            return set()
        key = (record.run_id, record.entity)
        if key not in self._dropped_columns:
            portable = set(self.portable_codes())
            self._dropped_columns[key] = {
                column for column, code in self.table(record).column_categories().items() if code not in portable
            }
        return self._dropped_columns[key]

    def record_filter(self) -> Q:
        condition = Q(excluded=False)
        if self.portable_only:
            # Art. 20(1): see portability_bases.
            condition &= Q(category__in=self.portable_codes())
        return condition


def counts_in_job(spec: ExportSpec) -> dict[str, int]:
    """Records per category of the subject's records the DPO did not leave out
    (Art. 15(4)), before any portability filter: one query per export."""
    if spec._counts is None:
        # order_by(): the model's ordering (run, seq) would join the GROUP BY.
        rows = (
            SourceRecord.objects.filter(run__job=spec.job, excluded=False)
            .order_by()
            .values_list("category")
            .annotate(n=Count("id"))
        )
        spec._counts = dict(rows)
    return spec._counts


def _row_counts(spec: ExportSpec) -> dict[str, int]:
    """Records per category among those ``spec.record_filter()`` keeps."""
    counts = counts_in_job(spec)
    if spec.portable_only:
        portable = set(spec.portable_codes())
        return {code: n for code, n in counts.items() if code in portable}
    return dict(counts)


def record_count(spec: ExportSpec) -> int:
    """The records of the copy (what ``spec.record_filter()`` keeps)."""
    return sum(_row_counts(spec).values())


def category_counts(spec: ExportSpec) -> dict[str, int]:
    """Records per category: a record counts under its table's category, and
    under the category of each of its columns declared with one of its own
    that holds a value (the national number or the IBAN in a customer record),
    so that the summary names every kind of data the copy holds (Art. 15(1)(b))."""
    counts = _row_counts(spec)
    portable = set(spec.portable_codes()) if spec.portable_only else None
    for code, (in_copy, _everywhere) in column_category_counts(spec).items():
        if portable is not None and code not in portable:
            continue  # the column left the copy (ExportSpec.dropped_columns)
        if in_copy:
            counts[code] = counts.get(code, 0) + in_copy
    return dict(sorted(counts.items()))


def column_category_counts(spec: ExportSpec) -> dict[str, tuple[int, int]]:
    """Per category held in columns: (records of this copy, records of the
    subject not left out by the DPO) that hold a value in such a column and
    do not already count under the same category as a whole row. Only the
    records of tables that declare such columns are read, in one query."""
    if spec._column_counts is not None:
        return spec._column_counts
    searched = {spec.source_of(run_id) for run_id in spec.run_ids()}
    declared = {pair: columns for pair, columns in spec.catalogue.column_categories().items() if pair[0] in searched}
    counts: dict[str, list[int]] = {}
    if declared:
        tables = Q()
        for source, entity in declared:
            tables |= Q(run__connector__code=source, entity=entity)
        rows = (
            SourceRecord.objects.filter(run__job=spec.job, excluded=False)
            .filter(tables)
            .order_by()
            .annotate(in_copy=ExpressionWrapper(spec.record_filter(), output_field=BooleanField()))
            .values_list("run_id", "entity", "category", "data", "in_copy")
        )
        for run_id, entity, category, text, in_copy in rows.iterator(chunk_size=BATCH_SIZE):
            columns = declared.get((spec.source_of(run_id), entity), {})
            data = _parsed(text)
            for code in {code for column, code in columns.items() if data.get(column) not in (None, "")}:
                if code == category:
                    continue
                entry = counts.setdefault(code, [0, 0])
                entry[1] += 1
                if in_copy:
                    entry[0] += 1
    spec._column_counts = {code: (in_copy, everywhere) for code, (in_copy, everywhere) in counts.items()}
    return spec._column_counts


def header(spec: ExportSpec) -> dict:
    """Everything in the document except the records, JSON-ready. Built once
    per spec: the PDF prints the header of the JSON it attaches."""
    if spec._header is None:
        spec._header = _header(spec)
    return spec._header


def _header(spec: ExportSpec) -> dict:
    from dsar.exports.information import information as _information

    counts = category_counts(spec)
    register = spec.register
    with translation.override(spec.language):
        summary = [
            {
                "category": code,
                "name": pick(register["categories"].get(code, {}).get("names"), spec.language)
                or code
                or _("Uncategorised"),
                "count": count,
            }
            for code, count in counts.items()
        ]
    document = {
        "schema_version": SCHEMA_VERSION,
        "kind": spec.kind,
        "reference": spec.reference,
        "generated_at": spec.generated_at.isoformat(),
        "language": spec.language,
        "controller": controller_block(spec.controller),
        "supervisory_authority": authority_block(spec.controller),
        "subject": subject_identity(spec.job),
        "summary": {"total_records": record_count(spec), "categories": summary},
        "information": _information(spec),
    }
    if spec.portable_only:
        # The Art. 20 scope is worked out from this module's counts (dsar.exports.portability).
        from dsar.exports.portability import portability_scope

        document["scope"] = portability_scope(spec)
    else:
        document["confirmation"] = confirmation(spec, total_records=sum(counts.values()))
    return document


def confirmation(spec: ExportSpec, *, total_records: int) -> dict:
    """Art. 15(1): whether we process personal data about the subject, in words.

    Records the DPO withheld (Art. 15(4)) are data we process all the same; a
    source that could not be searched completely leaves the answer open.
    """
    runs = SourceRun.objects.filter(job=spec.job)
    held = total_records > 0 or SourceRecord.objects.filter(run__job=spec.job).exists()
    searched = not runs.exclude(status=SourceRun.Status.DONE).exists() and not runs.exclude(error="").exists()
    with translation.override(spec.language):
        if held:
            return {"processes_personal_data": True, "text": _("We confirm that we process personal data about you.")}
        if searched:
            return {
                "processes_personal_data": False,
                "text": _(
                    "We found no personal data about you in our systems: we do not process personal data about you."
                ),
            }
        return {
            "processes_personal_data": None,
            "text": _(
                "We found no personal data about you in the systems we could search, but not every system could be "
                "searched completely (see the sources below); ask us for an update."
            ),
        }


NOT_SEARCHED = gettext_lazy(
    "This system could not be searched completely: your copy may miss data from it. We will search it as soon as "
    "it can be reached and send you what we find; you may ask us for an update."
)


@dataclass
class SourceInfo:
    run: SourceRun
    code: str
    name: str
    status: str
    warnings: list
    error: str
    record_count: int  # included in this export
    withheld_count: int  # records excluded by the DPO (Art. 15(4))
    kind: str = ""
    # Single fields withheld in the records the copy holds (Art. 15(4),
    # ``dsar.exports.withheld``): the subject is told how many, not only where.
    withheld_field_count: int = 0

    @property
    def complete(self) -> bool:
        return self.status == SourceRun.Status.DONE and not self.error

    @property
    def nothing_found(self) -> bool:
        """Searched in full, and nothing about the subject (a person's search too)."""
        return self.complete and not self.record_count and not self.withheld_count

    def as_dict(self, language: str = "en") -> dict:
        with translation.override(language):
            public_error = "" if self.complete else str(NOT_SEARCHED)
        return {
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "status": self.status,
            "complete": self.complete,
            "nothing_found": self.nothing_found,
            "warnings": [str(w) for w in self.warnings or []],
            # The subject reads this copy: the internal error (an exception, a host name, "see the
            # worker log") stays on the staff side; the subject is told what it means for them.
            "error": public_error,
            "record_count": self.record_count,
            "withheld_count": self.withheld_count,
            "withheld_field_count": self.withheld_field_count,
        }


def sources(spec: ExportSpec) -> list[SourceInfo]:
    """The job's sources with their counts, read once per spec (the JSON and
    the PDF of one generation list the same)."""
    if spec._sources is None:
        spec._sources = _sources(spec)
    return spec._sources


def _sources(spec: ExportSpec) -> list[SourceInfo]:
    runs = (
        SourceRun.objects.filter(job=spec.job)
        .select_related("connector")
        .annotate(
            # distinct: the join to the withheld fields repeats a record once per field.
            included=Count("records", filter=Q(records__excluded=False) & _prefixed(spec), distinct=True),
            withheld=Count("records", filter=Q(records__excluded=True), distinct=True),
            withheld_fields=Count(
                "records__withheld_fields", filter=Q(records__excluded=False) & _prefixed(spec), distinct=True
            ),
        )
        .order_by("connector__name")
    )
    ordered = sorted(runs, key=lambda run: run.connector.display_name(spec.language).casefold())
    return [
        SourceInfo(
            run=run,
            code=run.connector.code,
            name=run.connector.display_name(spec.language),
            kind=run.connector.kind,
            status=run.status,
            warnings=run.warnings,
            error=run.error,
            record_count=run.included,
            withheld_count=run.withheld,
            withheld_field_count=run.withheld_fields,
        )
        for run in ordered
    ]


def _prefixed(spec: ExportSpec) -> Q:
    if spec.portable_only:
        return Q(records__category__in=spec.portable_codes())
    return Q()


def in_batches(queryset, run: SourceRun) -> Iterator:
    """The rows of one source's records, read in batches through a server-side
    cursor (a subject may have 100,000 of them); when the source's count
    (``sources``: the annotation ``included``) shows they fit in one batch, in
    one query: the cursor's DECLARE, FETCHes and CLOSE are four round trips for
    what one SELECT brings (issue 17: most subjects have a few records per
    source). A count gone stale since only makes that one query larger."""
    included = getattr(run, "included", None)
    if included is not None and included <= BATCH_SIZE:
        return iter(queryset)
    return queryset.iterator(chunk_size=BATCH_SIZE)


def records(spec: ExportSpec, run: SourceRun, *, limit: int | None = None) -> Iterator[SourceRecord]:
    """The included records of one source, read in batches (never all in memory)."""
    queryset = (
        SourceRecord.objects.filter(run=run)
        .filter(spec.record_filter())
        # The run too: the export asks each record's table (``ExportSpec.table``),
        # and a deferred ``run_id`` is a query per record.
        .only("id", "seq", "run", "entity", "category", "data")
    ).order_by("seq")
    if limit is not None:
        queryset = queryset[:limit]
    return in_batches(queryset, run)


def shown_data(spec: ExportSpec, record: SourceRecord) -> dict:
    """A record's fields as the export shows them: withheld fields replaced by
    a notice (Art. 15(4), ``dsar.exports.withheld``), masked in a staff preview."""
    data = record_data(record)
    dropped = spec.dropped_columns(record)
    if dropped:
        data = {column: value for column, value in data.items() if column not in dropped}
    if spec.mask_national_numbers:
        key = (record.run_id, record.entity)
        if key not in spec._masked_columns:
            spec._masked_columns[key] = national_number_columns(record)
        data = mask_record_data(record, data, columns=spec._masked_columns[key])
    if spec._withheld is None:
        spec._withheld = withheld.withheld_columns(spec.job)
    return withheld.apply(data, spec._withheld.get(record.pk, frozenset()), spec.language)


def record_data(record: SourceRecord) -> dict:
    return _parsed(record.data)


def _parsed(text: str) -> dict:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        data = {"value": text}
    return data if isinstance(data, dict) else {"value": data}
