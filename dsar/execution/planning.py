"""Computing a plan: what an execution job would change, without changing anything.

``compute_plan(plan)`` reads the subject's records in every relevant source
and writes one PlanItem per record and action, with the reasons for what is
kept (legal holds from the register, Art. 17(3)). The job's ``options`` carry
what the request asked for (see ``job_options``); ``scope`` reads what they
cover. SQL sources are planned here, record by record; HTTP and manual sources
in ``planning_http``.
"""

from __future__ import annotations

import datetime as dt
import json

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from dsar.connectors.base import ConnectorError, Message
from dsar.execution import sqlsource
from dsar.execution.config import TableWrite, http_calls, table_writes
from dsar.execution.models import MEANWHILE, UNREAD, Action, Exception17, Plan, PlanItem
from dsar.execution.planning_http import plan_http, plan_manual, plan_manual_meanwhile
from dsar.execution.scope import (
    RestrictionScope,
    all_correction_changes,
    awaits_categories,
    erasure_scope,
    identity_of,
    is_mandatory,
    rectify_column,
    restriction_scope,
)
from dsar.models import Connector, Job, Operation, ProcessingActivity, SourceRun, pick


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


class PlanBuilder:
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
    builder = PlanBuilder(plan)
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
                    plan_http(builder, run, connector, job, identity, activities)
                else:
                    plan_manual(builder, run, connector, job, activities)
            except ConnectorError as exc:
                run.status, run.error = SourceRun.Status.FAILED, str(exc)
            except Exception as exc:
                run.status, run.error = SourceRun.Status.FAILED, str(sqlsource.wrap_error(exc, connector.name))
            if run.status == SourceRun.Status.FAILED:
                # Kept beside the error, which an execution attempt clears: a source that could not be
                # read was never searched, and no later step may count it done (issue 12, fail closed).
                run.summary = {UNREAD: run.error}
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
        if hold and (activity is None or not activity.legal_hold_years):
            # Fail closed (Art. 17(3)(b)): a hold that names no activity keeping data for a period would
            # plan "delete" for what the law says to keep. The source fails; the DPO sees why.
            raise ConnectorError(
                f"Table {spec.name}: its legal hold names the activity '{hold.get('activity', '')}', which is not in "
                "the register or keeps nothing for a period (legal_hold_years)."
            )
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
    # Parents of rows that stay (held by law, outside the categories the subject
    # asked to erase, kept or masked by the table's erasure, or themselves a parent
    # of such a row) cannot be deleted: they are masked if possible. Children
    # first, so that it carries up the whole chain: a payment kept by law keeps
    # its rental, which keeps its member (masked), never a dangling reference.
    referenced: dict[str, set[str]] = {spec.name: set() for spec in tables}
    for spec in reversed(tables):
        if spec.parent:
            for row in found.get(spec.name, []):
                key = str(row[spec.key])
                stays = (
                    key in held[spec.name]
                    or (scope is not None and spec.category not in scope)
                    or spec.erasure_action != "delete"
                    or key in referenced[spec.name]
                )
                if stays:
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
    """One item per record of a table holding a corrected field, with the
    record's current values of those fields (``before``, encrypted) so that the
    DPO sees the record before and after the change before approving it."""
    corrections = all_correction_changes(job)
    for spec in tables:
        changes = {}
        for field, value in corrections.items():
            column = rectify_column(spec, field)
            if column:
                changes[column] = value
        if not changes:
            continue
        for row in found.get(spec.name, []):
            before = {column: row.get(column) for column in changes}
            builder.add(
                run,
                entity=spec.name,
                record_key=str(row[spec.key]),
                category=spec.category,
                action=Action.RECTIFY,
                fields=changes,
                approved_fields=[],
                before=json.dumps(before, default=str),
            )


def _plan_sql_restriction(builder, run, tables, found, *, lift: bool = False) -> bool:
    """Art. 18: flag the subject's rows. With ``lift`` (Art. 18(1)(a) while the
    accuracy is checked), the flag is set at once and lifted when the
    approved corrections are applied."""
    planned = False
    for spec in tables:
        if not spec.restriction_column:
            continue
        for row in found.get(spec.name, []):
            fields: dict[str, object] = {spec.restriction_column: True}
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
        plan_manual_meanwhile(builder, run, categories=scope.categories)
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
        mandatory = is_mandatory(job, activity)
        done = False
        for spec in tables:
            column = spec.consent_columns.get(code)
            if not column:
                continue
            for row in found.get(spec.name, []):
                fields: dict[str, object] = {column: False}
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
