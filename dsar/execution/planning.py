"""Computing a plan: what an execution job would change, without changing anything.

``compute_plan(plan)`` reads the subject's records in every relevant source
and writes one PlanItem per record and action, with the reasons for what is
kept (legal holds from the register, Art. 17(3)). The job's ``options`` carry
what the request asked for (see ``job_options``).
"""

from __future__ import annotations

import datetime as dt
import json

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from dsar.connectors.base import ConnectorError, SubjectIdentity
from dsar.execution import sqlsource
from dsar.execution.config import TableWrite, http_calls, table_writes
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

    def add(self, run: SourceRun, **fields) -> PlanItem:
        self.seq += 1
        item = PlanItem(plan=self.plan, run=run, seq=self.seq, **fields)
        self.items.append(item)
        return item


def relevant_connectors(job: Job) -> list[Connector]:
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
        plan.items.all().delete()
        for connector in relevant_connectors(job):
            run, _ = SourceRun.objects.get_or_create(job=job, connector=connector)
            run.status, run.error, run.summary = SourceRun.Status.PENDING, "", {}
            supported = job.operation in (connector.operations or [])
            try:
                if connector.kind == Connector.Kind.SQL and supported:
                    _plan_sql(builder, run, connector, job, identity, activities)
                elif connector.kind == Connector.Kind.HTTP and supported:
                    _plan_http(builder, run, connector, job, activities)
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
        plan.save(update_fields=["status", "error", "computed_at"])
    return plan


# ------------------------------------------------------------------------------
# SQL
# ------------------------------------------------------------------------------
def _plan_sql(builder, run, connector, job, identity, activities) -> None:
    tables = table_writes(connector.config)
    schema = connector.config.get("schema")
    with sqlsource.engine_for(connector.config).connect() as connection:
        found = sqlsource.find_rows(connection, tables, identity, schema)
    if job.operation == Operation.ERASE:
        _plan_sql_erasure(builder, run, tables, found, activities, job)
    elif job.operation == Operation.RECTIFY:
        _plan_sql_rectification(builder, run, tables, found, job)
        if job.options.get("restrict_meanwhile") and any(found.values()):
            if not _plan_sql_restriction(builder, run, tables, found, lift=True):
                _plan_manual_meanwhile(builder, run)
    elif job.operation == Operation.RESTRICT:
        if not _plan_sql_restriction(builder, run, tables, found) and any(found.values()):
            builder.add(run, entity="*", action=Action.MANUAL, note="No restriction column configured.")
    elif job.operation == Operation.STOP_PROCESSING:
        _plan_sql_stop(builder, run, connector, tables, found, job, activities)


def _plan_sql_erasure(builder, run, tables: list[TableWrite], found, activities, job) -> None:
    today = timezone.localdate()
    held: dict[str, dict[str, tuple]] = {}  # table -> key -> (reason, keep_until, note)
    by_name = {spec.name: spec for spec in tables}
    # Holds first, parents before children, so that children inherit their
    # parent's hold (invoice lines are kept as long as their invoice).
    for spec in tables:
        held[spec.name] = {}
        hold = spec.legal_hold or {}
        activity = activities.get(hold.get("activity", ""))
        for row in found.get(spec.name, []):
            key = str(row[spec.key])
            if activity and activity.legal_hold_years:
                date = _as_date(row.get(hold.get("date_column", "")))
                if date is not None:
                    until = date + relativedelta(years=activity.legal_hold_years)
                    if until > today:
                        held[spec.name][key] = (
                            Exception17.LEGAL_OBLIGATION,
                            until,
                            pick(activity.legal_hold_reason) or activity.code,
                        )
                        continue
            if spec.parent:
                parent_hold = held.get(spec.parent["table"], {}).get(str(row[spec.parent["column"]]))
                if parent_hold:
                    held[spec.name][key] = parent_hold
    # Parents of held rows cannot be deleted (the held rows point at them): they are masked if possible.
    referenced: dict[str, set[str]] = {spec.name: set() for spec in tables}
    for spec in tables:
        if spec.parent:
            for row in found.get(spec.name, []):
                if str(row[spec.key]) in held[spec.name]:
                    referenced[spec.parent["table"]].add(str(row[spec.parent["column"]]))
    scope_categories = set(job.options.get("categories") or [])
    for spec in tables:
        for row in found.get(spec.name, []):
            key = str(row[spec.key])
            common = {"entity": spec.name, "record_key": key, "category": spec.category}
            if scope_categories and spec.category not in scope_categories:
                continue
            if key in held[spec.name]:
                reason, until, note = held[spec.name][key]
                activity = activities.get((spec.legal_hold or {}).get("activity", ""))
                builder.add(
                    run,
                    action=Action.KEEP,
                    reason=reason,
                    keep_until=until,
                    note=note[:500],
                    activity=activity,
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
    key = field.strip().lower()
    for name, column in spec.rectify_columns.items():
        if key in (name.lower(), column.lower()):
            return column
    return ""


def correction_fields() -> list[str]:
    """Every field a correction can be mapped onto, over the enabled SQL sources."""
    names: set[str] = set()
    for connector in Connector.objects.filter(enabled=True, kind=Connector.Kind.SQL):
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


def _plan_http(builder, run, connector, job, activities) -> None:
    calls = http_calls(connector.config)
    if job.operation == Operation.STOP_PROCESSING:
        stops = calls.get("stop_processing") or {}
        for code in job.options.get("activities") or []:
            activity = activities.get(code)
            if code in stops:
                builder.add(
                    run,
                    entity=code,
                    action=Action.API_CALL,
                    fields={"call": f"stop_processing.{code}"},
                    activity=activity,
                    mandatory=_mandatory(job, activity),
                )
            elif code in {a.code for a in connector.activities.all()}:
                builder.add(
                    run,
                    entity="*",
                    action=Action.MANUAL,
                    activity=activity,
                    mandatory=_mandatory(job, activity),
                    note="The API has no call for this activity.",
                )
        return
    name = _HTTP_CALL[job.operation]
    if name not in calls:
        _plan_manual(builder, run, connector, job, activities)
        return
    fields = {"call": name}
    if job.operation == Operation.RECTIFY:
        fields["changes"] = {c.get("field"): c.get("correct", "") for c in job.options.get("corrections") or []}
    builder.add(
        run,
        entity=name,
        action=Action.API_CALL,
        fields=fields,
        approved_fields=[] if job.operation == Operation.RECTIFY else list(fields),
    )
    if job.operation == Operation.RECTIFY and job.options.get("restrict_meanwhile"):
        if "restrict" not in calls:
            _plan_manual_meanwhile(builder, run)
            return
        builder.add(run, entity="restrict", action=Action.API_CALL, note=MEANWHILE, fields={"call": "restrict"})
        if "unrestrict" in calls:
            builder.add(run, entity="unrestrict", action=Action.API_CALL, note=LIFT, fields={"call": "unrestrict"})
        else:
            builder.add(run, entity="*", action=Action.MANUAL, note=LIFT)


def _plan_manual_meanwhile(builder, run) -> None:
    """Art. 18(1)(a) where the source cannot restrict by itself: a person
    restricts at once (the task is created before any approval) and lifts the
    restriction once the approved corrections are applied."""
    builder.add(run, entity="*", action=Action.MANUAL, note=MEANWHILE)
    builder.add(run, entity="*", action=Action.MANUAL, note=LIFT)


def _plan_manual(builder, run, connector, job, activities) -> None:
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
    builder.add(run, entity="*", action=Action.MANUAL, fields=fields)
    if job.operation == Operation.RECTIFY and job.options.get("restrict_meanwhile"):
        _plan_manual_meanwhile(builder, run)
