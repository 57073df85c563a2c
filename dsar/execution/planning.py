"""Computing a plan: what an execution job would change, without changing anything.

``compute_plan(plan)`` reads the subject's records in every relevant source
and writes one PlanItem per record and action, with the reasons for what is
kept (legal holds from the register, Art. 17(3)). The job's ``options`` carry
what the request asked for (see ``job_options``).
"""

from __future__ import annotations

import datetime as dt
import json
import string
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from dsar.connectors.base import ConnectorError, Message, SubjectIdentity
from dsar.execution import sqlsource
from dsar.execution.config import TableWrite, http_call, http_calls, http_rectify_fields, table_writes
from dsar.execution.models import LIFT, MEANWHILE, Action, Exception17, Plan, PlanItem
from dsar.models import Connector, Job, Operation, ProcessingActivity, SourceRun, pick


def identity_of(job: Job) -> SubjectIdentity:
    data = json.loads(job.identity or "{}")
    return SubjectIdentity(**{k: v for k, v in data.items() if k in SubjectIdentity.__dataclass_fields__})


def _as_date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


class _Builder:
    def __init__(self, plan: Plan):
        self.plan = plan
        self.seq = 0
        self.items: list[PlanItem] = []
        self.notes: dict[str, list] = {}  # Plan.scope_notes
        # Source code -> tables an earlier computation of this plan restricted at once (Art. 18(1)(a)).
        self.restricted_before: dict[str, set[str]] = {}
        # (entity, record key) -> identity fields it was found by, for the source being planned.
        self.matched: dict[tuple[str, str], list[str]] = {}

    def note(self, run: SourceRun, messages: list[Message]) -> None:
        """Why the plan covers this source's data as it does, for the plan panel."""
        self.notes[run.connector.code] = [message.as_dict() for message in messages]

    def add(self, run: SourceRun, **fields) -> PlanItem:
        self.seq += 1
        matched_on = fields.pop("matched_on", None) or self.matched.get(
            (fields.get("entity", ""), fields.get("record_key", "")), []
        )
        item = PlanItem(plan=self.plan, run=run, seq=self.seq, matched_on=matched_on, **fields)
        self.items.append(item)
        return item


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


def relevant_connectors(job: Job) -> list[Connector]:
    if awaits_categories(job):
        return []
    connectors = Connector.objects.filter(enabled=True).prefetch_related("activities")
    if job.operation == Operation.STOP_PROCESSING:
        codes = set(job.options.get("activities") or [])
        return [
            c
            for c in connectors
            if codes & ({a.code for a in c.activities.all()} | _consent_codes(c) | set(_stop_calls(c)))
        ]
    return list(connectors)


def _consent_codes(connector: Connector) -> set[str]:
    if connector.kind != Connector.Kind.SQL:
        return set()
    try:
        return {code for spec in table_writes(connector.config) for code in spec.consent_columns}
    except ConnectorError:
        return set()


def _stop_calls(connector: Connector) -> dict:
    if connector.kind != Connector.Kind.HTTP:
        return {}
    return http_calls(connector.config).get("stop_processing") or {}


def compute_plan(plan: Plan) -> Plan:
    """Fill the plan's items. A source that cannot be read is recorded on its
    run (the plan says so); the others are still planned."""
    job = plan.job
    identity = identity_of(job)
    builder = _Builder(plan)
    activities = {a.code: a for a in ProcessingActivity.objects.all()}
    with transaction.atomic():
        builder.restricted_before = _restricted_meanwhile(plan)
        plan.items.all().delete()
        for connector in relevant_connectors(job):
            run, _ = SourceRun.objects.get_or_create(job=job, connector=connector)
            run.status, run.error, run.summary = SourceRun.Status.PENDING, "", {}
            supported = job.operation in (connector.operations or [])
            builder.matched = {}
            try:
                if connector.kind == Connector.Kind.SQL and supported:
                    _plan_sql(builder, run, connector, job, identity, activities)
                elif connector.kind == Connector.Kind.HTTP and supported:
                    _plan_http(builder, run, connector, job, identity, activities)
                else:
                    _plan_manual(builder, run, connector, job, activities)
            except ConnectorError as exc:
                run.status, run.error = SourceRun.Status.FAILED, str(exc)
            except Exception as exc:
                run.status, run.error = SourceRun.Status.FAILED, str(sqlsource.wrap_error(exc, connector.name))
            run.record_count = sum(1 for item in builder.items if item.run is run)
            run.save()
        PlanItem.objects.bulk_create(builder.items)
        failed = job.runs.filter(status=SourceRun.Status.FAILED).exists()
        plan.status = Plan.Status.READY
        plan.error = "Some sources could not be read; see each source." if failed else ""
        plan.computed_at = timezone.now()
        plan.scope_notes = builder.notes
        plan.save(update_fields=["status", "error", "computed_at", "scope_notes"])
    return plan


# ------------------------------------------------------------------------------
# SQL
# ------------------------------------------------------------------------------
def _plan_sql(builder, run, connector, job, identity, activities) -> None:
    tables = table_writes(connector.config)
    schema = connector.config.get("schema")
    with sqlsource.engine_for(connector.config).connect() as connection:
        found = sqlsource.find_rows(connection, tables, identity, schema)
    builder.matched = sqlsource.matched_on(tables, found, identity)
    if job.operation == Operation.ERASE:
        _plan_sql_erasure(builder, run, tables, found, activities, job)
    elif job.operation == Operation.RECTIFY:
        _plan_sql_rectification(builder, run, tables, found, job)
        if job.options.get("restrict_meanwhile"):
            _plan_sql_meanwhile(builder, run, tables, found, job)
    elif job.operation == Operation.RESTRICT:
        _plan_sql_restriction_request(builder, run, tables, found, job)
    elif job.operation == Operation.STOP_PROCESSING:
        _plan_sql_stop(builder, run, connector, tables, found, job, activities)


def _plan_sql_erasure(builder, run, tables: list[TableWrite], found, activities, job) -> None:
    today = timezone.localdate()
    held: dict[str, dict[str, tuple]] = {}  # table -> key -> (reason, keep_until, note)
    # table -> key -> the activity whose hold keeps the row (a child's is its parent's),
    # so that the subject reads the reason in their own language, not the worker's.
    hold_activity: dict[str, dict[str, object]] = {}
    by_name = {spec.name: spec for spec in tables}
    # Holds first, parents before children, so that children inherit their
    # parent's hold (invoice lines are kept as long as their invoice).
    for spec in tables:
        held[spec.name] = {}
        hold_activity[spec.name] = {}
        hold = spec.legal_hold or {}
        activity = activities.get(hold.get("activity", ""))
        for row in found.get(spec.name, []):
            key = str(row[spec.key])
            if activity and activity.legal_hold_years:
                hold_activity[spec.name][key] = activity
                reason = pick(activity.legal_hold_reason) or activity.code
                date = _as_date(row.get(hold.get("date_column", "")))
                if date is None:
                    # Without its date the end of the hold cannot be told: deleting
                    # the row could break the law, so it is kept and the DPO checks it.
                    held[spec.name][key] = (Exception17.LEGAL_OBLIGATION, None, reason)
                    continue
                if hold.get("counted_from") == "end_of_year":
                    date = dt.date(date.year + 1, 1, 1)
                until = date + relativedelta(years=activity.legal_hold_years)
                if until > today:
                    held[spec.name][key] = (Exception17.LEGAL_OBLIGATION, until, reason)
                    continue
            if spec.parent:
                parent_hold = held.get(spec.parent["table"], {}).get(str(row[spec.parent["column"]]))
                if parent_hold:
                    held[spec.name][key] = parent_hold
                    hold_activity[spec.name][key] = hold_activity[spec.parent["table"]].get(
                        str(row[spec.parent["column"]])
                    )
    scope = erasure_scope(job)
    # Parents of rows that stay (held by law, or outside the categories the
    # subject asked to erase) cannot be deleted: they are masked if possible.
    referenced: dict[str, set[str]] = {spec.name: set() for spec in tables}
    for spec in tables:
        if spec.parent:
            for row in found.get(spec.name, []):
                if str(row[spec.key]) in held[spec.name] or (scope is not None and spec.category not in scope):
                    referenced[spec.parent["table"]].add(str(row[spec.parent["column"]]))
    for spec in tables:
        for row in found.get(spec.name, []):
            key = str(row[spec.key])
            common = {"entity": spec.name, "record_key": key, "category": spec.category}
            if scope is not None and spec.category not in scope:
                # The row stays; only its columns of the categories asked for go:
                # with their configured erasure, else emptied (a column the
                # register classifies must not outlive its category's erasure
                # because nobody wrote a rule for it).
                in_scope = {c: op for c, op in spec.mask_fields.items() if spec.category_of(c) in scope}
                for column, category in spec.column_categories.items():
                    if category in scope and column not in in_scope:
                        in_scope[column] = "null"
                if in_scope and key not in held[spec.name]:
                    builder.add(run, action=Action.MASK, fields=in_scope, **common)
                continue
            if key in held[spec.name]:
                reason, until, note = held[spec.name][key]
                activity = hold_activity[spec.name].get(key)
                builder.add(
                    run,
                    action=Action.KEEP,
                    reason=reason,
                    keep_until=until,
                    note=note[:500],
                    activity=activity,
                    # The panel asks the DPO to check the date (the hold's end is unknown).
                    fields={"hold_date_unknown": True} if until is None else {},
                    **common,
                )
            elif spec.erasure_action == "keep":
                builder.add(
                    run,
                    action=Action.KEEP,
                    reason=Exception17.LEGAL_CLAIMS,
                    note="Kept by the connector's configuration.",
                    **common,
                )
            elif spec.erasure_action == "delete" and key not in referenced[spec.name]:
                builder.add(run, action=Action.DELETE, **common)
            elif spec.mask_fields:
                builder.add(run, action=Action.MASK, fields=spec.mask_fields, **common)
            else:
                builder.add(
                    run,
                    action=Action.KEEP,
                    reason=Exception17.REFERENCED,
                    note="Referenced by records kept by law; no fields to mask are configured.",
                    **common,
                )
    del by_name


def _plan_sql_rectification(builder, run, tables, found, job) -> None:
    corrections = job.options.get("corrections") or []
    for spec in tables:
        changes = {}
        for correction in corrections:
            column = rectify_column(spec, correction.get("field", ""))
            if column:
                changes[column] = correction.get("correct", "")
        if not changes:
            continue
        for row in found.get(spec.name, []):
            builder.add(
                run,
                entity=spec.name,
                record_key=str(row[spec.key]),
                category=spec.category,
                action=Action.RECTIFY,
                fields=changes,
                approved_fields=[],
            )


def rectify_column(spec: TableWrite, field: str) -> str:
    """The column a correction applies to: the configured field name, or a
    configured column named alike (the subject writes the field in their words;
    the DPO maps it onto a known field when it does not match)."""
    return _mapped(spec.rectify_columns, field)


def _mapped(mapping: dict[str, str], field: str) -> str:
    key = field.strip().lower()
    for name, target in mapping.items():
        if key in (name.lower(), target.lower()):
            return target
    return ""


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


def _plan_sql_restriction(builder, run, tables, found, *, lift: bool = False) -> bool:
    """Art. 18: flag the subject's rows. With ``lift`` (Art. 18(1)(a) while the
    accuracy is checked), the flag is set at once and lifted when the
    approved corrections are applied."""
    planned = False
    for spec in tables:
        if not spec.restriction_column:
            continue
        for row in found.get(spec.name, []):
            fields = {spec.restriction_column: True}
            if spec.restriction_date_column:
                fields[spec.restriction_date_column] = "@now"
            common = {"entity": spec.name, "record_key": str(row[spec.key]), "category": spec.category}
            if lift:
                builder.add(run, action=Action.RESTRICT, note=MEANWHILE, fields=fields, **common)
                builder.add(run, action=Action.UNRESTRICT, fields={spec.restriction_column: False}, **common)
            else:
                builder.add(run, action=Action.RESTRICT, fields=fields, **common)
            planned = True
    return planned


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
        fields = [c.get("field", "") for c in job.options.get("corrections") or [] if isinstance(c, dict)]
        return _contested_scope([], fields, meanwhile=True)
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


def _plan_sql_restriction_request(builder, run, tables: list[TableWrite], found, job) -> None:
    """A restriction request: every table holding the subject's data, or on
    Art. 18(1)(a) only those holding the contested data. The plan says why."""
    if not any(found.values()):
        return
    scope = restriction_scope(job)
    covered = [spec for spec in tables if scope.covers(spec)]
    if not _plan_sql_restriction(builder, run, covered, found) and any(found.get(spec.name) for spec in covered):
        fields = {"categories": sorted(scope.categories)} if scope.categories is not None else {}
        builder.add(run, entity="*", action=Action.MANUAL, fields=fields, note="No restriction column configured.")
    builder.note(run, _scope_notes(scope, tables, found))


def _plan_sql_meanwhile(builder, run, tables: list[TableWrite], found, job) -> None:
    """A rectification restricted while it is checked (Art. 18(1)(a)): the
    tables holding the corrected data, restricted at once and lifted once the
    approved corrections are applied.

    Tables an earlier computation of the plan restricted stay covered: the DPO
    may since have mapped a correction onto another field, and their
    restriction must still be lifted with the others'."""
    if not any(found.values()):
        return
    scope = restriction_scope(job)
    before = builder.restricted_before.get(run.connector.code, set())
    covered = [spec for spec in tables if scope.covers(spec) or spec.name in before]
    if not _plan_sql_restriction(builder, run, covered, found, lift=True) and any(
        found.get(spec.name) for spec in covered
    ):
        _plan_manual_meanwhile(builder, run, categories=scope.categories)
    kept = [spec.name for spec in tables if spec.name in before and not scope.covers(spec) and found.get(spec.name)]
    builder.note(run, _scope_notes(scope, tables, found, kept=kept))


def _restricted_meanwhile(plan: Plan) -> dict[str, set[str]]:
    """The tables, per source, a computation of this plan already restricted at once (Art. 18(1)(a))."""
    restricted: dict[str, set[str]] = {}
    items = plan.items.filter(note=MEANWHILE, action=Action.RESTRICT, status=PlanItem.Status.DONE)
    for code, entity in items.values_list("run__connector__code", "entity"):
        restricted.setdefault(code, set()).add(entity)
    return restricted


def _scope_notes(scope: RestrictionScope, tables: list[TableWrite], found, *, kept=()) -> list[Message]:
    """What a restriction covers in a SQL source, and why (Plan.scope_notes)."""
    if scope.categories is None:
        return [Message(scope.why)]
    held = [spec for spec in tables if found.get(spec.name)]
    lead = (
        gettext_noop(
            "Art. 18(1)(a): while the corrections are checked, only the data they concern is restricted "
            "(%(categories)s)."
        )
        if scope.meanwhile
        else gettext_noop(
            "Art. 18(1)(a): only the data whose accuracy the subject contests is restricted (%(categories)s)."
        )
    )
    notes = [Message(lead, categories=", ".join(sorted(scope.categories)))]
    lists = (
        (
            gettext_noop("Tables holding it, covered by the restriction: %(tables)s."),
            [s.name for s in held if s.record_categories & scope.categories],
        ),
        (
            gettext_noop("Tables whose data category is not configured, covered to be safe: %(tables)s."),
            [s.name for s in held if not s.record_categories],
        ),
        (
            gettext_noop(
                "Tables restricted when this plan was computed before, still covered so that their restriction "
                "is lifted with the rest: %(tables)s."
            ),
            list(kept),
        ),
        (
            gettext_noop("Tables not restricted, as they hold none of it: %(tables)s."),
            [s.name for s in held if not scope.covers(s) and s.name not in kept],
        ),
    )
    notes.extend(Message(template, tables=", ".join(names)) for template, names in lists if names)
    return notes


def _plan_sql_stop(builder, run, connector, tables, found, job, activities) -> None:
    codes = list(job.options.get("activities") or [])
    linked = {a.code for a in connector.activities.all()}
    for code in codes:
        activity = activities.get(code)
        mandatory = _mandatory(job, activity)
        done = False
        for spec in tables:
            column = spec.consent_columns.get(code)
            if not column:
                continue
            for row in found.get(spec.name, []):
                fields = {column: False}
                date_column = spec.consent_date_columns.get(code) or spec.consent_date_column
                if date_column:
                    fields[date_column] = "@now"
                builder.add(
                    run,
                    entity=spec.name,
                    record_key=str(row[spec.key]),
                    category=spec.category,
                    action=Action.STOP,
                    fields=fields,
                    activity=activity,
                    mandatory=mandatory,
                )
                done = True
        if not done and code in linked and any(found.values()):
            builder.add(
                run,
                entity="*",
                action=Action.MANUAL,
                activity=activity,
                mandatory=mandatory,
                note="No consent column configured for this activity.",
            )


def _mandatory(job: Job, activity) -> bool:
    """Art. 21(3): an objection to direct marketing is always honoured; a
    withdrawal of consent (Art. 7(3)) too. Other objections (Art. 21(1)) may be
    refused for compelling legitimate grounds."""
    if job.options.get("request_type") == "withdrawal":
        return True
    return bool(activity and activity.direct_marketing)


# ------------------------------------------------------------------------------
# HTTP and manual sources
# ------------------------------------------------------------------------------
_HTTP_CALL = {Operation.ERASE: "erase", Operation.RECTIFY: "rectify", Operation.RESTRICT: "restrict"}


def _plan_http(builder, run, connector, job, identity, activities) -> None:
    """One API call per operation (per activity for an objection or a
    withdrawal). The subject is first looked up through the connector's
    resources, as gathering does: a source that holds nothing of them gets no
    call, and the plan says what the call will touch."""
    found = _http_found(connector, identity)
    if found is not None and not any(found.values()):
        return
    calls = http_calls(connector.config)
    if job.operation == Operation.STOP_PROCESSING:
        stops = calls.get("stop_processing") or {}
        linked = {a.code for a in connector.activities.all()}
        for code in job.options.get("activities") or []:
            activity = activities.get(code)
            common = {"activity": activity, "mandatory": _mandatory(job, activity)}
            if code in stops:
                _add_call(builder, run, connector, identity, f"stop_processing.{code}", found, entity=code, **common)
            elif code in linked:
                builder.add(
                    run, entity="*", action=Action.MANUAL, note="The API has no call for this activity.", **common
                )
        return
    name = _HTTP_CALL[job.operation]
    scope = erasure_scope(job)
    if scope is not None:
        held = set(connector.categories.values_list("code", flat=True))
        if held and not held & scope:
            return  # holds none of the categories to erase
        if not held or not held <= scope:
            # The erase call takes all the subject's data there, more than was asked: a person does it.
            _plan_manual(builder, run, connector, job, activities)
            return
    if name not in calls:
        _plan_manual(builder, run, connector, job, activities)
        return
    changes = None
    if job.operation == Operation.RECTIFY:
        changes = _http_changes(connector, job)
        if not changes:
            return  # none of the corrected fields is held by this source
    _add_call(builder, run, connector, identity, name, found, entity=name, changes=changes)
    if job.operation == Operation.RECTIFY and job.options.get("restrict_meanwhile"):
        if "restrict" not in calls:
            _plan_manual_meanwhile(builder, run)
            return
        _add_call(builder, run, connector, identity, "restrict", found, entity="restrict", note=MEANWHILE)
        if "unrestrict" in calls:
            _add_call(builder, run, connector, identity, "unrestrict", found, entity="unrestrict", note=LIFT)
        else:
            builder.add(run, entity="*", action=Action.MANUAL, note=LIFT)


def _plan_manual_meanwhile(builder, run, *, categories=None) -> None:
    """Art. 18(1)(a) where the source cannot restrict by itself: a person
    restricts at once (the task is created before any approval) and lifts the
    restriction once the approved corrections are applied. With
    ``categories`` (a SQL source), only the data of those categories."""
    fields = {"categories": sorted(categories)} if categories else {}
    builder.add(run, entity="*", action=Action.MANUAL, note=MEANWHILE, fields=fields)
    builder.add(run, entity="*", action=Action.MANUAL, note=LIFT)


def _add_call(builder, run, connector, identity, name, found, *, entity, changes=None, **common) -> None:
    call = http_call(connector.config, name) or {}
    # The call as the DPO reads it: its template, never the subject's values
    # (plan items are kept after an erasure).
    fields = {
        "call": name,
        "request": f"{call.get('method', 'POST').upper()} {call.get('path', '')}",
        "description": call.get("description") or "",
    }
    if found:
        fields["found"] = found
    missing = sorted(_call_placeholders(call) - set(identity.available(sorted(_call_placeholders(call)))))
    if missing:
        # A restriction-meanwhile or lift step keeps its marker: the panel and
        # the execution read it; the missing identity is then the task's to find.
        marker = common.pop("note", None)
        builder.add(
            run,
            entity="*",
            action=Action.MANUAL,
            note=marker or f"The API call needs the subject's {', '.join(missing)}, which is not known."[:500],
            **common,
        )
        return
    if changes is not None:
        fields["changes"] = changes
    builder.add(
        run,
        entity=entity,
        action=Action.API_CALL,
        fields=fields,
        approved_fields=[],
        # The API finds the subject by the identifiers the call carries.
        matched_on=sorted(_call_placeholders(call)),
        **common,
    )


def _call_placeholders(call: dict) -> set[str]:
    """The identity fields a call's path and body need."""
    from dsar.connectors.http import PLACEHOLDERS

    texts = [call.get("path") or ""]
    pending = [call.get("json")]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    names = {name for text in texts for _, name, _, _ in string.Formatter().parse(text) if name}
    return names & PLACEHOLDERS


def _http_changes(connector, job) -> dict[str, str]:
    """The corrections as the API's fields: through the rectify call's
    ``fields`` when it names them (corrections of other fields are not for
    this source), as the subject named them otherwise."""
    mapping = http_rectify_fields(connector.config)
    changes = {}
    for correction in job.options.get("corrections") or []:
        field = correction.get("field", "")
        target = _mapped(mapping, field) if mapping else field
        if target:
            changes[target] = correction.get("correct", "")
    return changes


def _http_found(connector, identity) -> dict[str, int] | None:
    """How many of the subject's records each resource holds; None when the
    connector reads nothing (a write-only API)."""
    from dsar.connectors import connector_for

    if not connector.config.get("resources"):
        return None
    result = connector_for(connector).find(identity)
    counts: dict[str, int] = {
        resource["name"]: 0 for resource in connector.config["resources"] if isinstance(resource, dict)
    }
    for record in result.records:
        counts[record.entity] = counts.get(record.entity, 0) + 1
    return counts


def _holds_corrected_data(connector, job) -> bool:
    """Whether a source may hold the data a rectification corrects: the
    register's categories of the source against those of the corrected fields
    (as the SQL sources classify them). When either is unknown, it may."""
    from dsar.execution.recipients import field_categories

    corrections = job.options.get("corrections") or []
    by_field = field_categories()
    corrected = {by_field.get(str(c.get("field", "")).strip().lower(), "") for c in corrections}
    if not corrected or "" in corrected:
        return True
    held = set(connector.categories.values_list("code", flat=True))
    return not held or bool(held & corrected)


def _plan_manual(builder, run, connector, job, activities) -> None:
    if job.operation == Operation.RECTIFY and not _holds_corrected_data(connector, job):
        # Nothing to correct there, nor to restrict while the correction is checked.
        return
    if job.operation == Operation.STOP_PROCESSING:
        linked = {a.code for a in connector.activities.all()}
        for code in job.options.get("activities") or []:
            if code in linked:
                activity = activities.get(code)
                builder.add(
                    run, entity="*", action=Action.MANUAL, activity=activity, mandatory=_mandatory(job, activity)
                )
        return
    fields = {}
    if job.operation == Operation.RECTIFY:
        fields = {"changes": {c.get("field"): c.get("correct", "") for c in job.options.get("corrections") or []}}
    scope = erasure_scope(job)
    if scope is not None:
        held = set(connector.categories.values_list("code", flat=True))
        if held and not held & scope:
            return  # holds none of the categories to erase
        # What the person erases: the categories asked for that the source holds (all asked, when unknown).
        fields = {"categories": sorted(held & scope if held else scope)}
    builder.add(run, entity="*", action=Action.MANUAL, fields=fields)
    if job.operation == Operation.RECTIFY and job.options.get("restrict_meanwhile"):
        _plan_manual_meanwhile(builder, run)
