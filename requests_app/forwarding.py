"""Forwarding a request to the controller it belongs to, and tracking it.

The vendor is the processor of its customers' patient data (Art. 28): a
patient's request about that data is the care provider's to answer. The desk
sends it on (``forward_request``), tells the subject who will answer, and
tracks that the provider acknowledged it: a link in the provider's e-mail,
a reminder after ``REMIND_AFTER_DAYS``, and the dashboard's count of
forwardings not yet acknowledged.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dsar.core.crypto import new_link_token, token_digest
from requests_app import deadlines, roles, workflow
from requests_app.emails import queue_email
from requests_app.intake.details import describe_type_details
from requests_app.models import Forwarding, RequestEvent, SubjectRequest
from requests_app.workspace.links import status_url

REMIND_AFTER_DAYS = 5  # working days without an acknowledgement
MAX_AUTOMATIC_REMINDERS = 2
# Belgian Patient Rights Act of 22 August 2002: a patient's access to their
# file within 15 days; the GDPR's month applies to every other request.
PATIENT_ACCESS_DAYS = 15


def ack_url(token: str) -> str:
    return settings.SITE_URL + reverse("forwarding:acknowledge", args=[token])


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


def find(token: str) -> Forwarding | None:
    if not token or len(token) > 100:
        return None
    return Forwarding.objects.select_related("request").filter(token_hash=token_digest(token)).first()


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
    if actor is not None and not roles.can_work_on(actor, forwarding.request):
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


def pending():
    """Forwardings not yet acknowledged, oldest first."""
    return Forwarding.objects.filter(acknowledged_at__isnull=True).select_related("request").order_by("sent_at")


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


@workflow.on_event("request.forwarded")
def tell_the_subject(subject_request: SubjectRequest, event: RequestEvent) -> None:
    forwarding = Forwarding.objects.filter(pk=event.details.get("forwarding"), request=subject_request).first()
    if forwarding is None:
        return
    queue_email(
        "forward_subject",
        to=subject_request.email,
        context={
            "subject_request": subject_request,
            "forwarding": forwarding,
            "status_url": status_url(subject_request),
        },
        language=subject_request.language,
        request=subject_request,
    )


# ------------------------------------------------------------------------------
# The provider's acknowledgement page (public, reached by the e-mailed link)
# ------------------------------------------------------------------------------
def acknowledge_view(request, token: str):
    """GET shows a button, so that mail scanners following links do not
    acknowledge in the provider's place."""
    from django.http import Http404
    from django.shortcuts import render

    forwarding = find(token)
    if forwarding is None:
        raise Http404
    if request.method == "POST":
        forwarding = acknowledge(forwarding)
    return render(request, "forwarding/acknowledge.html", {"forwarding": forwarding})
