"""E-mails sent by the workspace's actions (registered in requests_app.effects).

Each runs after the action's transaction commits and only queues the message
in the outbox (requests_app.emails), in the subject's language.
"""

from __future__ import annotations

from requests_app import workflow
from requests_app.emails import queue_email, staff_language
from requests_app.models import Message, RequestEvent, SubjectRequest

from .links import status_url, workspace_url


def _subject_context(subject_request: SubjectRequest, **extra) -> dict:
    return {"subject_request": subject_request, "status_url": status_url(subject_request), **extra}


@workflow.on_event("request.request_info", "fee.announced")
def email_request_for_information(subject_request: SubjectRequest, event: RequestEvent) -> None:
    message = Message.objects.filter(pk=event.details.get("message"), request=subject_request).first()
    if message is None:
        return
    queue_email(
        "workspace_request_info",
        to=subject_request.email,
        context=_subject_context(subject_request, message=message),
        language=subject_request.language,
        request=subject_request,
    )


@workflow.on_event("request.rejected")
def email_refusal(subject_request: SubjectRequest, event: RequestEvent) -> None:
    """Art. 12(4): the reasons, the right to complain to the supervisory
    authority and the right to a judicial remedy."""
    queue_email(
        "workspace_rejected",
        to=subject_request.email,
        context=_subject_context(subject_request),
        language=subject_request.language,
        request=subject_request,
    )


@workflow.on_event("request.close")
def email_closed_unanswered(subject_request: SubjectRequest, event: RequestEvent) -> None:
    """Closing a request that was never answered is not taking action on it:
    Art. 12(4) asks for the reasons and the right to complain. Closing after
    release is bookkeeping and sends nothing."""
    if not event.details.get("unanswered"):
        return
    queue_email(
        "workspace_closed",
        to=subject_request.email,
        context=_subject_context(subject_request),
        language=subject_request.language,
        request=subject_request,
    )


@workflow.on_event("request.extended")
def email_extension(subject_request: SubjectRequest, event: RequestEvent) -> None:
    """Art. 12(3): the subject is told of the extension and its reasons."""
    queue_email(
        "workspace_extended",
        to=subject_request.email,
        context=_subject_context(subject_request, months=event.details.get("months")),
        language=subject_request.language,
        request=subject_request,
    )


@workflow.on_event("request.assigned")
def email_new_assignee(subject_request: SubjectRequest, event: RequestEvent) -> None:
    """Tell a colleague that a request was given to them (not when they took it)."""
    assignee = subject_request.assignee
    if assignee is None or not assignee.email or assignee.pk == event.actor_id:
        return
    queue_email(
        "workspace_assigned",
        to=assignee.email,
        context={
            "subject_request": subject_request,
            "assigned_by": event.actor_label,
            "url": workspace_url(subject_request),
        },
        language=staff_language(assignee),
        request=subject_request,
    )
