"""The staff's actions on an execution plan, and the Art. 19 notices.

Each action checks the actor's role, asks the engine (``dsar.execution.service``) to change
the plan (the engine alone writes its state), and records an audit event through
``workflow.log_event`` in the same transaction; the workers start on commit.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dsar.core.crypto import token_digest
from dsar.execution import service
from dsar.execution.models import NotNotifiedReason, Plan, PlanItem, RecipientNotice
from dsar.models import Operation, SourceRun
from dsar.queueing import enqueue
from requests_app import deadlines, permissions, workflow
from requests_app.emails import queue_email
from requests_app.execution.models import RestrictionLift
from requests_app.execution.selectors import (
    OPERATIONS,
    absolute_ground,
    approval_blocked,
    can_lift,
    identity_of,
    job_options,
    lift_is_due,
    notice_context,
    plan_for,
    recipient_answers,
    recipient_language,
    recipients_of,
    request_for,
    scheduled_lift,
)
from requests_app.intake.details import ErasureGround
from requests_app.models import RequestType, Status, SubjectRequest

log = logging.getLogger(__name__)


class ExecutionError(Exception):
    """Shown to the user as is."""


# ------------------------------------------------------------------------------
# Planning, and what the ticket keeps after an erasure
# ------------------------------------------------------------------------------
def start_planning(subject_request: SubjectRequest) -> Plan:
    """Ask the engine for a plan of an approved request; the request is processing until it is computed."""
    from dsar.execution.tasks import compute_plan

    with transaction.atomic():
        # An effect may run twice (a retried commit hook): only an approved request is planned, once.
        locked = SubjectRequest.objects.select_for_update().get(pk=subject_request.pk)
        if locked.status != Status.APPROVED:
            return plan_for(locked)
        plan = service.create_plan(
            external_ref=subject_request.reference,
            operation=OPERATIONS[subject_request.request_type],
            identity=identity_of(subject_request),
            options=job_options(subject_request),
        )
        workflow.start_processing(locked, actor=workflow.SYSTEM)
        transaction.on_commit(lambda: enqueue(compute_plan, (plan.pk,)))
    return plan


def purge_after_erasure(subject_request: SubjectRequest) -> None:
    """After an erasure is carried out, the ticket keeps only what accountability needs (Art. 5(2))."""
    try:
        workflow.purge_personal_data(subject_request, actor=workflow.SYSTEM, reason="erasure fulfilled")
    except workflow.RetentionHeld:
        # The DPO keeps this request as evidence (Art. 17(3)(e)): the sources
        # were erased, the desk's own record waits; once the hold is lifted
        # the retention run purges it.
        log.info("Erasure of %s carried out; its request is under a retention hold and kept.", subject_request)


# ------------------------------------------------------------------------------
# Review and approval (views and the API call these)
# ------------------------------------------------------------------------------
def approve_plan(subject_request: SubjectRequest, plan: Plan, *, user, erasure_ground: str = "") -> Plan:
    """Approve the plan; the workers then change the sources.

    An erasure is approved on a ground of Art. 17(1) (``ErasureGround``) that
    the DPO names: its code goes in the audit event. Other plans take none.
    """
    from dsar.execution.tasks import execute_plan

    if not permissions.can_approve_plan(user, subject_request):
        workflow.log_event(subject_request, actor=user, kind="action.refused", details={"action": "approve_plan"})
        raise ExecutionError(_("Only a DPO may approve an erasure plan."))
    is_erasure = subject_request.request_type == RequestType.ERASURE
    # A plan no longer open is refused below, with its own reason.
    if is_erasure and plan.editable and erasure_ground not in ErasureGround.values:
        raise ExecutionError(_("Choose the ground of Art. 17(1) on which the data is erased."))
    # The same reason the panel shows beside its disabled button (fail closed: never a silent refusal).
    blocked = approval_blocked(plan) if plan.editable else ""
    if blocked:
        raise ExecutionError(blocked)
    with transaction.atomic():
        try:
            plan = service.approve(plan, user=user)
        except service.PlanError as exc:
            raise ExecutionError(str(exc)) from exc
        details = {"plan": plan.pk, "items": plan.items.count()}
        if plan.job.operation == Operation.RECTIFY:
            # The records on which nobody decided field by field: the plan as shown, before and after, is approved.
            details["corrections_approved"] = service.approve_pending_corrections(plan)
        if is_erasure:
            details["erasure_ground"] = erasure_ground
        # Approved while sources could not be read: they stay failed (not "done"), and the audit says so.
        unread = sorted(plan.job.runs.filter(status=SourceRun.Status.FAILED).values_list("connector__code", flat=True))
        if unread:
            details["unread_sources"] = unread
        workflow.log_event(subject_request, actor=user, kind="plan.approved", details=details)
        if plan.job.operation == Operation.RECTIFY and service.has_meanwhile_restriction(plan):
            # A rectification restricted while the accuracy was checked (Art. 18(1)(a)): approving the
            # corrections ends the check, but Art. 18(3) wants the subject told *before* the restriction
            # is lifted. The lifting steps leave this execution and are scheduled: they run once the
            # notice was sent and the lead time has passed, after the corrections were carried out.
            service.defer_meanwhile_lift(plan)
            if scheduled_lift(subject_request) is None:
                _schedule_lift(subject_request, plan, user=user, reason=LiftReason.ACCURACY_VERIFIED)
        transaction.on_commit(lambda: enqueue(execute_plan, (plan.pk,)))
    return plan


def approve_absolute_plan(subject_request: SubjectRequest, plan: Plan) -> Plan | None:
    """Art. 21(3), 7(3): the plan of an absolute right is approved by the
    system (its items are mandatory: ``dsar.execution.scope.is_mandatory``),
    and executed. A plan that cannot be approved as it stands (it needs a
    choice) is left for the DPO, and the audit trail says why."""
    from dsar.execution.tasks import execute_plan

    with transaction.atomic():
        try:
            plan = service.approve(plan, user=None)
        except service.PlanError as exc:
            log.info("Plan %s of %s left for the DPO: %s", plan.pk, subject_request, exc)
            return None
        workflow.log_event(
            subject_request,
            actor=workflow.SYSTEM,
            kind="plan.approved",
            details={"plan": plan.pk, "items": plan.items.count(), "ground": absolute_ground(subject_request)},
        )
        transaction.on_commit(lambda: enqueue(execute_plan, (plan.pk,)))
    return plan


class LiftReason(models.TextChoices):
    """Why a restriction ends (Art. 18(1) and (2)); told to the subject beforehand (Art. 18(3))."""

    ACCURACY_VERIFIED = "accuracy_verified", gettext_lazy("The accuracy of the data was verified (Art. 18(1)(a))")
    CLAIMS_ENDED = "claims_ended", gettext_lazy("The subject no longer needs the data for legal claims (Art. 18(1)(c))")
    OBJECTION_ASSESSED = (
        "objection_assessed",
        gettext_lazy("The objection was assessed: our legitimate grounds override (Art. 18(1)(d))"),
    )
    SUBJECT_CONSENTED = "subject_consented", gettext_lazy("The subject consented to the processing (Art. 18(2))")


def lift_restriction(subject_request: SubjectRequest, plan: Plan, *, user, reason: str) -> RestrictionLift:
    """Schedule the end of a restriction (Art. 18(3): the subject "shall be
    informed by the controller before the restriction of processing is
    lifted"). The subject is e-mailed now, with the date; the sources are
    changed by ``run_lift`` only once that e-mail left the outbox and
    ``DSAR_RESTRICTION_LIFT_LEAD_WORKING_DAYS`` working days have passed since.
    The DPO sees the scheduled lifting on the plan panel and may cancel it."""
    if not permissions.can_approve_plan(user, subject_request):
        workflow.log_event(subject_request, actor=user, kind="action.refused", details={"action": "lift_restriction"})
        raise ExecutionError(_("Your role does not allow this action."))
    if reason not in LiftReason.values:
        raise ExecutionError(_("Choose why the restriction ends."))
    if not can_lift(subject_request, plan):
        raise ExecutionError(_("Only a restriction that was carried out, and not yet lifted, can be lifted."))
    if scheduled_lift(subject_request) is not None:
        raise ExecutionError(_("The lifting of this restriction is already scheduled."))
    with transaction.atomic():
        return _schedule_lift(subject_request, plan, user=user, reason=reason)


def _schedule_lift(subject_request: SubjectRequest, plan: Plan, *, user, reason: str) -> RestrictionLift:
    """Tell the subject the reason and the date, and schedule the lifting for
    that date (Art. 18(3)). Inside the caller's transaction."""
    lead = settings.DSAR_RESTRICTION_LIFT_LEAD_WORKING_DAYS
    not_before = deadlines.add_working_days(deadlines.today(), lead)
    notice = tell_subject_of_lifting(subject_request, reason, lift_date=not_before)
    lift = RestrictionLift.objects.create(
        request=subject_request,
        plan_id=plan.pk,
        reason=reason,
        notice=notice,
        not_before=not_before,
        scheduled_by=user,
    )
    workflow.log_event(
        subject_request,
        actor=user,
        kind="restriction.lift_scheduled",
        details={"plan": plan.pk, "reason": reason, "lift": lift.pk, "not_before": not_before.isoformat()},
        public=True,
    )
    return lift


def cancel_lift(subject_request: SubjectRequest, lift: RestrictionLift, *, user) -> RestrictionLift:
    """The DPO stops a scheduled lifting: the restriction stays."""
    if not permissions.can_approve_plan(user, subject_request):
        workflow.log_event(subject_request, actor=user, kind="action.refused", details={"action": "cancel_lift"})
        raise ExecutionError(_("Your role does not allow this action."))
    with transaction.atomic():
        lift = RestrictionLift.objects.select_for_update().get(pk=lift.pk, request=subject_request)
        if lift.status != RestrictionLift.Status.SCHEDULED:
            raise ExecutionError(_("This lifting is no longer scheduled."))
        lift.status = RestrictionLift.Status.CANCELLED
        lift.save(update_fields=["status"])
        workflow.log_event(
            subject_request,
            actor=user,
            kind="restriction.lift_cancelled",
            details={"plan": lift.plan_id, "lift": lift.pk},
            public=True,
        )
    return lift


def run_lift(lift: RestrictionLift) -> bool:
    """Lift a scheduled restriction if it is due: the sources lift it (the flag
    unset, or a manual task), and the recipients told of the restriction hear
    that it ended. Returns whether it ran."""
    from dsar.execution.tasks import execute_plan

    with transaction.atomic():
        lift = (
            RestrictionLift.objects.select_for_update(of=("self",)).select_related("notice", "request").get(pk=lift.pk)
        )
        if not lift_is_due(lift):
            return False
        subject_request = lift.request
        plan = Plan.objects.get(pk=lift.plan_id)
        if plan.status != Plan.Status.DONE:
            # A rectification's corrections not carried out yet (manual tasks, a failed source): the
            # restriction stays until they are, and the hourly step tries again.
            log.info("Scheduled lifting %s of %s waits for the plan to be carried out.", lift.pk, subject_request)
            return False
        try:
            items = service.plan_lift(plan)
        except service.PlanError as exc:
            log.warning("Scheduled lifting %s of %s not possible: %s", lift.pk, subject_request, exc)
            return False
        told = []
        for notice in plan.notices.select_related("recipient"):
            if notice.recipient.contact_email:
                queue_email(
                    "recipient_restriction_lifted",
                    to=notice.recipient.contact_email,
                    context={"recipient": notice.recipient, "request": subject_request},
                    language=recipient_language(notice.recipient),
                    request=subject_request,
                )
                told.append(notice.recipient.code)
        lift.status, lift.done_at = RestrictionLift.Status.DONE, timezone.now()
        lift.save(update_fields=["status", "done_at"])
        workflow.log_event(
            subject_request,
            actor=workflow.SYSTEM,
            kind="restriction.lifted",
            details={"plan": plan.pk, "reason": lift.reason, "items": len(items), "recipients": told},
            public=True,
        )
        transaction.on_commit(lambda: enqueue(execute_plan, (plan.pk,)))
    return True


def run_due_lifts() -> int:
    """The periodic step (beat, hourly): every scheduled lifting that is due."""
    due = RestrictionLift.objects.filter(status=RestrictionLift.Status.SCHEDULED, not_before__lte=deadlines.today())
    return sum(run_lift(lift) for lift in due.order_by("not_before")[:200])


def tell_subject_of_lifting(subject_request: SubjectRequest, reason: str, *, lift_date=None):
    """Art. 18(3): the subject is told before a restriction is lifted, with the
    date from which it will be (a scheduled lifting). Returns the outbox row."""
    return queue_email(
        "restriction_lifted",
        to=subject_request.email,
        context={"request": subject_request, "reason": reason, "lift_date": lift_date},
        language=subject_request.language,
        request=subject_request,
    )


# How the plan panel changes one item: the engine's change and the event recorded.
_ITEM_CHANGES = {"keep", "leave_out", "include", "fields"}


def change_item(subject_request: SubjectRequest, item: PlanItem, *, user, change: str, **values) -> PlanItem:
    """Keep a record (Art. 17(3)), leave an item out or put it back, or approve
    a record's corrected fields; each change is recorded in the audit trail
    (ids, codes and counts: the reasons typed stay on the item)."""
    if not permissions.can_change_plan(user, subject_request):
        raise ExecutionError(_("Your role does not allow this action."))
    if change not in _ITEM_CHANGES:
        raise ExecutionError(_("Unknown change."))
    facts = {"plan": item.plan_id, "item": item.pk, "source": item.run.connector.code, "action": item.action}
    with transaction.atomic():
        try:
            if change == "keep":
                item = service.keep_item(item, reason=values.get("reason", ""), note=values.get("note", ""))
                workflow.log_event(
                    subject_request, actor=user, kind="plan.item_kept", details={**facts, "reason": item.reason}
                )
            elif change == "leave_out":
                item = service.include_item(item, include=False, note=values.get("note", ""))
                workflow.log_event(subject_request, actor=user, kind="plan.item_left_out", details=facts)
            elif change == "include":
                item = service.include_item(item, include=True)
                workflow.log_event(
                    subject_request, actor=user, kind="plan.item_included", details={**facts, "action": item.action}
                )
            else:
                item = service.approve_fields(item, fields=list(values.get("fields") or []))
                changes = item.fields.get("changes", item.fields)
                workflow.log_event(
                    subject_request,
                    actor=user,
                    kind="plan.fields_approved",
                    details={**facts, "approved": len(item.approved_fields), "proposed": len(changes)},
                )
        except service.PlanError as exc:
            raise ExecutionError(str(exc)) from exc
    return item


def complete_task(subject_request: SubjectRequest, task, *, user, findings: str):
    """A person did a source's manual task (the findings stay on the task, not in the event)."""
    if not permissions.can_change_plan(user, subject_request):
        raise ExecutionError(_("Your role does not allow this action."))
    with transaction.atomic():
        already_done = task.status == task.Status.DONE
        try:
            task = service.complete_manual_task(task, user=user, findings=findings)
        except service.PlanError as exc:
            raise ExecutionError(str(exc)) from exc
        if not already_done:
            workflow.log_event(
                subject_request,
                actor=user,
                kind="plan.task_completed",
                details={"plan": task.run.job.plan.pk, "task": task.pk, "source": task.run.connector.code},
            )
    return task


def map_correction(
    subject_request: SubjectRequest, plan: Plan, *, user, index: int, field: str = "", fields: dict | None = None
) -> None:
    """Say which field a correction is about, or which fields, each with its value (an address)."""
    if not permissions.can_change_plan(user, subject_request):
        raise ExecutionError(_("Your role does not allow this action."))
    with transaction.atomic():
        try:
            service.map_correction(plan, index=index, field=field, fields=fields)
        except service.PlanError as exc:
            raise ExecutionError(str(exc)) from exc
        # The decision itself in the trail (Art. 5(2)): which fields, by name; the values are the subject's data.
        workflow.log_event(
            subject_request,
            actor=user,
            kind="plan.correction_mapped",
            details={"plan": plan.pk, "correction": index + 1, "fields": sorted(fields) if fields else [field]},
        )
        recompute_plan(subject_request, plan, user=user)


def choose_categories(subject_request: SubjectRequest, plan: Plan, *, user, categories: list[str]) -> None:
    """An erasure of specific data: the DPO chooses the data categories it covers, and the plan is computed again."""
    if not permissions.can_approve_plan(user, subject_request):
        workflow.log_event(subject_request, actor=user, kind="action.refused", details={"action": "choose_categories"})
        raise ExecutionError(_("Only a DPO may choose what an erasure covers."))
    with transaction.atomic():
        try:
            service.choose_categories(plan, categories=categories)
        except service.PlanError as exc:
            raise ExecutionError(str(exc)) from exc
        workflow.log_event(
            subject_request,
            actor=user,
            kind="plan.categories_chosen",
            details={"plan": plan.pk, "categories": sorted(set(categories))},
        )
        recompute_plan(subject_request, plan, user=user)


def recompute_plan(subject_request: SubjectRequest, plan: Plan, *, user) -> None:
    """Compute the plan again (e.g. after a source's configuration was fixed); nothing was changed yet."""
    from dsar.execution.tasks import compute_plan

    if not permissions.can_change_plan(user, subject_request):
        raise ExecutionError(_("Your role does not allow this action."))
    with transaction.atomic():
        try:
            # The engine resets the plan only if it is still not approved: the caller's object may be stale.
            service.mark_for_recompute(plan)
        except service.PlanError as exc:
            raise ExecutionError(str(exc)) from exc
        workflow.log_event(subject_request, actor=user, kind="plan.recomputed", details={"plan": plan.pk})
        transaction.on_commit(lambda: enqueue(compute_plan, (plan.pk,)))


def resume_plan(subject_request: SubjectRequest, plan: Plan, *, user) -> None:
    from dsar.execution.tasks import execute_plan

    if not permissions.can_change_plan(user, subject_request):
        raise ExecutionError(_("Your role does not allow this action."))
    with transaction.atomic():
        # Marked "being executed" here, under the lock, not when a worker picks the task up: until
        # then the page and a release would still see "executed with failures" (a second click
        # would queue the run twice, a release would answer the subject before the retry).
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        if locked.status != Plan.Status.PARTIAL:
            raise ExecutionError(_("Only an execution with failures can be resumed."))
        locked.status = plan.status = Plan.Status.EXECUTING
        locked.save(update_fields=["status"])
        workflow.log_event(subject_request, actor=user, kind="plan.resumed", details={"plan": plan.pk})
        transaction.on_commit(lambda: enqueue(execute_plan, (plan.pk,)))


# ------------------------------------------------------------------------------
# Art. 19: the recipients
# ------------------------------------------------------------------------------
def notify_recipients(plan: Plan, subject_request: SubjectRequest) -> list[RecipientNotice]:
    """Art. 19: every concerned recipient gets a notice row; those with an
    address are e-mailed one, with a link to acknowledge it (once per plan).
    A recipient without an address keeps an open notice: the DPO records that
    it was told by other means, or why it was not (impossible, disproportionate
    effort, no longer a recipient), and the release waits until each has one
    (``effects.every_recipient_settled``)."""
    if plan.recipients_notified_at:
        return list(plan.notices.all())
    notices = []
    concerned = recipients_of(plan)
    for entry in concerned:
        notice, created = RecipientNotice.objects.get_or_create(
            plan=plan,
            recipient=entry.recipient,
            defaults={
                "categories": sorted(entry.categories),
                "activities": sorted(entry.activities),
                "unclassified": entry.unclassified,
            },
        )
        if not created or not entry.recipient.contact_email:
            continue
        queue_email(
            "recipient_notice",
            to=entry.recipient.contact_email,
            context=notice_context(notice, subject_request),
            # Another organisation: the controller's language, not the subject's (Art. 19).
            language=recipient_language(notice.recipient),
            request=subject_request,
        )
        notice.sent_at = timezone.now()
        notice.save(update_fields=["sent_at"])
        notices.append(notice)
    Plan.objects.filter(pk=plan.pk).update(recipients_notified_at=timezone.now())
    workflow.log_event(
        subject_request,
        actor=workflow.SYSTEM,
        kind="recipients.notified",
        details={
            "recipients": [n.recipient.code for n in notices],
            # Art. 19 narrowed to what each received: the categories that made it concerned.
            "categories": {n.recipient.code: n.categories for n in notices},
            "without_email": [e.recipient.code for e in concerned if not e.recipient.contact_email],
            # Organisations' names, kept in the never-redacted trail: after an
            # erasure's purge the desk can still say who received the data.
            "names": {e.recipient.code: e.recipient.name for e in concerned},
        },
    )
    return notices


def settle_recipient(
    notice: RecipientNotice, subject_request: SubjectRequest, *, user, reason: str = "", note: str = ""
) -> RecipientNotice:
    """The DPO records, for a recipient not e-mailed, that it was told by other
    means (``reason`` empty), or why it was not told (Art. 19: "unless this
    proves impossible or involves disproportionate effort")."""
    if not permissions.can_approve_plan(user, subject_request):
        workflow.log_event(subject_request, actor=user, kind="action.refused", details={"action": "settle_recipient"})
        raise ExecutionError(_("Your role does not allow this action."))
    if notice.sent_at and not notice.other_means:
        raise ExecutionError(_("This recipient was already notified by e-mail."))
    if reason and reason not in NotNotifiedReason.values:
        raise ExecutionError(_("Choose why the recipient is not notified."))
    if reason and not note.strip():
        raise ExecutionError(_("Explain why: the subject may ask, and the authority too."))
    with transaction.atomic():
        notice = RecipientNotice.objects.select_for_update().get(pk=notice.pk)
        now = timezone.now()
        if reason:
            notice.not_notified_reason, notice.not_notified_note = reason, note.strip()
            notice.sent_at, notice.other_means = None, False
        else:
            notice.sent_at, notice.other_means = now, True
            notice.not_notified_reason, notice.not_notified_note = "", ""
        notice.decided_at = now
        notice.save(update_fields=["sent_at", "other_means", "not_notified_reason", "not_notified_note", "decided_at"])
        facts = {"recipient": notice.recipient.code, "name": notice.recipient.name}
        if reason:
            workflow.log_event(
                subject_request, actor=user, kind="recipient.not_notified", details={**facts, "ground": reason}
            )
        else:
            workflow.log_event(subject_request, actor=user, kind="recipient.notified_other_means", details=facts)
    return notice


def remind_recipient(notice: RecipientNotice, subject_request: SubjectRequest, *, user) -> RecipientNotice:
    """Send the notice again to a recipient who has not acknowledged it."""
    if not permissions.can_change_plan(user, subject_request):
        raise ExecutionError(_("Your role does not allow this action."))
    if notice.acknowledged_at:
        raise ExecutionError(_("This recipient already acknowledged the notice."))
    if subject_request.purged_at:
        raise ExecutionError(_("The request's personal data was purged: remind the recipient by other means."))
    with transaction.atomic():
        queue_email(
            "recipient_notice",
            to=notice.recipient.contact_email,
            context={**notice_context(notice, subject_request), "reminder": True},
            language=recipient_language(notice.recipient),
            request=subject_request,
        )
        RecipientNotice.objects.filter(pk=notice.pk).update(reminders=notice.reminders + 1, sent_at=timezone.now())
        workflow.log_event(
            subject_request, actor=user, kind="recipient.reminded", details={"recipient": notice.recipient.code}
        )
    notice.refresh_from_db()
    return notice


def tell_subject_recipients(subject_request: SubjectRequest, plan: Plan, *, user) -> None:
    """Art. 19, last sentence: the subject asked who the recipients are."""
    if not permissions.can_change_plan(user, subject_request):
        raise ExecutionError(_("Your role does not allow this action."))
    if subject_request.purged_at:
        raise ExecutionError(_("The request's personal data was purged: answer the subject by other means."))
    if not plan.recipients_notified_at:
        raise ExecutionError(_("The recipients are known once the plan is executed."))
    answers = recipient_answers(plan)
    if any(not a["settled"] for a in answers):
        raise ExecutionError(_("Record for each recipient whether it was notified, or why not, first."))
    recipients = [n.recipient for n in plan.notices.select_related("recipient")]
    with transaction.atomic():
        queue_email(
            "execution_recipients",
            to=subject_request.email,
            context={"request": subject_request, "recipients": recipients, "answers": answers},
            language=subject_request.language,
            request=subject_request,
        )
        workflow.log_event(
            subject_request,
            actor=user,
            kind="recipients.told",
            details={"recipients": [r.code for r in recipients], "names": {r.code: r.name for r in recipients}},
            public=True,
        )


def acknowledge(token: str) -> RecipientNotice | None:
    """A recipient confirms it acted on the notice (the link's token); recorded once on the request."""
    with transaction.atomic():
        notice = RecipientNotice.objects.select_for_update().filter(token_hash=token_digest(token)).first()
        if notice is None:
            return None
        if notice.acknowledged_at is None:
            notice.acknowledged_at = timezone.now()
            notice.save(update_fields=["acknowledged_at"])
            subject_request = request_for(notice.plan)
            if subject_request is not None:
                workflow.log_event(
                    subject_request,
                    actor=workflow.SYSTEM,
                    kind="recipient.acknowledged",
                    details={"recipient": notice.recipient.code},
                )
    return notice
