"""What the forwarding does on workflow events (listed in requests_app.effects)."""

from __future__ import annotations

from requests_app import workflow
from requests_app.emails import queue_email
from requests_app.models import Forwarding, RequestEvent, SubjectRequest
from requests_app.workspace.links import status_url


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
