"""The subject's other requests, beside the one the DPO is reading.

Art. 12(5) lets a controller refuse or charge for requests that are
manifestly unfounded or excessive, "in particular because of their
repetitive character", and puts the burden of proof on the controller: the
DPO needs to see the earlier requests to judge, and to decide what to do
with a repeat (only an exact double is joined to the open request; anything
else is a request of its own, linked to it: intake.services.submit_request).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from requests_app.models import SubjectRequest
from requests_app.workspace.panels import Panel, register_panel

SHOWN = 20
REPEAT_WINDOW_DAYS = 365


def other_requests(subject_request: SubjectRequest) -> list[SubjectRequest]:
    """The same address's other requests, newest first (index on UPPER(email))."""
    if not subject_request.email:  # purged: nothing left to match on
        return []
    return list(
        SubjectRequest.objects.filter(email__iexact=subject_request.email)
        .exclude(pk=subject_request.pk)
        .only("reference", "request_type", "status", "received_at", "email", "assignee_id")
        .order_by("-received_at")[:SHOWN]
    )


def _context(subject_request: SubjectRequest, user) -> dict:
    others = other_requests(subject_request)
    since = timezone.now() - dt.timedelta(days=REPEAT_WINDOW_DAYS)
    return {
        "subject_request": subject_request,
        "other_requests": others,
        "open_same_type": [o for o in others if o.is_open and o.request_type == subject_request.request_type],
        "last_year": sum(1 for o in others if o.received_at >= since),
    }


register_panel(
    Panel(
        key="history",
        template="workspace/panels/history.html",
        order=10,
        context=_context,
        applies=lambda subject_request: bool(subject_request.email),
    )
)
