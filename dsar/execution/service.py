"""The execution's life: create, compute, review, approve, execute, resume.

Functions take ids or objects and do the domain work; Celery tasks
(``tasks.py``) are thin wrappers. The ticket hears of progress through
``signals``: the engine never imports the ticket.
"""

from __future__ import annotations

import json
import logging
from collections import Counter

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dsar.connectors.base import ConnectorError
from dsar.execution import deferred, planning, scope, signals
from dsar.execution.executors import ManualExecutor, executor_for
from dsar.execution.models import LIFT, MEANWHILE, UNREAD, Action, Exception17, Plan, PlanItem
from dsar.models import Job, ManualTask, Operation, SourceRun

log = logging.getLogger(__name__)


class PlanError(Exception):
    """A change to the plan that cannot be made now; the message is shown."""


def create_plan(*, external_ref: str, operation: str, identity: dict, options: dict) -> Plan:
    job = Job.objects.create(
        external_ref=external_ref, operation=operation, identity=json.dumps(identity), options=options
    )
    return Plan.objects.create(job=job)


def compute(plan_id: int) -> Plan:
    plan = Plan.objects.select_related("job").get(pk=plan_id)
    try:
        planning.compute_plan(plan)
    except Exception as exc:
        log.exception("Plan %s could not be computed", plan_id)
        plan.status, plan.error = Plan.Status.FAILED, f"{type(exc).__name__}: {exc}"[:2000]
        plan.save(update_fields=["status", "error"])
    if plan.status == Plan.Status.READY:
        # Before anything is applied: the caller may leave items out (e.g. records found only by
        # identifiers it did not verify), and what is left out is not restricted at once either.
        signals.plan_ready.send(Plan, plan=plan)
        apply_meanwhile(plan)
    transaction.on_commit(lambda: signals.plan_computed.send(Plan, plan=plan))
    return plan


def apply_meanwhile(plan: Plan) -> None:
    """Art. 18(1)(a): the data is restricted at once while the accuracy is
    checked, before the DPO has approved anything."""
    items = list(plan.items.filter(note=MEANWHILE, status=PlanItem.Status.PLANNED))
    for run_id in {item.run_id for item in items}:
        run = SourceRun.objects.select_related("connector", "job").get(pk=run_id)
        try:
            executor_for(run).execute([i for i in items if i.run_id == run_id])
        except ConnectorError as exc:
            log.warning("Restriction meanwhile failed on %s: %s", run.connector.code, exc)


# ------------------------------------------------------------------------------
# Review
# ------------------------------------------------------------------------------
def _editable(plan: Plan) -> None:
    if not plan.editable:
        raise PlanError(_("The plan can only be changed while it waits for approval."))


def keep_item(item: PlanItem, *, reason: str, note: str) -> PlanItem:
    """The DPO keeps a record the plan would erase (Art. 17(3)), with the reason."""
    _editable(item.plan)
    if reason not in Exception17.values:
        raise PlanError(_("Choose the Art. 17(3) ground for keeping it."))
    if not note.strip():
        raise PlanError(_("Explain why it is kept."))
    if item.action not in (Action.DELETE, Action.MASK, Action.MANUAL):
        raise PlanError(_("Only records to erase can be kept."))
    item.fields = {**item.fields, "planned_action": item.action}
    item.action, item.reason, item.note = Action.KEEP, reason, note[:500]
    item.save(update_fields=["fields", "action", "reason", "note"])
    return item


def include_item(item: PlanItem, *, include: bool, note: str = "") -> PlanItem:
    """Leave out (or put back) an item. A mandatory one (Art. 21(3), Art. 7(3)) cannot be left out."""
    _editable(item.plan)
    if not include and item.mandatory:
        raise PlanError(_("An objection to direct marketing or a withdrawal of consent is always honoured."))
    if not include and not note.strip():
        raise PlanError(_("Explain why it is left out."))
    if item.status not in (PlanItem.Status.PLANNED, PlanItem.Status.SKIPPED):
        raise PlanError(_("This step was already carried out."))
    if include and item.action == Action.KEEP and item.fields.get("planned_action"):
        item.action = item.fields.pop("planned_action")
        item.reason = ""
    item.status = PlanItem.Status.PLANNED if include else PlanItem.Status.SKIPPED
    if item.note in (MEANWHILE, LIFT):
        # The note marks the restriction step: the reason goes beside it, so that putting it back restores the step.
        item.fields = {k: v for k, v in item.fields.items() if k != "left_out"}
        if not include:
            item.fields["left_out"] = note[:500]
    else:
        item.note = note[:500] if not include else item.note
    item.save(update_fields=["status", "note", "action", "reason", "fields"])
    return item


def approve_fields(item: PlanItem, *, fields: list[str]) -> PlanItem:
    """Rectification: the DPO approves exactly these fields; only they are written.
    None at all is no decision the plan can carry out: the record is left out instead."""
    _editable(item.plan)
    known = set(item.fields.get("changes", item.fields))
    unknown = set(fields) - known
    if unknown:
        raise PlanError(_("Unknown field."))
    if not fields:
        raise PlanError(_("Tick at least one field, or leave the record out of the plan."))
    item.approved_fields = sorted(fields)
    item.save(update_fields=["approved_fields"])
    return item


def approve_pending_corrections(plan: Plan) -> int:
    """Approving a rectification plan approves every proposed field of the
    records on which the DPO decided nothing: the plan the DPO saw, with each
    record before and after, is what is written. Returns how many records."""
    pending = [
        item
        for item in plan.items.filter(status=PlanItem.Status.PLANNED, approved_fields=[])
        if item.action == Action.RECTIFY or item.fields.get("changes")
    ]
    for item in pending:
        item.approved_fields = sorted(item.fields.get("changes", item.fields))
        item.save(update_fields=["approved_fields"])
    return len(pending)


def map_correction(plan: Plan, *, index: int, field: str = "", fields: dict[str, str] | None = None) -> Plan:
    """Rectification: the subject named the field in their words; the DPO says
    which known field it is (``field``), or which fields, each with its value
    (``fields``: an address becomes street, postal code and town). The plan
    must then be computed again."""
    _editable(plan)
    job = plan.job
    corrections = list(job.options.get("corrections") or [])
    if not 0 <= index < len(corrections):
        raise PlanError(_("Unknown correction."))
    known = set(scope.correction_fields())
    if fields:
        cleaned = {str(name).strip(): str(value).strip() for name, value in fields.items() if str(name).strip()}
        if not cleaned or set(cleaned) - known:
            raise PlanError(_("Unknown field."))
        if any(not value for value in cleaned.values()):
            raise PlanError(_("Give the new value of every field chosen."))
        corrections[index] = {**corrections[index], "fields": cleaned}
    else:
        if field not in known:
            raise PlanError(_("Unknown field."))
        # The single-field form (API 1.2): the correction is this one field, with the subject's value.
        corrections[index] = {k: v for k, v in corrections[index].items() if k != "fields"} | {"field": field}
    job.options = {**job.options, "corrections": corrections}
    job.save(update_fields=["options"])
    return plan


def choose_categories(plan: Plan, *, categories: list[str]) -> Plan:
    """An erasure of specific data: the DPO says which data categories of the
    register it covers (the subject named them in words only, or not the ones
    meant). The plan must then be computed again."""
    from dsar.models import DataCategory

    _editable(plan)
    job = plan.job
    if scope.erasure_scope(job) is None:
        raise PlanError(_("Only an erasure of specific data is limited to categories."))
    codes = sorted(set(categories))
    if not codes:
        raise PlanError(_("Choose at least one data category."))
    if set(codes) - set(DataCategory.objects.filter(code__in=codes).values_list("code", flat=True)):
        raise PlanError(_("Unknown data category."))
    job.options = {**job.options, "categories": codes}
    job.save(update_fields=["options"])
    return plan


def hold_back_item(item: PlanItem, *, note: str) -> bool:
    """Leave out a step the caller will not let run yet, mandatory or not, with
    the reason (the ticket holds back the steps on records found only by
    identifiers nobody verified: Art. 21(3) does not oblige us to act on another
    person's records). The DPO puts it back with ``include_item``.

    A conditional update rather than a read then a save: only a step still
    planned, of a plan still waiting for approval, is held back, whatever
    happened since the caller read it. Returns whether it was held back."""
    changes: dict[str, object]
    if item.note in (MEANWHILE, LIFT):
        # The note marks the restriction step; the reason goes beside it (as ``include_item`` does).
        changes = {"fields": {**item.fields, "left_out": note}}
    else:
        changes = {"note": note[:500]}
    held = PlanItem.objects.filter(pk=item.pk, status=PlanItem.Status.PLANNED, plan__status=Plan.Status.READY).update(
        status=PlanItem.Status.SKIPPED, **changes
    )
    if held:
        item.status = PlanItem.Status.SKIPPED
        for name, value in changes.items():
            setattr(item, name, value)
    return bool(held)


def approve(plan: Plan, *, user) -> Plan:
    """The plan as it now stands may be executed. (Who may approve is the caller's rule.)"""
    with transaction.atomic():
        plan = Plan.objects.select_for_update().select_related("job").get(pk=plan.pk)
        _editable(plan)
        if scope.awaits_categories(plan.job):
            raise PlanError(
                _("The subject asked to erase specific data only: choose its data categories before approving.")
            )
        plan.status, plan.approved_at, plan.approved_by = Plan.Status.APPROVED, timezone.now(), user
        plan.save(update_fields=["status", "approved_at", "approved_by"])
    return plan


def mark_for_recompute(plan: Plan) -> None:
    """Put a plan not yet approved back to planning; ``compute`` then fills it again.

    A conditional update, not a check of the caller's (possibly stale) object
    followed by a write: a plan approved in between, by another staff member or
    through the API, keeps its status instead of being reset to planning and
    computed again while the workers change the sources."""
    reset = Plan.objects.filter(pk=plan.pk, status__in=[Plan.Status.READY, Plan.Status.FAILED]).update(
        status=Plan.Status.PLANNING, error=""
    )
    if not reset:
        raise PlanError(_("Only a plan that is not yet approved can be computed again."))


def defer_meanwhile_lift(plan: Plan) -> int:
    """A rectification restricted while it was checked (Art. 18(1)(a)): the
    steps that would lift the restriction together with the corrections are
    taken out of the approved plan. Art. 18(3) wants the subject told before
    the restriction is lifted, so the lifting is scheduled (the ticket's
    ``RestrictionLift``) and ``plan_lift`` adds the steps again when it is due.
    Returns how many steps were taken out."""
    steps = plan.items.filter(status__in=[PlanItem.Status.PLANNED, PlanItem.Status.SKIPPED]).filter(
        Q(action=Action.UNRESTRICT) | Q(note=LIFT)
    )
    return steps.delete()[0]


def has_meanwhile_restriction(plan: Plan) -> bool:
    """Whether the plan restricted data at once while the corrections are checked (Art. 18(1)(a))."""
    return plan.items.filter(note=MEANWHILE, action__in=[Action.RESTRICT, Action.MANUAL, Action.API_CALL]).exists()


def is_lifted(plan: Plan) -> bool:
    return plan.items.filter(Q(action=Action.UNRESTRICT) | Q(note=LIFT)).exists()


def plan_lift(plan: Plan) -> list[PlanItem]:
    """Art. 18(3): add the steps that lift the restriction a restriction plan
    applied (unset the flag where the source has one; otherwise the API's
    ``unrestrict`` call or a person), and make the plan executable again.
    Telling the subject first is the caller's part."""
    from dsar.execution.config import http_calls

    with transaction.atomic():
        plan = Plan.objects.select_for_update().select_related("job").get(pk=plan.pk)
        if plan.status != Plan.Status.DONE:
            raise PlanError(_("Only a restriction that was carried out can be lifted."))
        if is_lifted(plan):
            raise PlanError(_("The restriction was already lifted."))
        restricted_items = plan.items.filter(
            status=PlanItem.Status.DONE, action__in=[Action.RESTRICT, Action.MANUAL, Action.API_CALL]
        )
        if plan.job.operation == Operation.RECTIFY:
            # Art. 18(1)(a) while the corrections were checked: only the steps that restricted at once.
            restricted_items = restricted_items.filter(note=MEANWHILE)
        restricted = list(restricted_items.select_related("run__connector").order_by("seq"))
        if not restricted:
            raise PlanError(_("Nothing was restricted by this plan."))
        seq = plan.items.order_by("-seq").values_list("seq", flat=True).first() or 0
        added: list[PlanItem] = []
        by_hand: set[int] = set()

        def add(item: PlanItem, **fields) -> None:
            nonlocal seq
            seq += 1
            added.append(PlanItem(plan=plan, run=item.run, seq=seq, **fields))

        for item in restricted:
            if item.action == Action.RESTRICT:
                # The flag goes back; its date column keeps when it was restricted.
                flags = {column: False for column, value in item.fields.items() if value is True}
                common = {"entity": item.entity, "record_key": item.record_key, "category": item.category}
                add(item, action=Action.UNRESTRICT, fields=flags, **common)
            elif item.action == Action.API_CALL and "unrestrict" in http_calls(item.run.connector.config):
                add(item, entity="unrestrict", action=Action.API_CALL, note=LIFT, fields={"call": "unrestrict"})
            elif item.run_id not in by_hand:
                by_hand.add(item.run_id)
                add(item, entity="*", action=Action.MANUAL, note=LIFT)
        PlanItem.objects.bulk_create(added)
        plan.status = Plan.Status.APPROVED
        plan.save(update_fields=["status"])
    return added


# ------------------------------------------------------------------------------
# Execution
# ------------------------------------------------------------------------------
def runs_to_execute(plan: Plan) -> list[int]:
    """Mark the plan executing and return the runs that still have work (also used to resume)."""
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if plan.status not in (Plan.Status.APPROVED, Plan.Status.PARTIAL, Plan.Status.EXECUTING):
            raise PlanError(_("Only an approved plan, or one with failures, can be executed."))
        plan.status = Plan.Status.EXECUTING
        plan.save(update_fields=["status"])
        Job.objects.filter(pk=plan.job_id).update(status=Job.Status.RUNNING)
        run_ids = []
        for run in plan.job.runs.all():
            open_items = run.plan_items.filter(status__in=[PlanItem.Status.PLANNED, PlanItem.Status.FAILED]).exclude(
                action=Action.KEEP
            )
            # A source the plan could not read is not retried here: nothing was planned on it, so an
            # execution would "succeed" on it with nothing done (it needs the plan computed again).
            if open_items.exists() or (run.status == SourceRun.Status.FAILED and not unread_error(run)):
                run.status, run.error = SourceRun.Status.PENDING, ""
                run.save(update_fields=["status", "error"])
                run_ids.append(run.pk)
            elif run.status != SourceRun.Status.WAITING:
                _finish_run(run, SourceRun.Status.DONE)
    if not run_ids:
        finish_if_complete(plan.pk)
    return run_ids


def execute_run(run_id: int, *, final_attempt: bool = True) -> SourceRun:
    """Apply the plan's open items on one source. A failure leaves the items
    done so far marked done and the rest planned or failed: running it again
    resumes where it stopped."""
    run = SourceRun.objects.select_related("connector", "job").get(pk=run_id)
    run.status, run.started_at = SourceRun.Status.RUNNING, run.started_at or timezone.now()
    run.attempts += 1
    run.save(update_fields=["status", "started_at", "attempts"])
    try:
        executor_for(run).execute()
    except ConnectorError as exc:
        if exc.transient and not final_attempt:
            run.status, run.error = SourceRun.Status.PENDING, str(exc)
            run.save(update_fields=["status", "error"])
            raise
        _finish_run(run, SourceRun.Status.FAILED, error=str(exc))
    except Exception as exc:
        log.exception("Execution failed on run %s", run_id)
        _finish_run(run, SourceRun.Status.FAILED, error=f"{type(exc).__name__}: {exc}")
    else:
        waiting = run.plan_items.filter(status=PlanItem.Status.WAITING).exists()
        _finish_run(run, SourceRun.Status.WAITING if waiting else SourceRun.Status.DONE)
    finish_if_complete(run.job.plan.pk)
    return run


def unread_error(run: SourceRun) -> str:
    """Why the source could not be read when the plan was computed ("" when it was read)."""
    return str((run.summary or {}).get(UNREAD, ""))


def _finish_run(run: SourceRun, status: str, *, error: str = "") -> None:
    unread = unread_error(run)
    if unread and status == SourceRun.Status.DONE:
        # Fail closed: whatever was approved and done on it, a source that could not be read was
        # never searched. Shown and counted as done, it would tell the subject "nothing found".
        status, error = SourceRun.Status.FAILED, error or unread
    run.status, run.error = status, error[:2000]
    if status != SourceRun.Status.WAITING:
        run.finished_at = timezone.now()
        if run.started_at:
            run.duration_ms = int((run.finished_at - run.started_at).total_seconds() * 1000)
    run.summary = run_summary(run)
    run.save(update_fields=["status", "error", "finished_at", "duration_ms", "summary"])


def run_summary(run: SourceRun) -> dict:
    """What was done on one source, in counts (no personal data): the record of accountability."""
    counts: Counter = Counter()
    rows: Counter = Counter()
    for action, status, changed in run.plan_items.values_list("action", "status", "changed"):
        counts[f"{action}:{status}"] += 1
        rows[action] += changed
    summary: dict[str, object] = {"items": dict(counts), "rows_changed": dict(rows)}
    if unread_error(run):
        summary[UNREAD] = unread_error(run)
    return summary


def finish_if_complete(plan_id: int) -> Plan:
    with transaction.atomic():
        # Two runs finishing at once: the lock makes exactly one of them see the plan complete.
        plan = Plan.objects.select_for_update().get(pk=plan_id)
        statuses = set(plan.job.runs.values_list("status", flat=True))
        if statuses & {SourceRun.Status.PENDING, SourceRun.Status.RUNNING}:
            return plan
        if SourceRun.Status.WAITING in statuses:
            new = Plan.Status.WAITING
        elif SourceRun.Status.FAILED in statuses:
            new = Plan.Status.PARTIAL
        else:
            new = Plan.Status.DONE
        if new == plan.status:
            return plan
        plan.status = new
        if new in (Plan.Status.DONE, Plan.Status.PARTIAL):
            plan.executed_at = timezone.now()
            # What a legal hold kept is erased when the hold ends ("as soon as we may").
            deferred.defer_held_items(plan)
        plan.save(update_fields=["status", "executed_at"])
        job_status = {Plan.Status.DONE: Job.Status.DONE, Plan.Status.PARTIAL: Job.Status.PARTIAL}.get(
            new, Job.Status.RUNNING
        )
        Job.objects.filter(pk=plan.job_id).update(
            status=job_status, finished_at=plan.executed_at if job_status != Job.Status.RUNNING else None
        )
        if new in (Plan.Status.DONE, Plan.Status.PARTIAL):
            transaction.on_commit(lambda: signals.plan_executed.send(Plan, plan=plan))
    return plan


def complete_manual_task(task: ManualTask, *, user, findings: str) -> ManualTask:
    """A person did what the task said: its items are done and the plan may complete."""
    if not findings.strip():
        raise PlanError(_("Say what you did."))
    with transaction.atomic():
        task = ManualTask.objects.select_for_update().get(pk=task.pk)
        if task.status == ManualTask.Status.DONE:
            return task
        # A task reopened for a later step (a restriction first, the corrections later) keeps what was done before.
        if task.findings:
            findings = f"{task.findings}\n\n{findings}"
        task.status, task.findings = ManualTask.Status.DONE, findings
        task.completed_at, task.completed_by = timezone.now(), user
        task.save(update_fields=["status", "findings", "completed_at", "completed_by"])
        run = task.run
        run.plan_items.filter(status=PlanItem.Status.WAITING).update(
            status=PlanItem.Status.DONE, executed_at=task.completed_at
        )
        if (
            not run.plan_items.filter(status__in=[PlanItem.Status.PLANNED, PlanItem.Status.FAILED])
            .exclude(action=Action.KEEP)
            .exists()
        ):
            _finish_run(run, SourceRun.Status.DONE)
    finish_if_complete(run.job.plan.pk)
    return task


def forget_subject(plan: Plan) -> None:
    """After an erasure, the engine keeps what was done where (counts, record
    keys, reasons) and no more: the subject's identifiers and any gathered
    copies of their records go."""
    job = plan.job
    Job.objects.filter(pk=job.pk).update(identity=json.dumps({}))
    from dsar.models import SourceRecord

    SourceRecord.objects.filter(run__job__external_ref=job.external_ref).delete()
    Job.objects.filter(external_ref=job.external_ref).exclude(pk=job.pk).update(identity=json.dumps({}))
    ManualTask.objects.filter(run__job__external_ref=job.external_ref).update(instructions="", findings="")
    PlanItem.objects.filter(plan=plan, action=Action.RECTIFY).update(fields={}, before="")


__all__ = ["ManualExecutor", "PlanError"]
