"""Writes of the forwarding: forward, acknowledge, remind."""

from __future__ import annotations

import datetime as dt

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
from requests_app.models import Forwarding, SubjectRequest

REMIND_AFTER_DAYS = 5  # working days without an acknowledgement
MAX_AUTOMATIC_REMINDERS = 2
# Belgian Patient Rights Act of 22 August 2002: a patient's access to their
# file within 15 days; the GDPR's month applies to every other request.
PATIENT_ACCESS_DAYS = 15


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
            "patient_access_days": PATIENT_ACCESS_DAYS,
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


def acknowledge(forwarding: Forwarding) -> Forwarding:
    with transaction.atomic():
        locked = Forwarding.objects.select_for_update().get(pk=forwarding.pk)
        if locked.acknowledged_at is None:
            locked.acknowledged_at = timezone.now()
            locked.save(update_fields=["acknowledged_at", "updated_at"])
            workflow.log_event(
                locked.request,
                actor=workflow.SYSTEM,
                kind="forwarding.acknowledged",
                details={"forwarding": locked.pk, "controller": locked.controller_name},
            )
    return locked


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
    """Remind providers silent for REMIND_AFTER_DAYS working days (beat, daily)."""
    now = now or timezone.now()
    today = deadlines.local_date(now)
    sent = 0
    for forwarding in pending().filter(reminders__lt=MAX_AUTOMATIC_REMINDERS)[:200]:
        since = deadlines.local_date(forwarding.last_reminded_at or forwarding.sent_at)
        if deadlines.working_days_between(since, today) >= REMIND_AFTER_DAYS:
            remind(forwarding)
            sent += 1
    return sent
