"""The daily digest of deadlines, and the flag on requests nobody took.

Each assignee receives their requests due within 7 days or overdue; requests
without an assignee go to every DPO, with those unassigned for more than one
working day flagged.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q

from requests_app import deadlines
from requests_app.accounts import roles
from requests_app.emails import queue_email, staff_language
from requests_app.models import SubjectRequest

from .links import workspace_url
from .selectors import due_soon_or_overdue

DIGEST_DAYS = 7


def is_stale_unassigned(subject_request: SubjectRequest, *, today: dt.date | None = None) -> bool:
    """Open, unassigned, and a whole working day has passed since receipt."""
    if subject_request.assignee_id is not None or not subject_request.is_open:
        return False
    today = today or deadlines.today()
    received = deadlines.local_date(subject_request.received_at)
    first_working_day_after = deadlines.next_working_day(received + dt.timedelta(days=1))
    return today > first_working_day_after


def stale_unassigned(*, today: dt.date | None = None) -> list[SubjectRequest]:
    today = today or deadlines.today()
    # Cheap bound in SQL (received at least two days ago), exact rule in Python.
    candidates = SubjectRequest.objects.open().filter(
        assignee__isnull=True, received_at__date__lt=today - dt.timedelta(days=1)
    )
    return [r for r in candidates.order_by("received_at") if is_stale_unassigned(r, today=today)]


def _dpos():
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name=roles.DPO) | Q(is_superuser=True))
        .exclude(email="")
        .distinct()
    )


def _row(subject_request: SubjectRequest) -> dict:
    days = deadlines.days_left(subject_request.due_date)
    return {
        "request": subject_request,
        "days_left": days,
        "late": -days,
        "url": workspace_url(subject_request),
    }


def send_daily_digests() -> int:
    """Queue one digest per person with something to do. Returns the number queued."""
    per_user: dict[int, list] = defaultdict(list)
    unassigned: list = []
    users = {}
    for subject_request in due_soon_or_overdue(within_days=DIGEST_DAYS):
        if subject_request.assignee_id and subject_request.assignee.is_active:
            per_user[subject_request.assignee_id].append(_row(subject_request))
            users[subject_request.assignee_id] = subject_request.assignee
        else:
            unassigned.append(_row(subject_request))
    stale = [_row(r) for r in stale_unassigned()]
    dpos = list(_dpos())
    recipients = set(per_user)
    if unassigned or stale:
        recipients |= {dpo.pk for dpo in dpos}
        users.update({dpo.pk: dpo for dpo in dpos})
    sent = 0
    for user_id in sorted(recipients):
        user = users[user_id]
        if not user.email:
            continue
        mine = per_user.get(user_id, [])
        context = {
            "user": user,
            "overdue": [row for row in mine if row["days_left"] < 0],
            "due_soon": [row for row in mine if row["days_left"] >= 0],
            "unassigned": unassigned if user in dpos else [],
            "stale": stale if user in dpos else [],
            "queue_url": settings.SITE_URL + "/workspace/",
        }
        if not (context["overdue"] or context["due_soon"] or context["unassigned"] or context["stale"]):
            continue
        queue_email("workspace_digest", to=user.email, context=context, language=staff_language(user))
        sent += 1
    return sent
