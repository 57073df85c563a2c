"""E-mails to the subject about their own request: the acknowledgement, and
the confirmation that they cancelled it."""

from __future__ import annotations

from requests_app import workflow
from requests_app.emails import queue_email
from requests_app.models import Status


def send_acknowledgement(request) -> None:
    from requests_app.intake.services import status_url

    queue_email(
        "intake_acknowledgement",
        to=request.email,
        language=request.language,
        request=request,
        context={"request": request, "status_url": status_url(request)},
    )


@workflow.on_event("request.verify")
def acknowledge_confirmed_request(request, event) -> None:
    send_acknowledgement(request)


@workflow.on_event("request.created")
def acknowledge_request_logged_by_staff(request, event) -> None:
    # A request received by letter, phone or e-mail and logged by staff starts
    # as new without a confirmation step; the subject still gets the acknowledgement.
    if event.status_after == Status.NEW and not request.purged_at:
        send_acknowledgement(request)


@workflow.on_event("request.cancel")
def confirm_cancellation(request, event) -> None:
    # Only the subject's own cancellation is confirmed this way: a cancellation
    # by anyone else would need its reasons told, which this message does not.
    if event.actor_label != workflow.SUBJECT or request.purged_at:
        return
    from django.urls import reverse

    from requests_app.intake.services import absolute_url

    queue_email(
        "intake_cancelled",
        to=request.email,
        language=request.language,
        request=request,
        context={"request": request, "form_url": absolute_url(reverse("intake:form"))},
    )
