"""Finding 16: staff reading the records or previewing the copy is recorded
each time (Art. 5(2)), but the request page's timeline groups a run of such
page views into one line, so the decisions stay readable; the audit log keeps
every event."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from requests_app import workflow

pytestmark = pytest.mark.django_db

BRUSSELS = dt.timezone(dt.timedelta(hours=1))


def at(hour: int, minute: int = 0):
    return time_machine.travel(dt.datetime(2026, 12, 7, hour, minute, tzinfo=BRUSSELS), tick=False)


def timeline(client, request) -> str:
    page = client.get(reverse("workspace:request", args=[request.reference])).content.decode()
    return page.split('id="h-timeline"')[1].split("</ol>")[0]


def test_a_run_of_page_views_is_one_line_and_the_decisions_stand_out(dpo_client, dpo, new_request):
    for minute in range(6):
        with at(15, 10 + minute):
            workflow.log_event(new_request, actor=dpo, kind="export.records_read", details={"records": 4})
    with at(16):
        workflow.approve(new_request, actor=dpo)
    with at(17, 40):
        workflow.log_event(new_request, actor=dpo, kind="export.records_read", details={"records": 4})

    shown = timeline(dpo_client, new_request)

    lines = re.findall(r"<li[^>]*>(.*?)</li>", shown, re.S)
    reads = [line for line in lines if "Gathered records read by staff" in line]
    assert len(reads) == 2  # the approval splits the runs
    assert "· 6 times · the first on 7 December 2026 15:10" in reads[1] and ">7 December 2026 15:15<" in reads[1]
    assert "6 times" not in reads[0] and "4 records" in reads[0]
    assert any("Approved" in line for line in lines)


def test_the_audit_log_keeps_every_page_view(dpo_client, dpo, new_request):
    for _ in range(3):
        workflow.log_event(new_request, actor=dpo, kind="export.records_read", details={"records": 4})

    page = dpo_client.get(reverse("audit:log"), {"reference": new_request.reference}).content.decode()

    assert page.count("Gathered records read by staff") >= 3
