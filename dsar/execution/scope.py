"""What an execution job covers, read from its options and the sources'
configuration: the subject's identity, the scope of an erasure of specific
data (Art. 17), the fields a correction can be mapped onto (Art. 16), what a
restriction covers (Art. 18(1)) and whether an objection must be honoured
(Art. 21(3)). Planning (``planning``, ``planning_http``) and the services read
these; nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_noop

from dsar.connectors.base import ConnectorError, SubjectIdentity
from dsar.execution.config import TableWrite, http_rectify_fields, table_writes
from dsar.models import Connector, Job, Operation


def identity_of(job: Job) -> SubjectIdentity:
    """The job's subject as gathering reads it: reading and erasure match the same identity."""
    from dsar.gathering import identity_of as gathered_identity

    return gathered_identity(job)


def erasure_scope(job: Job) -> set[str] | None:
    """The data categories an erasure of specific data covers; None for all the subject's data."""
    if job.operation != Operation.ERASE or job.options.get("scope") != "specific":
        return None
    return set(job.options.get("categories") or [])


def awaits_categories(job: Job) -> bool:
    """An erasure of specific data whose categories nobody chose yet (the
    subject wrote them in words only): nothing is planned until the DPO
    chooses them, rather than erasing everything."""
    return erasure_scope(job) == set()


def rectify_column(spec: TableWrite, field: str) -> str:
    """The column a correction applies to: the configured field name, or a
    configured column named alike (the subject writes the field in their words;
    the DPO maps it onto a known field when it does not match)."""
    return mapped_field(spec.rectify_columns, field)


def mapped_field(mapping: dict[str, str], field: str) -> str:
    key = field.strip().lower()
    for name, target in mapping.items():
        if key in (name.lower(), target.lower()):
            return target
    return ""


def correction_changes(correction: dict) -> dict[str, str]:
    """What one correction changes: {field: new value}. The subject writes one
    correction in their words ("address" -> "Neustraße 12, 4700 Eupen"); the
    DPO may map it onto several fields, each with its own value (``fields``:
    street, postal code, town), so that no field receives another's value
    (Art. 16: the data is made accurate, not replaced by a different error).
    Without a mapping the correction is one field, as the subject named it."""
    if not isinstance(correction, dict):
        return {}
    mapped = correction.get("fields")
    if isinstance(mapped, dict) and mapped:
        return {str(name): str(value) for name, value in mapped.items()}
    field = str(correction.get("field", ""))
    return {field: str(correction.get("correct", ""))} if field.strip() else {}


def all_correction_changes(job: Job) -> dict[str, str]:
    """Every field the job's corrections change, with its new value."""
    changes: dict[str, str] = {}
    for correction in job.options.get("corrections") or []:
        changes.update(correction_changes(correction))
    return changes


def settled_correction_changes(job: Job) -> dict[str, str]:
    """What a person is asked to correct by hand: the corrections whose field
    is known (a field of some source, or the DPO's mapping). A field no source
    has ("Adresse") waits for the DPO to say what it is (the approval is
    blocked until then), so no task announces a provisional "Adresse → …".
    A desk without such fields (manual sources alone) has the person apply
    each correction as the subject wrote it."""
    known = {name.lower() for name in correction_fields()}
    if not known:
        return all_correction_changes(job)
    changes: dict[str, str] = {}
    for correction in job.options.get("corrections") or []:
        mapped = isinstance(correction, dict) and isinstance(correction.get("fields"), dict) and correction["fields"]
        if mapped or (isinstance(correction, dict) and str(correction.get("field", "")).strip().lower() in known):
            changes.update(correction_changes(correction))
    return changes


def correction_fields() -> list[str]:
    """Every field a correction can be mapped onto, over the enabled SQL
    sources and the HTTP sources whose rectify call names its fields."""
    names: set[str] = set()
    for connector in Connector.objects.filter(enabled=True, kind__in=[Connector.Kind.SQL, Connector.Kind.HTTP]):
        if connector.kind == Connector.Kind.HTTP:
            names.update(http_rectify_fields(connector.config))
            continue
        try:
            names.update(name for spec in table_writes(connector.config) for name in spec.rectify_columns)
        except ConnectorError:
            continue
    return sorted(names)


def is_mandatory(job: Job, activity) -> bool:
    """Art. 21(3): an objection to direct marketing is always honoured; a
    withdrawal of consent (Art. 7(3)) too. Other objections (Art. 21(1)) may be
    refused for compelling legitimate grounds."""
    if job.options.get("request_type") == "withdrawal":
        return True
    return bool(activity and activity.direct_marketing)


# Art. 18(1)(a) as requests_app.intake.details.RestrictionGround stores it (the engine does not import the ticket).
CONTESTED_ACCURACY = "contested_accuracy"

# Why a restriction covers all the subject's data (Plan.scope_notes).
ALL_FOR_GROUND = gettext_noop(
    "This ground of Art. 18(1) concerns all the subject's data: the restriction covers every table holding it."
)
ALL_WITHOUT_GROUND = gettext_noop(
    "The request names no ground of Art. 18(1): the restriction covers every table holding the subject's data."
)
ALL_NOT_NAMED = gettext_noop(
    "The subject contests the accuracy of the data (Art. 18(1)(a)) without saying which data: the restriction "
    "covers every table holding the subject's data."
)
ALL_NOT_CLASSIFIED = gettext_noop(
    "The subject contests the accuracy of the data (Art. 18(1)(a)), but not every field named could be matched "
    "to a data category: the restriction covers every table holding the subject's data."
)
MEANWHILE_NOT_CLASSIFIED = gettext_noop(
    "Not every corrected field could be matched to a data category: while the corrections are checked "
    "(Art. 18(1)(a)), the restriction covers every table holding the subject's data."
)


@dataclass(frozen=True)
class RestrictionScope:
    """What a restriction covers: the contested data categories (Art. 18(1)(a)),
    or ``None`` for all the subject's data, with ``why``."""

    categories: frozenset[str] | None
    why: str = ""
    # A rectification's restriction while its corrections are checked (``restrict_meanwhile``).
    meanwhile: bool = False

    def covers(self, spec: TableWrite) -> bool:
        # A table whose category is not configured may hold the contested data: restricted to be safe.
        return self.categories is None or not spec.record_categories or bool(spec.record_categories & self.categories)


def restriction_scope(job: Job) -> RestrictionScope:
    """Art. 18(1)(a) restricts the data whose accuracy is contested, for as
    long as it is checked; when the request names it (``contested_categories``,
    or ``contested_fields`` classified as the SQL sources classify them), the
    restriction covers only that. The other grounds, (b) unlawful processing,
    (c) legal claims and (d) a pending objection, concern all the subject's data.

    A rectification restricted while it is checked (``restrict_meanwhile``) is
    ground (a) by nature: the contested data is the data corrected, the fields
    of its corrections (as the DPO mapped them), classified alike."""
    if job.operation == Operation.RECTIFY:
        return _contested_scope([], list(all_correction_changes(job)), meanwhile=True)
    ground = job.options.get("ground") or ""
    if ground != CONTESTED_ACCURACY:
        return RestrictionScope(None, ALL_FOR_GROUND if ground else ALL_WITHOUT_GROUND)
    return _contested_scope(job.options.get("contested_categories") or [], job.options.get("contested_fields") or [])


def _contested_scope(codes, names, *, meanwhile: bool = False) -> RestrictionScope:
    from dsar.execution.recipients import field_categories

    categories = {str(code) for code in codes if code}
    fields = [str(name).strip().lower() for name in names if str(name).strip()]
    if fields:
        by_field = field_categories()
        if any(name not in by_field for name in fields):
            return RestrictionScope(None, MEANWHILE_NOT_CLASSIFIED if meanwhile else ALL_NOT_CLASSIFIED, meanwhile)
        categories |= {by_field[name] for name in fields}
    if not categories:
        return RestrictionScope(None, ALL_NOT_NAMED, meanwhile)
    return RestrictionScope(frozenset(categories), meanwhile=meanwhile)
