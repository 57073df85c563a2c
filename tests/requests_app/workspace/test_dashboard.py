"""The dashboard and its CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from requests_app import workflow
from requests_app.models import RequestType
from tests.fixtures.workspace import logged_request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def a_june_morning():
    """Days to answer are Brussels calendar days (Art. 12(3) counts days, not hours), so a history
    laid out "60 days ago" from a late-evening clock in December crosses the end of summer time and
    loses a day. Pin the clock to a morning with no clock change in the last 60 days."""
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture
def history(dpo):
    """Closed after 10, 20 and 30 days; one overdue; one due within a week; one fresh."""
    for days in (10, 20, 30):
        with time_machine.travel(timezone.now() - dt.timedelta(days=60), tick=False):
            request = logged_request(dpo)
        with time_machine.travel(timezone.now() - dt.timedelta(days=60 - days), tick=False):
            workflow.close(request, actor=dpo, reason="Withdrawn by phone.")
    logged_request(dpo, days_ago=40, request_type=RequestType.ERASURE)
    logged_request(dpo, days_ago=27)
    logged_request(dpo)


def test_it_shows_open_requests_deadlines_and_days_to_close(dpo_client, history):
    board = dpo_client.get(reverse("workspace:dashboard")).context["board"]
    assert board.open_total == 3
    assert board.overdue == 1
    assert board.due_this_week == 1
    assert board.median_days == 20
    assert board.p90_days == 30
    assert dict((value, count) for value, _l, count in board.by_type)["erasure"] == 1
    assert sum(count for _m, count in board.per_month) == 6
    assert len(board.per_month) == 12


def test_it_exports_the_figures_as_csv(dpo_client, history):
    response = dpo_client.get(reverse("workspace:dashboard_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["section", "key", "value", "label"]
    assert ["deadlines", "overdue", "1", "Deadlines: overdue"] in rows
    assert ["days_to_close_12_months", "median", "20", "Days to close, last 12 months: median, days"] in rows
    assert sum(1 for row in rows if row[0] == "received_per_month") == 12


def test_days_to_answer_count_a_release_not_the_later_closing(dpo_client, dpo):
    with time_machine.travel(timezone.now() - dt.timedelta(days=60), tick=False):
        request = logged_request(dpo)
    with time_machine.travel(timezone.now() - dt.timedelta(days=48), tick=False):
        workflow.approve(request, actor=dpo)
        workflow.start_processing(request)
        workflow.processing_done(request)
        workflow.fulfil(request, actor=dpo)
    with time_machine.travel(timezone.now() - dt.timedelta(days=5), tick=False):
        workflow.close(request, actor=dpo)

    board = dpo_client.get(reverse("workspace:dashboard")).context["board"]

    assert board.closed_count == 1
    assert board.median_days == 12


@pytest.mark.django_db
def test_the_dashboard_alerts_the_dpo_to_mail_unsent_for_an_hour(dpo_client):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from requests_app.models import OutgoingEmail

    email = OutgoingEmail.objects.create(template="t", to="a@example.be", subject="s", body_text="b", body_html="b")
    OutgoingEmail.objects.filter(pk=email.pk).update(attempts=3, last_error="SMTPConnectError")
    assert b"email-alert" not in dpo_client.get(reverse("workspace:dashboard")).content
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=61)):
        page = dpo_client.get(reverse("workspace:dashboard")).content.decode()
    assert 'id="email-alert"' in page
