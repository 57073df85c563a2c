"""What runs after the workflow's events: the subject told that a
representative asked in their name, and the purge of the representative's data."""

from __future__ import annotations

from django.utils.translation import gettext as _

from requests_app import workflow
from requests_app.models import Status
from requests_app.representation import services
from requests_app.representation.models import MandateCheck
from requests_app.representation.selectors import representation_of


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


@workflow.precondition("approve", "approve_absolute", "fulfil")
def mandate_accepted_first(request, actor) -> None:
    """Fail closed: nothing is done or released on a representative's word
    until their mandate is accepted. Data sent to someone without a mandate is a
    disclosure to a third party (Art. 5(1)(f), EDPB Guidelines 01/2022 § 82)."""
    representation = representation_of(request)
    if representation is not None and representation.check_status != MandateCheck.ACCEPTED:
        raise workflow.NotPossibleNow(
            _(
                "A representative made this request: record the check of their mandate first. Until it is "
                "accepted, nothing is done or sent on their word."
            )
        )
