"""The dashboard's charts: proportional scales, and the numbers they draw."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
import time_machine
from django.urls import reverse

from requests_app import workflow
from requests_app.models import RejectionReason
from requests_app.workspace.charts import Chart, Series
from tests.fixtures.workspace import logged_request

pytestmark = pytest.mark.django_db

BRUSSELS = dt.timezone(dt.timedelta(hours=1))


def at(day: str, hour: int = 10):
    return time_machine.travel(dt.datetime.fromisoformat(f"{day}T{hour:02d}:00").replace(tzinfo=BRUSSELS), tick=False)


def _bar_heights(svg: str) -> list[float]:
    return [float(h) for h in re.findall(r'<rect x="[^"]+" y="[^"]+" width="[^"]+" height="([^"]+)"', svg)]


def test_10_and_11_are_drawn_in_proportion_from_zero():
    chart = Chart("t", "Title", "What it shows", ["a", "b"], [Series("n", [10, 11])])

    svg = str(chart.svg())

    small, large = _bar_heights(svg)
    assert small != large
    assert small / large == pytest.approx(10 / 11, abs=0.001)
    assert 'role="img"' in svg
    assert '<title id="t-title">Title</title>' in svg
    assert '<desc id="t-desc">What it shows</desc>' in svg
    # The axis runs from 0 to the tick at or above the largest bar, with its ticks labelled.
    ticks = re.findall(r'text-anchor="end" fill="#616e7c">(\d+)</text>', svg)
    assert ticks[0] == "0"
    assert int(ticks[-1]) >= 11


def test_a_percentage_chart_keeps_its_axis_at_100():
    chart = Chart("p", "Rate", "", ["Jan"], [Series("on time", [50])], axis_max=100, unit="%")

    (height,) = _bar_heights(str(chart.svg()))

    assert chart.scale()[0] == 100
    assert height == pytest.approx(194 / 2, abs=0.01)  # half of the plot's height


def test_titles_and_labels_are_escaped():
    chart = Chart("x", "<script>", "", ["<b>"], [Series("n", [1])], horizontal=True)

    svg = str(chart.svg())

    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg


@pytest.fixture
def deadlines_kept_and_missed(dpo):
    """January 2026: one request extended and answered within the extension, one answered late,
    one answered early, one still open past its deadline."""
    with at("2026-01-05"):
        extended = logged_request(dpo)
        late = logged_request(dpo)
    with at("2026-01-10"):
        early = logged_request(dpo)
    with at("2026-01-12"):
        logged_request(dpo)  # never answered
    with at("2026-01-15"):
        workflow.close(early, actor=dpo, reason="Answered by phone.")
    with at("2026-01-20"):
        workflow.extend(extended, actor=dpo, months=1, reason="Many sources to search.")
    with at("2026-02-20"):
        workflow.close(extended, actor=dpo, reason="Answered by letter.")
        workflow.close(late, actor=dpo, reason="Answered by letter.")
    return extended


def _rows(response, key):
    chart = next(c for c in response.context["charts"] if c.key == key)
    return {str(row[0]): row[1:] for row in chart.table_rows}


def test_the_on_time_rate_counts_an_extended_deadline(dpo_client, deadlines_kept_and_missed):
    extended = deadlines_kept_and_missed
    extended.refresh_from_db()
    assert extended.due_date.month == 3  # the extension moved it from February

    with at("2026-03-20"):
        response = dpo_client.get(reverse("workspace:dashboard"))

    rows = _rows(response, "on-time")
    # Per month of the answer. January: the one answered early.
    assert rows["Jan 26"] == [1, 0, 0, "100.0 %"]
    # February: the extended request, answered after its first deadline but within the extension, on time;
    # the one answered late, and the one never answered whose deadline passed in February, late.
    assert rows["Feb 26"] == [1, 2, 0, "33.3 %"]
    assert rows["Mar 26"] == [0, 0, 0, "–"]
    html = response.content.decode()
    assert "33.3 %" in html
    assert "Answered on time, per month of the answer" in html


def test_a_request_answered_before_a_deadline_in_a_later_month_shows_in_the_month_answered(dpo_client, dpo):
    with at("2026-12-03"):
        answered = logged_request(dpo)  # due 4 January 2027
    with at("2026-12-06"):
        workflow.close(answered, actor=dpo, reason="Answered by phone.")
        response = dpo_client.get(reverse("workspace:dashboard"))

    assert _rows(response, "on-time")["Dec 26"] == [1, 0, 0, "100.0 %"]


def test_long_labels_of_a_chart_are_shortened_with_the_full_text_kept():
    long = "Answered (copy released or action carried out)"
    chart = Chart("o", "Outcomes", "", [long, "Still open"], [Series("n", [3, 1])], horizontal=True)

    svg = str(chart.svg())

    assert f"<title>{long}</title>Answered (copy released or…</text>" in svg
    assert "<title>Still open</title>Still open</text>" in svg


def test_ageing_workload_and_outcomes(dpo_client, dpo, agent):
    with at("2026-03-01"):
        old = logged_request(dpo)
        refused = logged_request(dpo)
    with at("2026-03-02"):
        workflow.reject(refused, actor=dpo, reason=RejectionReason.NO_DATA_HELD)
    with at("2026-03-25"):
        workflow.assign(old, actor=dpo, assignee=agent)
        logged_request(dpo)

    with at("2026-04-05"):
        response = dpo_client.get(reverse("workspace:dashboard"))

    age = _rows(response, "age")
    assert age["0–7"] == [0] and age["8–14"] == [1] and age["31–60"] == [1]
    left = _rows(response, "left")
    assert left["overdue"] == [1]  # due on 1 April
    assert sum(n for (n,) in left.values()) == 2
    workload = _rows(response, "workload")
    assert workload["agent"] == [1, 1]
    assert workload["Nobody (unassigned)"] == [1, 0]
    outcomes = _rows(response, "outcomes")
    assert outcomes["Refused: We hold no personal data on the subject"] == [1]
    assert outcomes["Still open"] == [2]


def test_time_in_each_status_comes_from_the_event_history(dpo_client, dpo):
    for days in (2, 4, 10):
        with at("2026-03-01"):
            request = logged_request(dpo)
        with at(f"2026-03-{1 + days:02d}"):
            workflow.approve(request, actor=dpo)

    with at("2026-03-20"):
        response = dpo_client.get(reverse("workspace:dashboard"))

    rows = _rows(response, "status-time")
    assert rows["New"] == [3, "4.0", "10.0"]


def test_requests_per_right_and_channel_per_month(dpo_client, dpo):
    with at("2026-02-10"):
        logged_request(dpo, request_type="erasure", channel="letter")
        logged_request(dpo, request_type="access", channel="email")
    with at("2026-03-10"):
        logged_request(dpo, request_type="erasure", channel="email")

    with at("2026-03-20"):
        response = dpo_client.get(reverse("workspace:dashboard"))

    per_type = next(c for c in response.context["charts"] if c.key == "per-type")
    assert per_type.table_head[1:] == ["Access to my data (Art. 15)", "Erasure of my data (Art. 17)", "Total"]
    rows = {row[0]: row[1:] for row in per_type.table_rows}
    assert rows["Feb 26"] == [1, 1, 2]
    assert rows["Mar 26"] == [0, 1, 1]
    channels = _rows(response, "per-channel")
    assert channels["Feb 26"] == [1, 1, 2]  # e-mail, letter, total
    received = _rows(response, "received")
    assert received["Feb 26"] == [2] and received["Mar 26"] == [1]


def test_the_csv_carries_the_figures_and_no_formula(dpo_client, dpo, agent):
    agent.first_name, agent.last_name = "=HYPERLINK(1)", ""
    agent.save()
    with at("2026-03-01"):
        request = logged_request(dpo)
        workflow.assign(request, actor=dpo, assignee=agent)

    with at("2026-04-05"):
        response = dpo_client.get(reverse("workspace:dashboard_csv"))

    labelled = list(csv.reader(io.StringIO(response.content.decode())))
    assert labelled[0] == ["section", "key", "value", "label"]
    rows = [row[:3] for row in labelled]
    assert ["open_by_days_left", "overdue", "1"] in rows
    assert ["on_time_by_answer_month", "2026-04:late", "1"] in rows
    assert ["workload", "'=HYPERLINK(1):overdue", "1"] in rows
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)
    assert ["received_per_type", "2026-03:access", "1"] in rows


def test_the_csv_keeps_its_codes_and_adds_a_label_in_the_dpo_s_language(dpo_client, dpo):
    with at("2026-03-01"):
        logged_request(dpo)

    with at("2026-04-05"):
        response = dpo_client.get(reverse("workspace:dashboard_csv"), HTTP_ACCEPT_LANGUAGE="nl")

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["open_by_status", "new", "1", "Open verzoeken per status: Nieuw"] in rows
    assert [
        "on_time_by_answer_month",
        "2026-04:late",
        "1",
        "Tijdig beantwoord, per maand van het antwoord: april 2026 · te laat",
    ] in rows
