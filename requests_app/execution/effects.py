"""What the execution does on workflow events and on the engine's signals:
plan on approval, move the request on when the plan is computed, notify the
recipients (Art. 19) when it is executed, refuse a release before it is
carried out or a cancellation once it is, tell the subject what was done."""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dsar import signals as engine_signals
from dsar.execution import service, signals
from dsar.execution.models import Plan
from requests_app import permissions, workflow
from requests_app.delivery import incomplete
from requests_app.emails import queue_email
from requests_app.execution.selectors import (
    NOTIFIED_TYPES,
    OPERATIONS,
    absolute_ground,
    fulfilment_context,
    plan_for,
    request_for,
    runs_without_weighing,
    sources_summary,
)
from requests_app.execution.services import (
    approve_absolute_plan,
    notify_recipients,
    purge_after_erasure,
    start_planning,
)
from requests_app.gathering import matching
from requests_app.models import ControllerProfile, RejectionReason, RequestType, Status, SubjectRequest

log = logging.getLogger(__name__)


@workflow.on_event("request.approve")
def plan_on_approval(subject_request: SubjectRequest, event) -> None:
    if subject_request.request_type not in OPERATIONS:
        return
    start_planning(subject_request)


# ------------------------------------------------------------------------------
# Absolute rights: Art. 21(3) (direct marketing) and Art. 7(3) (consent)
# ------------------------------------------------------------------------------
# "Shall no longer be processed for such purposes" (21(3)), "as easy to
# withdraw as to give" (7(3)): the only refusals left are that we do not know
# who asks (Art. 12(6)) or hold nothing on them (Art. 11).
ABSOLUTE_REFUSALS = (RejectionReason.IDENTITY_NOT_CONFIRMED, RejectionReason.NO_DATA_HELD)


@workflow.precondition("reject")
def no_weighing_of_absolute_rights(subject_request: SubjectRequest, actor) -> None:
    reason = subject_request.rejection_reason
    if not reason or reason in ABSOLUTE_REFUSALS or not absolute_ground(subject_request):
        return
    raise workflow.NotPossibleNow(
        _(
            "An objection to direct marketing (Art. 21(3)) and a withdrawal of consent (Art. 7(3)) are absolute: "
            "they can be refused only because the identity could not be confirmed or because we hold no data on "
            "the subject."
        )
    )


@workflow.precondition("approve")
def one_dpo_approval_for_absolute_rights(subject_request: SubjectRequest, actor) -> None:
    """Where the controller wants an absolute right approved first, it is the DPO's one approval."""
    if actor in (workflow.SUBJECT, workflow.SYSTEM) or permissions.can_manage_desk(actor):
        return
    if absolute_ground(subject_request) and ControllerProfile.current().absolute_rights_need_approval:
        raise workflow.ActionForbidden(
            _("Only the DPO approves an objection to direct marketing or a withdrawal of consent."),
            request=subject_request,
            actor=actor,
            action="approve",
        )


@workflow.on_event("request.verify", "request.created")
def run_absolute_rights(subject_request: SubjectRequest, event) -> None:
    """Once the address is confirmed (or the staff logged the request), an
    absolute right runs without an approval, unless the controller asked for one."""
    if event.status_after != Status.NEW or not runs_without_weighing(subject_request):
        return
    if ControllerProfile.current().absolute_rights_need_approval:
        return
    try:
        workflow.approve_absolute(subject_request, ground=absolute_ground(subject_request))
    except workflow.WorkflowError as exc:
        # Moved on in between (cancelled, already approved): nothing to start.
        log.info("Absolute right %s not started: %s", subject_request, exc)


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
    if plan.status == Plan.Status.READY and runs_without_weighing(subject_request):
        approve_absolute_plan(subject_request, plan)


@receiver(signals.plan_executed)
def _plan_executed(sender, plan: Plan, **kwargs) -> None:
    subject_request = request_for(plan)
    if subject_request is None:
        return
    with transaction.atomic():
        # The request's row stays locked until the notices are recorded too.
        workflow.log_event(
            subject_request,
            actor=workflow.SYSTEM,
            kind="plan.executed",
            details={"plan": plan.pk, "status": plan.status, "sources": sources_summary(plan)},
        )
        if plan.status == Plan.Status.DONE and subject_request.request_type in NOTIFIED_TYPES:
            notify_recipients(plan, subject_request)
    if (
        plan.status == Plan.Status.DONE
        and subject_request.status == Status.IN_REVIEW
        and runs_without_weighing(subject_request)
    ):
        # Art. 12(3): the subject is told what was done, without waiting for a person.
        workflow.complete_absolute(subject_request)
    # Released before its manual tasks were done (allowed before the release
    # waited for a done plan): the purge waited for them.
    if (
        plan.status == Plan.Status.DONE
        and subject_request.request_type == RequestType.ERASURE
        and subject_request.status == Status.FULFILLED
        and not subject_request.purged_at
    ):
        service.forget_subject(plan)
        purge_after_erasure(subject_request)


@receiver(engine_signals.deferred_erasure_done, dispatch_uid="requests_app.execution.effects.deferred_erasure_done")
def _deferred_erasure_done(sender, external_ref: str, counts: dict, **kwargs) -> None:
    """Records kept under a legal hold were erased when it ended: the request's
    audit trail says so, with counts only. Its records may be gone by then
    (retention outlived by a 7-year hold): the engine's log is all there is."""
    subject_request = SubjectRequest.objects.filter(reference=external_ref).first()
    if subject_request is None or subject_request.records_deleted_at:
        log.info("Deferred erasure of %s done (%s); the request's records are no longer kept.", external_ref, counts)
        return
    workflow.log_event(
        subject_request,
        actor=workflow.SYSTEM,
        kind="erasure.deferred_done",
        details={key: int(counts.get(key, 0)) for key in ("records", "rows_changed", "remaining")},
    )


# Plans not (wholly) carried out: telling the subject "done" would be untrue.
# Open manual tasks and failed sources hold the release too (the request waits
# until they are marked done, dsar/CONFIG.md): nothing would tell the subject
# afterwards, and an erasure's address is purged once it is released and done.
NOT_EXECUTED = {
    Plan.Status.PLANNING,
    Plan.Status.READY,
    Plan.Status.APPROVED,
    Plan.Status.EXECUTING,
    Plan.Status.WAITING,
    Plan.Status.PARTIAL,
    Plan.Status.FAILED,
}


@workflow.precondition("fulfil", "complete_absolute")
def plan_executed_before_release(subject_request: SubjectRequest, actor) -> None:
    if subject_request.request_type not in OPERATIONS:
        return
    plan = plan_for(subject_request)
    if plan is None or plan.status not in NOT_EXECUTED:
        return
    if plan.status == Plan.Status.PARTIAL and incomplete.accepted(subject_request, plan.job):
        # The DPO chose to answer now, with a reason; the subject is told what could not be done.
        return
    if plan.status == Plan.Status.WAITING:
        message = _(
            "Manual tasks of the plan are still open: complete them on the plan panel before you tell the "
            "subject it is done."
        )
    elif plan.status == Plan.Status.PARTIAL:
        message = _(
            "Some sources failed: %(sources)s. Retry them on the plan panel (compute the plan again for a source "
            "that could not be read), or release with a reason: the subject is then told which systems could not "
            "be searched."
        ) % {"sources": ", ".join(incomplete.unsearched_names(subject_request))}
    else:
        message = _("The plan is %(status)s: execute it before you tell the subject it is done.") % {
            "status": plan.get_status_display().lower()
        }
    raise workflow.NotPossibleNow(message)


@workflow.precondition("fulfil", "complete_absolute")
def every_recipient_settled(subject_request: SubjectRequest, actor) -> None:
    """Art. 19: each recipient of the changed data is notified, or the DPO
    recorded why not, before the subject is told it is done (and told who)."""
    if subject_request.request_type not in NOTIFIED_TYPES:
        return
    plan = plan_for(subject_request)
    if plan is None or not plan.recipients_notified_at:
        return
    open_notices = plan.notices.filter(sent_at__isnull=True, not_notified_reason="").count()
    if open_notices:
        raise workflow.NotPossibleNow(
            ngettext(
                "%(n)d recipient was neither notified nor given a reason not to be (Art. 19): record it on the "
                "plan panel before you tell the subject it is done.",
                "%(n)d recipients were neither notified nor given a reason not to be (Art. 19): record it on the "
                "plan panel before you tell the subject it is done.",
                open_notices,
            )
            % {"n": open_notices}
        )


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
        purge_after_erasure(subject_request)
