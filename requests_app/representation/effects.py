"""What runs after the workflow's events: the subject told that a
representative asked in their name, and the purge of the representative's data."""

from __future__ import annotations

from requests_app import workflow
from requests_app.models import Status
from requests_app.representation import services


@workflow.on_event("request.verify")
def inform_subject_when_confirmed(request, event) -> None:
    # The representative confirmed their address: only now is the request real.
    services.inform_subject(request)


@workflow.on_event("request.created")
def inform_subject_when_logged_by_staff(request, event) -> None:
    if event.status_after == Status.NEW:
        services.inform_subject(request)


@workflow.on_event("request.purged")
def forget_representative(request, event) -> None:
    services.forget(request)
