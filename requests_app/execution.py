"""The ticket's side of acting on erasure, rectification, restriction,
objection and withdrawal requests.

On approval the engine computes a plan (a Celery task) while the request is
processing; when the plan is ready the request goes to review, where the DPO
changes and approves it on the request page (panel ``plan``). Approval starts
the execution on the workers; when every source is done, the recipients of
the data are notified (Art. 19). The fulfilment e-mail says what was done,
and after an erasure the ticket keeps only what accountability needs.
"""

from __future__ import annotations

import copy
import logging

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dsar import signals as engine_signals
from dsar.connectors.base import translate
from dsar.crypto import token_digest
from dsar.execution import recipients, service, signals
from dsar.execution.models import LIFT, MEANWHILE, Action, Exception17, Plan, PlanItem, RecipientNotice
from dsar.models import DataCategory, Operation, ProcessingActivity, Recipient, pick
from requests_app import matching, roles, workflow
from requests_app.emails import queue_email
from requests_app.intake.details import ErasureGround, RestrictionGround
from requests_app.models import RequestType, Status, SubjectRequest
from requests_app.panels import Panel, register_panel

log = logging.getLogger(__name__)

OPERATIONS = {
    RequestType.ERASURE: Operation.ERASE,
    RequestType.RECTIFICATION: Operation.RECTIFY,
    RequestType.RESTRICTION: Operation.RESTRICT,
    RequestType.OBJECTION: Operation.STOP_PROCESSING,
    RequestType.WITHDRAWAL: Operation.STOP_PROCESSING,
}
# Art. 19 covers rectification, erasure and restriction.
NOTIFIED_TYPES = (RequestType.ERASURE, RequestType.RECTIFICATION, RequestType.RESTRICTION)


class ExecutionError(Exception):
    """Shown to the user as is."""


# ------------------------------------------------------------------------------
# Reads
# ------------------------------------------------------------------------------
def plan_for(subject_request: SubjectRequest) -> Plan | None:
    return (
        Plan.objects.filter(job__external_ref=subject_request.reference)
        .select_related("job", "approved_by")
        .order_by("-created_at")
        .first()
    )


def is_plan_task(task) -> bool:
    """A manual task of an execution plan (a source acted on by hand), not of a gathering."""
    return Plan.objects.filter(job_id=task.run.job_id).exists()


def request_for(plan: Plan) -> SubjectRequest | None:
    return SubjectRequest.objects.filter(reference=plan.job.external_ref).first()


def job_options(subject_request: SubjectRequest) -> dict:
    details = subject_request.type_details or {}
    options = {"request_type": subject_request.request_type}
    if subject_request.request_type == RequestType.RECTIFICATION:
        options["corrections"] = [
            {"field": i.get("field", ""), "correct": i.get("correct", "")} for i in details.get("items") or []
        ]
        options["restrict_meanwhile"] = bool(details.get("restrict_meanwhile") or details.get("rectification_restrict"))
    elif subject_request.request_type == RequestType.OBJECTION:
        codes = list(details.get("activities") or [])
        if not codes:
            codes = [a.code for a in ProcessingActivity.objects.filter(active=True) if a.objectionable]
        options["activities"] = codes
    elif subject_request.request_type == RequestType.WITHDRAWAL:
        codes = list(details.get("consents") or details.get("activities") or [])
        if not codes:
            codes = [a.code for a in ProcessingActivity.objects.filter(active=True) if a.consent_based]
        options["activities"] = codes
    elif subject_request.request_type == RequestType.ERASURE:
        options["scope"] = details.get("scope", "all")
        if options["scope"] == "specific":
            options["categories"] = [str(code) for code in details.get("categories") or []]
    elif subject_request.request_type == RequestType.RESTRICTION:
        # Art. 18(1)(a)-(d): what the restriction waits for, and so why it will end.
        options["ground"] = details.get("ground") or ""
        # Art. 18(1)(a): the data whose accuracy is contested, where the request names it (only then is
        # the restriction limited to it: dsar.execution.planning.restriction_scope).
        for key in ("contested_categories", "contested_fields"):
            if details.get(key):
                options[key] = [str(value) for value in details[key]]
    return options


def identity_of(subject_request: SubjectRequest) -> dict:
    return {
        "full_name": subject_request.full_name,
        "email": subject_request.email,
        "phone": subject_request.phone,
        "customer_number": subject_request.customer_number,
        "national_number": subject_request.national_number,
    }


# ------------------------------------------------------------------------------
# Effects of the workflow
# ------------------------------------------------------------------------------
@workflow.on_event("request.approve")
def plan_on_approval(subject_request: SubjectRequest, event) -> None:
    if subject_request.request_type not in OPERATIONS:
        return
    start_planning(subject_request)


def start_planning(subject_request: SubjectRequest) -> Plan:
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
        transaction.on_commit(lambda: compute_plan.delay(plan.pk))
    return plan


@receiver(signals.plan_ready)
def _plan_ready(sender, plan: Plan, **kwargs) -> None:
    subject_request = request_for(plan)
    if subject_request is not None:
        matching.hold_unconfirmed_items(subject_request, plan)


@receiver(signals.plan_computed)
def _plan_computed(sender, plan: Plan, **kwargs) -> None:
    subject_request = request_for(plan)
    if subject_request is None or subject_request.status != Status.PROCESSING:
        return
    workflow.processing_done(
        subject_request,
        actor=workflow.SYSTEM,
        details={"plan": plan.pk, "plan_status": plan.status, "items": plan.items.count()},
    )


@receiver(signals.plan_executed)
def _plan_executed(sender, plan: Plan, **kwargs) -> None:
    subject_request = request_for(plan)
    if subject_request is None:
        return
    with transaction.atomic():
        locked = SubjectRequest.objects.select_for_update().get(pk=subject_request.pk)
        workflow.record_event(
            locked,
            actor=workflow.SYSTEM,
            kind="plan.executed",
            details={"plan": plan.pk, "status": plan.status, "sources": sources_summary(plan)},
        )
        if plan.status == Plan.Status.DONE and locked.request_type in NOTIFIED_TYPES:
            notify_recipients(plan, locked)
    # Released before its manual tasks were done (allowed before the release
    # waited for a done plan): the purge waited for them.
    if (
        plan.status == Plan.Status.DONE
        and subject_request.request_type == RequestType.ERASURE
        and subject_request.status == Status.FULFILLED
        and not subject_request.purged_at
    ):
        service.forget_subject(plan)
        _purge_after_erasure(subject_request)


@receiver(engine_signals.deferred_erasure_done, dispatch_uid="requests_app.execution.deferred_erasure_done")
def _deferred_erasure_done(sender, external_ref: str, counts: dict, **kwargs) -> None:
    """Records kept under a legal hold were erased when it ended: the request's
    audit trail says so, with counts only. Its records may be gone by then
    (retention outlived by a 7-year hold): the engine's log is all there is."""
    subject_request = SubjectRequest.objects.filter(reference=external_ref).first()
    if subject_request is None or subject_request.records_deleted_at:
        log.info("Deferred erasure of %s done (%s); the request's records are no longer kept.", external_ref, counts)
        return
    with transaction.atomic():
        locked = SubjectRequest.objects.select_for_update().get(pk=subject_request.pk)
        workflow.record_event(
            locked,
            actor=workflow.SYSTEM,
            kind="erasure.deferred_done",
            details={key: int(counts.get(key, 0)) for key in ("records", "rows_changed", "remaining")},
        )


def _purge_after_erasure(subject_request: SubjectRequest) -> None:
    try:
        workflow.purge_personal_data(subject_request, actor=workflow.SYSTEM, reason="erasure fulfilled")
    except workflow.RetentionHeld:
        # The DPO keeps this request as evidence (Art. 17(3)(e)): the sources
        # were erased, the desk's own record waits; once the hold is lifted
        # the retention run purges it.
        log.info("Erasure of %s carried out; its request is under a retention hold and kept.", subject_request)


# Plans not (wholly) carried out: telling the subject "done" would be untrue.
# Open manual tasks and failed sources hold the release too (the request waits
# until they are marked done, dsar/CONFIG.md): nothing would tell the subject
# afterwards, and an erasure's address is purged once it is released and done.
_NOT_EXECUTED = {
    Plan.Status.PLANNING,
    Plan.Status.READY,
    Plan.Status.APPROVED,
    Plan.Status.EXECUTING,
    Plan.Status.WAITING,
    Plan.Status.PARTIAL,
    Plan.Status.FAILED,
}


@workflow.precondition("fulfil")
def plan_executed_before_release(subject_request: SubjectRequest, actor) -> None:
    if subject_request.request_type not in OPERATIONS:
        return
    plan = plan_for(subject_request)
    if plan is None or plan.status not in _NOT_EXECUTED:
        return
    if plan.status == Plan.Status.WAITING:
        message = _(
            "Manual tasks of the plan are still open: complete them on the plan panel before you tell the "
            "subject it is done."
        )
    elif plan.status == Plan.Status.PARTIAL:
        message = _(
            "Some sources failed when the plan was executed: retry them on the plan panel before you tell the "
            "subject it is done."
        )
    else:
        message = _("The plan is %(status)s: execute it before you tell the subject it is done.") % {
            "status": plan.get_status_display().lower()
        }
    raise workflow.NotPossibleNow(message)


# Once the DPO approved the plan, the sources are being (or were) changed: an
# erasure carried out cannot be undone by cancelling its request.
_UNDER_WAY = {
    Plan.Status.APPROVED,
    Plan.Status.EXECUTING,
    Plan.Status.WAITING,
    Plan.Status.DONE,
    Plan.Status.PARTIAL,
}


@workflow.precondition("cancel")
def no_cancel_once_carried_out(subject_request: SubjectRequest, actor) -> None:
    if subject_request.request_type not in OPERATIONS:
        return
    plan = plan_for(subject_request)
    if plan is not None and plan.status in _UNDER_WAY:
        raise workflow.NotPossibleNow(
            _(
                "This request can no longer be cancelled: we have already started carrying it out in our systems. "
                "We will tell you what we did."
            )
        )


@workflow.on_event("request.fulfilled")
def fulfilment_on_release(subject_request: SubjectRequest, event) -> None:
    if subject_request.request_type not in OPERATIONS:
        return
    plan = plan_for(subject_request)
    with transaction.atomic():
        queue_email(
            "execution_fulfilled",
            to=subject_request.email,
            context=fulfilment_context(subject_request, plan),
            language=subject_request.language,
            request=subject_request,
        )
    # Only once every source is done: an open manual task still needs the subject's identifiers.
    if subject_request.request_type == RequestType.ERASURE and plan is not None and plan.status == Plan.Status.DONE:
        # Art. 5(2) keeps the reference, type, dates and what was done where;
        # the subject's own data goes from the ticket and the engine.
        service.forget_subject(plan)
        _purge_after_erasure(subject_request)


# ------------------------------------------------------------------------------
# Review and approval (views call these)
# ------------------------------------------------------------------------------
def can_change(user, subject_request: SubjectRequest) -> bool:
    return roles.can_work_on(user, subject_request)


def can_approve(user, subject_request: SubjectRequest) -> bool:
    """Only a DPO approves an erasure plan; other plans also the assigned agent."""
    if roles.is_dpo(user):
        return True
    if subject_request.request_type == RequestType.ERASURE:
        return False
    return roles.is_agent(user) and roles.can_work_on(user, subject_request)


def approve_plan(subject_request: SubjectRequest, plan: Plan, *, user, erasure_ground: str = "") -> Plan:
    """Approve the plan; the workers then change the sources.

    An erasure is approved on a ground of Art. 17(1) (``ErasureGround``) that
    the DPO names: its code goes in the audit event. Other plans take none.
    """
    from dsar.execution.tasks import execute_plan

    if not can_approve(user, subject_request):
        workflow.log_event(subject_request, actor=user, kind="action.refused", details={"action": "approve_plan"})
        raise ExecutionError(_("Only a DPO may approve an erasure plan."))
    is_erasure = subject_request.request_type == RequestType.ERASURE
    # A plan no longer open is refused below, with its own reason.
    if is_erasure and plan.editable and erasure_ground not in ErasureGround.values:
        raise ExecutionError(_("Choose the ground of Art. 17(1) on which the data is erased."))
    unapproved = [
        item
        for item in plan.items.filter(status=PlanItem.Status.PLANNED, approved_fields=[])
        if item.action == Action.RECTIFY or item.fields.get("changes")
    ]
    if plan.job.operation == Operation.RECTIFY and unapproved:
        raise ExecutionError(_("Approve the corrected fields of every record, or leave the record out."))
    with transaction.atomic():
        try:
            plan = service.approve(plan, user=user)
        except service.PlanError as exc:
            raise ExecutionError(str(exc)) from exc
        details = {"plan": plan.pk, "items": plan.items.count()}
        if is_erasure:
            details["erasure_ground"] = erasure_ground
        workflow.log_event(subject_request, actor=user, kind="plan.approved", details=details)
        # A rectification restricted while the accuracy was checked: approving the
        # corrections ends the check, and the restriction is lifted with them.
        lifts = plan.items.filter(status=PlanItem.Status.PLANNED).filter(Q(action=Action.UNRESTRICT) | Q(note=LIFT))
        if lifts.exists():
            tell_subject_of_lifting(subject_request, LiftReason.ACCURACY_VERIFIED)
            workflow.log_event(
                subject_request,
                actor=user,
                kind="restriction.lifted",
                details={"plan": plan.pk, "reason": LiftReason.ACCURACY_VERIFIED.value, "items": lifts.count()},
                public=True,
            )
        transaction.on_commit(lambda: execute_plan.delay(plan.pk))
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


# The reason a restriction usually ends, per ground of Art. 18(1): offered first.
# Unlawful processing (b) has no end of its own: the subject may consent (Art. 18(2)).
LIFT_FOR_GROUND = {
    RestrictionGround.CONTESTED_ACCURACY: LiftReason.ACCURACY_VERIFIED,
    RestrictionGround.UNLAWFUL_PROCESSING: LiftReason.SUBJECT_CONSENTED,
    RestrictionGround.LEGAL_CLAIMS: LiftReason.CLAIMS_ENDED,
    RestrictionGround.PENDING_OBJECTION: LiftReason.OBJECTION_ASSESSED,
}


def restriction_ground_of(subject_request: SubjectRequest, plan: Plan | None) -> str:
    """The ground the restriction was asked on (the job's, else the request's for older plans)."""
    ground = (plan.job.options.get("ground") if plan else "") or (subject_request.type_details or {}).get("ground")
    return ground if ground in RestrictionGround.values else ""


def lift_reasons(ground: str) -> list[tuple[str, str]]:
    """The lift reasons, the one matching the restriction's ground first."""
    first = LIFT_FOR_GROUND.get(ground)
    return sorted(LiftReason.choices, key=lambda choice: choice[0] != first)


def can_lift(subject_request: SubjectRequest, plan: Plan | None) -> bool:
    return (
        plan is not None
        and subject_request.request_type == RequestType.RESTRICTION
        and plan.status == Plan.Status.DONE
        and not subject_request.purged_at
        and not service.is_lifted(plan)
    )


def lift_restriction(subject_request: SubjectRequest, plan: Plan, *, user, reason: str) -> Plan:
    """End a restriction (Art. 18(3)): the subject is told first, then the
    sources lift it (the flag unset, or a manual task), and the recipients that
    were told of the restriction hear that it ended."""
    from dsar.execution.tasks import execute_plan

    if not can_approve(user, subject_request):
        workflow.log_event(subject_request, actor=user, kind="action.refused", details={"action": "lift_restriction"})
        raise ExecutionError(_("Your role does not allow this action."))
    if reason not in LiftReason.values:
        raise ExecutionError(_("Choose why the restriction ends."))
    if not can_lift(subject_request, plan):
        raise ExecutionError(_("Only a restriction that was carried out, and not yet lifted, can be lifted."))
    with transaction.atomic():
        try:
            items = service.plan_lift(plan)
        except service.PlanError as exc:
            raise ExecutionError(str(exc)) from exc
        tell_subject_of_lifting(subject_request, reason)
        told = []
        for notice in plan.notices.select_related("recipient"):
            if notice.recipient.contact_email:
                queue_email(
                    "recipient_restriction_lifted",
                    to=notice.recipient.contact_email,
                    context={"recipient": notice.recipient, "request": subject_request},
                    language=subject_request.language,
                    request=subject_request,
                )
                told.append(notice.recipient.code)
        workflow.log_event(
            subject_request,
            actor=user,
            kind="restriction.lifted",
            details={"plan": plan.pk, "reason": reason, "items": len(items), "recipients": told},
            public=True,
        )
        transaction.on_commit(lambda: execute_plan.delay(plan.pk))
    plan.refresh_from_db()
    return plan


def tell_subject_of_lifting(subject_request: SubjectRequest, reason: str) -> None:
    """Art. 18(3): the subject is told before a restriction is lifted; queued
    in the caller's transaction, before the sources are changed on commit."""
    queue_email(
        "restriction_lifted",
        to=subject_request.email,
        context={"request": subject_request, "reason": reason},
        language=subject_request.language,
        request=subject_request,
    )


# How the plan panel changes one item: the engine's change and the event recorded.
_ITEM_CHANGES = {"keep", "leave_out", "include", "fields"}


def change_item(subject_request: SubjectRequest, item: PlanItem, *, user, change: str, **values) -> PlanItem:
    """Keep a record (Art. 17(3)), leave an item out or put it back, or approve
    a record's corrected fields; each change is recorded in the audit trail
    (ids, codes and counts: the reasons typed stay on the item)."""
    if not can_change(user, subject_request):
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
    if not can_change(user, subject_request):
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


def map_correction(subject_request: SubjectRequest, plan: Plan, *, user, index: int, field: str) -> None:
    if not can_change(user, subject_request):
        raise ExecutionError(_("Your role does not allow this action."))
    try:
        service.map_correction(plan, index=index, field=field)
    except service.PlanError as exc:
        raise ExecutionError(str(exc)) from exc
    recompute_plan(subject_request, plan, user=user)


def choose_categories(subject_request: SubjectRequest, plan: Plan, *, user, categories: list[str]) -> None:
    """An erasure of specific data: the DPO chooses the data categories it covers, and the plan is computed again."""
    if not can_approve(user, subject_request):
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


def erasure_choices(plan: Plan | None) -> dict | None:
    """For an erasure of specific data: the register's categories to choose
    from, those chosen, and whether the choice is still missing."""
    from dsar.execution.planning import awaits_categories, erasure_scope

    if plan is None or erasure_scope(plan.job) is None:
        return None
    chosen = set(plan.job.options.get("categories") or [])
    return {
        "missing": awaits_categories(plan.job),
        "choices": [
            (c.code, pick(c.names) or c.code, c.code in chosen)
            for c in sorted(DataCategory.objects.all(), key=lambda c: (pick(c.names) or c.code).lower())
        ],
        "chosen": _category_names(chosen),
    }


def corrections_of(plan: Plan) -> list[dict]:
    """The subject's corrections, with whether some source has a matching field."""
    from dsar.execution.planning import correction_fields

    known = {f.lower() for f in correction_fields()}
    rows = []
    for index, correction in enumerate(plan.job.options.get("corrections") or []):
        field = correction.get("field", "")
        rows.append(
            {
                "index": index,
                "field": field,
                "correct": correction.get("correct", ""),
                "matched": field.strip().lower() in known,
            }
        )
    return rows


def recompute_plan(subject_request: SubjectRequest, plan: Plan, *, user) -> None:
    """Compute the plan again (e.g. after a source's configuration was fixed); nothing was changed yet."""
    from dsar.execution.tasks import compute_plan

    if not can_change(user, subject_request):
        raise ExecutionError(_("Your role does not allow this action."))
    if plan.status not in (Plan.Status.READY, Plan.Status.FAILED):
        raise ExecutionError(_("Only a plan that is not yet approved can be computed again."))
    with transaction.atomic():
        Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.PLANNING, error="")
        workflow.log_event(subject_request, actor=user, kind="plan.recomputed", details={"plan": plan.pk})
        transaction.on_commit(lambda: compute_plan.delay(plan.pk))


def resume_plan(subject_request: SubjectRequest, plan: Plan, *, user) -> None:
    from dsar.execution.tasks import execute_plan

    if not can_change(user, subject_request):
        raise ExecutionError(_("Your role does not allow this action."))
    if plan.status != Plan.Status.PARTIAL:
        raise ExecutionError(_("Only an execution with failures can be resumed."))
    with transaction.atomic():
        workflow.log_event(subject_request, actor=user, kind="plan.resumed", details={"plan": plan.pk})
        transaction.on_commit(lambda: execute_plan.delay(plan.pk))


# ------------------------------------------------------------------------------
# Art. 19: the recipients
# ------------------------------------------------------------------------------
def recipients_of(plan: Plan, *, planned: bool = False) -> list[recipients.Notifiable]:
    """The recipients in the register that received the data categories the
    plan changed (``planned``: will change), with why (see ``dsar.execution.recipients``)."""
    return recipients.recipients_to_notify(plan, planned=planned)


def unreachable_recipients(plan: Plan) -> list[dict]:
    """Recipients to notify that have no e-mail address in the register: someone must do it by other means."""
    if not plan.recipients_notified_at:
        return []
    return [
        _reason(entry.recipient, entry.categories, entry.activities, entry.unclassified)
        for entry in recipients_of(plan)
        if not entry.recipient.contact_email
    ]


def notify_recipients(plan: Plan, subject_request: SubjectRequest) -> list[RecipientNotice]:
    """Send each concerned recipient one notice, with a link to acknowledge it (once per plan)."""
    if plan.recipients_notified_at:
        return list(plan.notices.all())
    notices = []
    concerned = recipients_of(plan)
    for entry in concerned:
        if not entry.recipient.contact_email:
            continue
        notice, created = RecipientNotice.objects.get_or_create(
            plan=plan,
            recipient=entry.recipient,
            defaults={
                "categories": sorted(entry.categories),
                "activities": sorted(entry.activities),
                "unclassified": entry.unclassified,
            },
        )
        if not created:
            continue
        queue_email(
            "recipient_notice",
            to=entry.recipient.contact_email,
            context=notice_context(notice, subject_request),
            # One language per request (Art. 12(1)), Art. 19 notices included.
            language=subject_request.language,
            request=subject_request,
        )
        notice.sent_at = timezone.now()
        notice.save(update_fields=["sent_at"])
        notices.append(notice)
    Plan.objects.filter(pk=plan.pk).update(recipients_notified_at=timezone.now())
    workflow.record_event(
        subject_request,
        actor=workflow.SYSTEM,
        kind="recipients.notified",
        details={
            "recipients": [n.recipient.code for n in notices],
            # Art. 19 narrowed to what each received: the categories that made it concerned.
            "categories": {n.recipient.code: n.categories for n in notices},
            "without_email": [e.recipient.code for e in concerned if not e.recipient.contact_email],
        },
    )
    return notices


def remind_recipient(notice: RecipientNotice, subject_request: SubjectRequest, *, user) -> RecipientNotice:
    """Send the notice again to a recipient who has not acknowledged it."""
    if not can_change(user, subject_request):
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
            language=subject_request.language,
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
    if not can_change(user, subject_request):
        raise ExecutionError(_("Your role does not allow this action."))
    if subject_request.purged_at:
        raise ExecutionError(_("The request's personal data was purged: answer the subject by other means."))
    recipients = [n.recipient for n in plan.notices.select_related("recipient")]
    if not plan.recipients_notified_at:
        raise ExecutionError(_("The recipients are known once the plan is executed."))
    with transaction.atomic():
        queue_email(
            "execution_recipients",
            to=subject_request.email,
            context={
                "request": subject_request,
                # Their names in the subject's language (Art. 12(1)).
                "recipients": [
                    {"name": r.display_name(subject_request.language), "address": r.address} for r in recipients
                ],
            },
            language=subject_request.language,
            request=subject_request,
        )
        workflow.log_event(
            subject_request,
            actor=user,
            kind="recipients.told",
            details={"recipients": [r.code for r in recipients]},
            public=True,
        )


def notice_context(notice: RecipientNotice, subject_request: SubjectRequest) -> dict:
    corrections = []
    for item in notice.plan.items.filter(action=Action.RECTIFY, status=PlanItem.Status.DONE):
        corrections.extend(f"{k}: {v}" for k, v in item.fields.items() if k in item.approved_fields)
    # The recipient's name as the notice's language writes it (never saved).
    recipient = copy.copy(notice.recipient)
    recipient.name = notice.recipient.display_name(subject_request.language)
    return {
        "recipient": recipient,
        "request": subject_request,
        "kind": subject_request.get_request_type_display(),
        "request_type": subject_request.request_type,
        "corrections": sorted(set(corrections)),
        "categories": _category_names(notice.categories, subject_request.language),
        "ack_url": settings.SITE_URL + reverse("execution:acknowledge", args=[notice.token]),
    }


def acknowledge(token: str) -> RecipientNotice | None:
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


def _category_names(codes, language: str | None = None) -> list[str]:
    names = {c.code: pick(c.names, language) or c.code for c in DataCategory.objects.filter(code__in=codes)}
    return [names.get(code, code) for code in sorted(codes)]


def _reason(recipient: Recipient, categories, activities, unclassified: bool) -> dict:
    """Why a recipient is (to be) notified, in the DPO's words."""
    names = {a.code: str(a) for a in ProcessingActivity.objects.filter(code__in=activities)}
    return {
        "recipient": recipient,
        "categories": _category_names(categories),
        "activities": [names.get(code, code) for code in sorted(activities)],
        "unclassified": unclassified,
    }


# ------------------------------------------------------------------------------
# What was done, in words
# ------------------------------------------------------------------------------
ACTION_DONE = {
    Action.DELETE: gettext_lazy("deleted"),
    Action.MASK: gettext_lazy("anonymised"),
    Action.RECTIFY: gettext_lazy("corrected"),
    Action.RESTRICT: gettext_lazy("restricted"),
    Action.STOP: gettext_lazy("processing stopped"),
    Action.API_CALL: gettext_lazy("done through the system's interface"),
    Action.MANUAL: gettext_lazy("done by hand"),
}


def sources_summary(plan: Plan) -> list[dict]:
    """Per source: counts of what was done and kept, no personal data."""
    result = []
    for run in plan.job.runs.select_related("connector"):
        result.append({"source": run.connector.code, "status": run.status, **(run.summary or {})})
    return result


def fulfilment_context(subject_request: SubjectRequest, plan: Plan | None) -> dict:
    language = subject_request.language
    done, kept, left_out, stopped = [], [], [], []
    if plan is not None:
        for run in plan.job.runs.select_related("connector"):
            items = list(run.plan_items.select_related("activity"))
            counts: dict[str, int] = {}
            for item in items:
                if item.status == PlanItem.Status.SKIPPED and item.action != Action.KEEP:
                    # Left out by the DPO (an objection refused on compelling legitimate
                    # grounds, Art. 21(1)): the subject is told what, and why (Art. 12(4)).
                    left_out.append(
                        {
                            "source": run.connector.display_name(language),
                            "category": item.category,
                            "activity": (pick(item.activity.names, language) or item.activity.code)
                            if item.activity
                            else "",
                            "reason": item.fields.get("left_out") or item.note,
                        }
                    )
                    continue
                if item.status != PlanItem.Status.DONE:
                    continue
                # An activity stopped through an API call or by a person is stopped all the same.
                stops = item.activity is not None and (
                    item.action == Action.STOP or plan.job.operation == Operation.STOP_PROCESSING
                )
                action = Action.STOP if stops else item.action
                if action in ACTION_DONE and action != Action.UNRESTRICT:
                    counts[action] = counts.get(action, 0) + 1
                if stops:
                    stopped.append(pick(item.activity.names, language) or item.activity.code)
            if counts:
                done.append(
                    {
                        "source": run.connector.display_name(language),
                        "counts": [(ACTION_DONE[a], n) for a, n in counts.items()],
                    }
                )
            for item in items:
                if item.action != Action.KEEP:
                    continue
                reason = item.note or item.get_reason_display()
                if item.activity and item.activity.legal_hold_reason:
                    reason = pick(item.activity.legal_hold_reason, language)
                kept.append(
                    {
                        "source": run.connector.display_name(language),
                        "category": item.category,
                        "reason": reason,
                        "until": item.keep_until,
                    }
                )
    # The categories in the subject's language, not our codes.
    codes = sorted({entry["category"] for entry in kept + left_out if entry["category"]})
    names = dict(zip(codes, _category_names(codes, language), strict=True))
    # Kept records: one line per category, reason and date, whatever the sources
    # and tables (invoices and their lines are one kind of data to the subject),
    # the soonest erasure first, those whose date is still to be checked last.
    merged: dict[tuple, dict] = {}
    for entry in kept:
        key = (names.get(entry["category"], entry["category"]), entry["reason"], entry["until"])
        line = merged.setdefault(key, {"sources": [], "count": 0})
        line["count"] += 1
        if entry["source"] not in line["sources"]:
            line["sources"].append(entry["source"])
    kept_lines = [
        {"source": ", ".join(line["sources"]), "category": c, "reason": r, "until": u, "count": line["count"]}
        for (c, r, u), line in sorted(
            merged.items(), key=lambda item: (item[0][2] is None, item[0][2] or 0, item[0][0])
        )
    ]
    grouped: dict[tuple, int] = {}
    for entry in left_out:
        key = (entry["source"], names.get(entry["category"], entry["category"]), entry["activity"], entry["reason"])
        grouped[key] = grouped.get(key, 0) + 1
    left_out_lines = [
        {"source": s, "category": c, "activity": a, "reason": r, "count": n} for (s, c, a, r), n in grouped.items()
    ]
    details = subject_request.type_details or {}
    tell_recipients = bool(details.get("tell_recipients") or details.get("recipients_requested"))
    recipients = []
    if tell_recipients and plan:
        recipients = [
            {"name": n.recipient.display_name(language), "address": n.recipient.address}
            for n in plan.notices.select_related("recipient")
        ]
    return {
        "request": subject_request,
        "done": done,
        "kept": kept_lines,
        "left_out": left_out_lines,
        "stopped": sorted(set(stopped)),
        "recipients": recipients,
        "tell_recipients": tell_recipients,
    }


# ------------------------------------------------------------------------------
# The request-page panel
# ------------------------------------------------------------------------------
def _correction_fields() -> list[str]:
    from dsar.execution.planning import correction_fields

    return correction_fields()


def erasure_ground_of(subject_request: SubjectRequest) -> str:
    """The Art. 17(1) ground the DPO named when approving the erasure (the last approval's), in words."""
    if subject_request.request_type != RequestType.ERASURE:
        return ""
    event = subject_request.events.filter(kind="plan.approved").order_by("-seq").first()
    code = (event.details or {}).get("erasure_ground", "") if event else ""
    return str(dict(ErasureGround.choices).get(code, ""))


def _panel_context(subject_request: SubjectRequest, user) -> dict:
    plan = plan_for(subject_request)
    ground = (
        restriction_ground_of(subject_request, plan) if subject_request.request_type == RequestType.RESTRICTION else ""
    )
    runs = []
    meanwhile_by_hand, meanwhile_failed = [], []
    verified = matching.verified_identifiers(subject_request)
    if plan is not None:
        for run in plan.job.runs.select_related("connector").prefetch_related("plan_items__activity"):
            task = getattr(run, "manual_task", None)
            items = list(run.plan_items.all())
            matching.annotate(items, verified)
            notes = [translate(note) for note in (plan.scope_notes or {}).get(run.connector.code, [])]
            runs.append({"run": run, "items": items, "task": task, "notes": notes})
            meanwhile = [i for i in items if i.note == MEANWHILE]
            if any(i.action == Action.MANUAL for i in meanwhile):
                meanwhile_by_hand.append(run.connector.name)
            elif any(i.status == PlanItem.Status.FAILED for i in meanwhile):
                meanwhile_failed.append(run.connector.name)
    notices, to_notify = [], []
    if plan is not None and subject_request.request_type in NOTIFIED_TYPES:
        notices = [
            {**_reason(n.recipient, n.categories, n.activities, n.unclassified), "notice": n}
            for n in plan.notices.select_related("recipient")
        ]
        if not plan.recipients_notified_at and plan.status != Plan.Status.FAILED:
            to_notify = [
                _reason(e.recipient, e.categories, e.activities, e.unclassified)
                for e in recipients_of(plan, planned=True)
            ]
    corrections = corrections_of(plan) if plan and plan.job.operation == Operation.RECTIFY else []
    return {
        "plan": plan,
        "runs": runs,
        "notices": notices,
        "to_notify": to_notify,
        "unreachable": unreachable_recipients(plan) if plan else [],
        "restrict_meanwhile": bool(plan and plan.job.options.get("restrict_meanwhile")),
        "meanwhile_by_hand": meanwhile_by_hand,
        "meanwhile_failed": meanwhile_failed,
        "subject_request": subject_request,
        "corrections": corrections,
        "unmapped_corrections": [c for c in corrections if not c.get("matched")],
        "correction_fields": _correction_fields() if plan and plan.job.operation == Operation.RECTIFY else [],
        "can_change": can_change(user, subject_request),
        "can_approve": can_approve(user, subject_request),
        "can_lift": can_lift(subject_request, plan) and can_approve(user, subject_request),
        "erasure": erasure_choices(plan) if subject_request.request_type == RequestType.ERASURE else None,
        "lift_reasons": lift_reasons(ground),
        "restriction_ground": RestrictionGround(ground).label if ground else "",
        "exceptions": Exception17.choices,
        # Why "Release" is refused now (open manual tasks, failed sources), said before the DPO presses it.
        "release_blocked": plan_release_blocked(subject_request, plan),
        "can_release": bool(
            plan
            and plan.status == Plan.Status.DONE
            and subject_request.status == Status.IN_REVIEW
            and "fulfil" in workflow.allowed_actions(subject_request, user)
        ),
        "erasure_grounds": ErasureGround.choices if subject_request.request_type == RequestType.ERASURE else [],
        "erasure_ground": erasure_ground_of(subject_request),
    }


def plan_release_blocked(subject_request: SubjectRequest, plan: Plan | None) -> str:
    if plan is None or subject_request.status != Status.IN_REVIEW or plan.status not in _NOT_EXECUTED:
        return ""
    try:
        plan_executed_before_release(subject_request, None)
    except workflow.WorkflowError as exc:
        return str(exc)
    return ""


register_panel(
    Panel(
        key="plan",
        template="workspace/panels/plan.html",
        order=50,
        context=_panel_context,
        applies=lambda subject_request: subject_request.request_type in OPERATIONS,
    )
)
