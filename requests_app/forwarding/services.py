"""Writes of the forwarding: forward, acknowledge, remind."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dsar.core.crypto import new_link_token, token_digest
from requests_app import deadlines, permissions, workflow
from requests_app.emails import queue_email
from requests_app.forwarding.selectors import ack_url, pending
from requests_app.intake.details import describe_type_details
from requests_app.models import Forwarding, Status, SubjectRequest

REMIND_AFTER_DAYS = 5  # working days without an acknowledgement
MAX_AUTOMATIC_REMINDERS = 2


def _provider_email(forwarding: Forwarding, token: str, *, reminder: bool = False) -> None:
    subject_request = forwarding.request
    queue_email(
        "forward_controller",
        to=forwarding.controller_email,
        context={
            "subject_request": subject_request,
            "forwarding": forwarding,
            "ack_url": ack_url(token),
            "reminder": reminder,
            # Patient Rights Act, art. 9 §2: 15 days from the patient's request,
            # which we received; the provider sees the date and what is left.
            "patient_access_days": settings.DSAR_PATIENT_RIGHTS_DAYS,
            "provider_due": forwarding.due_date,
            "provider_days_left": deadlines.days_left(forwarding.due_date) if forwarding.due_date else None,
            # The same wording as the DPO's request page.
            "type_lines": describe_type_details(subject_request.type_details),
        },
        language=subject_request.language,
        request=subject_request,
    )


def forward_request(
    subject_request: SubjectRequest, *, actor, controller_name: str, controller_email: str, note: str = ""
) -> Forwarding:
    """Forward, end the request here, and e-mail the provider, in one transaction."""
    try:
        validate_email(controller_email.strip())
    except ValidationError as exc:
        raise workflow.WorkflowError(_("Enter a valid e-mail address for the controller.")) from exc
    if "forward" not in workflow.allowed_actions(subject_request, actor):
        # Refused (and recorded) or not possible in this status: the workflow says which.
        workflow.forward(
            subject_request, actor=actor, controller_name=controller_name, controller_email=controller_email
        )
    with transaction.atomic():
        forwarding, token = workflow.forward(
            subject_request,
            actor=actor,
            controller_name=controller_name,
            controller_email=controller_email,
            note=note,
        )
        _provider_email(forwarding, token)
    return forwarding


def acknowledge(forwarding: Forwarding, *, actor=workflow.SYSTEM) -> Forwarding:
    """The provider acknowledged (its link, or the DPO records it): the request,
    open since it was forwarded, closes with an event."""
    with transaction.atomic():
        locked = Forwarding.objects.select_for_update().get(pk=forwarding.pk)
        if locked.acknowledged_at is None:
            locked.acknowledged_at = timezone.now()
            locked.save(update_fields=["acknowledged_at", "updated_at"])
            workflow.log_event(
                locked.request,
                actor=actor,
                kind="forwarding.acknowledged",
                details={"forwarding": locked.pk, "controller": locked.controller_name},
            )
            if locked.request.status == Status.FORWARDED:
                workflow.forwarding_acknowledged(locked.request, actor=actor, forwarding=locked.pk)
    return locked


def is_overdue(forwarding: Forwarding, *, today: dt.date | None = None) -> bool:
    """Past the provider's deadline and not acknowledged: flagged on the queue."""
    today = today or deadlines.today()
    return forwarding.acknowledged_at is None and forwarding.due_date is not None and forwarding.due_date < today


def remind(forwarding: Forwarding, *, actor=None) -> Forwarding:
    """E-mail the provider again, with a new link (only the newest works:
    the token's hash is all that is kept, so the old link cannot be re-sent)."""
    if actor is not None and not permissions.can_work_on(actor, forwarding.request):
        workflow.log_event(
            forwarding.request, actor=actor, kind="action.refused", details={"action": "remind_forwarding"}
        )
        raise workflow.ActionForbidden(_("Your role does not allow this action."))
    if forwarding.acknowledged_at:
        raise workflow.WorkflowError(_("The controller already acknowledged this request."))
    if forwarding.request.purged_at:
        raise workflow.WorkflowError(_("The request's personal data was purged: remind the controller by other means."))
    token = new_link_token()
    with transaction.atomic():
        Forwarding.objects.filter(pk=forwarding.pk).update(
            token_hash=token_digest(token), reminders=forwarding.reminders + 1, last_reminded_at=timezone.now()
        )
        forwarding.refresh_from_db()
        _provider_email(forwarding, token, reminder=True)
        workflow.log_event(
            forwarding.request,
            actor=actor or workflow.SYSTEM,
            kind="forwarding.reminded",
            details={"forwarding": forwarding.pk, "controller": forwarding.controller_name},
        )
    return forwarding


def send_due_reminders(now: dt.datetime | None = None) -> int:
    """Remind providers (beat, daily): silent for REMIND_AFTER_DAYS working
    days (at most MAX_AUTOMATIC_REMINDERS times), and once more when the
    Patient Rights Act's deadline is DSAR_PATIENT_REMINDER_DAYS_BEFORE days
    away, so that the patient's 15 days are not missed for want of a nudge."""
    now = now or timezone.now()
    today = deadlines.local_date(now)
    sent = 0
    for forwarding in pending()[:200]:
        if forwarding.request.purged_at:
            continue
        last = deadlines.local_date(forwarding.last_reminded_at or forwarding.sent_at)
        silent = (
            forwarding.reminders < MAX_AUTOMATIC_REMINDERS
            and deadlines.working_days_between(last, today) >= REMIND_AFTER_DAYS
        )
        before_due = False
        if forwarding.due_date is not None:
            window = forwarding.due_date - dt.timedelta(days=settings.DSAR_PATIENT_REMINDER_DAYS_BEFORE)
            before_due = window <= today <= forwarding.due_date and last < window
        if silent or before_due:
            remind(forwarding)
            sent += 1
    return sent
