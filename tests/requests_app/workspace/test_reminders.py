"""The daily digest of deadlines, with time frozen."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from requests_app import workflow
from requests_app.models import RequestType
from requests_app.workspace.reminders import is_stale_unassigned
from requests_app.workspace.schedules import BEAT_SCHEDULE
from requests_app.workspace.tasks import send_deadline_digests

pytestmark = pytest.mark.django_db
BRUSSELS = dt.timezone(dt.timedelta(hours=1))


def at(*args):
    return time_machine.travel(dt.datetime(*args, tzinfo=BRUSSELS), tick=False)


def create(actor, received: dt.datetime, **fields):
    values = {"full_name": "Lotte Peeters", "email": "lotte.peeters@example.be", "language": "nl", **fields}
    return workflow.create_request(
        actor=actor,
        request_type=RequestType.ACCESS,
        channel="email",
        received_at=received,
        identity_check="known_contact",
        **values,
    )


def digests():
    with_capture = {}
    for message in mail.outbox:
        with_capture[message.to[0]] = message
    return with_capture


def test_it_is_scheduled_daily_in_celery_beat():
    assert BEAT_SCHEDULE["deadline-digests"]["task"] == "requests_app.tasks.send_deadline_digests"


def test_it_sends_each_assignee_their_overdue_and_due_soon_requests(
    dpo, agent, other_agent, django_capture_on_commit_callbacks
):
    with at(2026, 1, 5, 10):  # Monday 5 January 2026 -> legal deadline Thursday 5 February
        late = workflow.assign(create(dpo, timezone.now()), actor=dpo, assignee=agent)
    with at(2026, 1, 19, 10):  # -> Thursday 19 February
        soon = workflow.assign(create(dpo, timezone.now()), actor=dpo, assignee=agent)
    with at(2026, 1, 26, 10):  # -> Thursday 26 February
        later = workflow.assign(create(dpo, timezone.now()), actor=dpo, assignee=other_agent)
    mail.outbox.clear()
    with at(2026, 2, 12, 7, 30), django_capture_on_commit_callbacks(execute=True):
        sent = send_deadline_digests.delay().get()
    assert sent == 1
    digest = digests()[agent.email]
    assert late.reference in digest.body and soon.reference in digest.body
    assert "7 days late" in digest.body
    assert later.reference not in digest.body
    assert "1 overdue" in digest.subject
    assert other_agent.email not in digests()


def test_it_sends_unassigned_requests_to_the_dpo_and_flags_those_waiting_a_working_day(
    dpo, agent, django_capture_on_commit_callbacks
):
    with at(2026, 1, 9, 16):  # Friday
        friday = create(dpo, timezone.now())
    with at(2026, 1, 12, 16):  # Monday: the first working day after receipt is not over
        assert not is_stale_unassigned(friday)
    with at(2026, 1, 13, 7, 30), django_capture_on_commit_callbacks(execute=True):
        assert is_stale_unassigned(friday)
        send_deadline_digests()
    digest = digests()[dpo.email]
    assert "Unassigned for more than one working day" in digest.body
    assert friday.reference in digest.body
    assert agent.email not in digests()


def test_it_sends_nothing_when_nothing_is_due(dpo, agent, django_capture_on_commit_callbacks):
    with at(2026, 1, 5, 10):
        request = create(dpo, timezone.now())
        workflow.assign(request, actor=dpo, assignee=agent)
    mail.outbox.clear()
    with at(2026, 1, 6, 7, 30), django_capture_on_commit_callbacks(execute=True):
        assert send_deadline_digests() == 0
    assert mail.outbox == []
