"""Retention holds in the workspace: the DPO places and lifts them on the
request page; everyone sees them; the queue and the dashboard find them."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from requests_app import workflow
from requests_app.models import HoldReason, RequestEvent, RetentionHold
from tests.fixtures.workspace import logged_request

pytestmark = pytest.mark.django_db

EXPLANATION = "GBA file DOS-2027-01234, complaint about an incomplete copy."


@pytest.fixture
def closed(dpo):
    request = logged_request(dpo, full_name="Lotte Peeters")
    return workflow.close(request, actor=dpo, reason="Answered by phone.")


def page_of(client, request) -> str:
    response = client.get(reverse("workspace:request", args=[request.reference]))
    assert response.status_code == 200
    return response.content.decode()


def place(client, request, **data):
    data = {"reason": HoldReason.AUTHORITY_COMPLAINT, "explanation": EXPLANATION, **data}
    return client.post(reverse("workspace:place_hold", args=[request.reference]), data, follow=True)


def lift(client, request, **data):
    return client.post(reverse("workspace:lift_hold", args=[request.reference]), data, follow=True)


def test_the_dpo_places_a_hold_and_the_page_says_who_when_and_why(dpo_client, closed):
    page = page_of(dpo_client, closed)
    assert "Place a retention hold" in page and "Complaint with the supervisory authority" in page

    response = place(dpo_client, closed)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Retention hold placed: neither the purge nor the deletion of the records touches this request." in page
    assert 'id="retention-hold"' in page
    assert "Placed by" in page and ">dpo<" in page
    hold = RetentionHold.objects.get(request=closed)
    assert formats.date_format(timezone.localtime(hold.placed_at), "DATETIME_FORMAT") in page
    assert "Complaint with the supervisory authority" in page and EXPLANATION in page
    # The timeline records it; the place form gives way to the lift form.
    assert "Retention hold placed" in page
    assert "Place a retention hold" not in page and "Lift the retention hold" in page
    assert hold.placed_by.username == "dpo" and hold.lifted_at is None


def test_the_dpo_lifts_the_hold(dpo_client, dpo, closed):
    workflow.place_retention_hold(closed, actor=dpo, reason=HoldReason.OTHER, explanation=EXPLANATION)

    response = lift(dpo_client, closed, explanation="The authority closed the case.")

    page = response.content.decode()
    assert "Retention hold lifted: the retention periods apply again" in page
    assert 'id="retention-hold"' not in page and "Place a retention hold" in page
    assert "Retention hold lifted" in page and "The authority closed the case." in page
    assert RetentionHold.objects.get(request=closed).lifted_by == dpo


def test_an_explanation_is_required_and_what_was_chosen_is_kept(dpo_client, closed):
    response = place(dpo_client, closed, reason=HoldReason.COURT_PROCEEDINGS, explanation="")

    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page
    assert 'value="court_proceedings" selected' in page
    assert not RetentionHold.objects.exists()


def test_placing_a_second_hold_is_refused_with_a_message(dpo_client, dpo, closed):
    workflow.place_retention_hold(closed, actor=dpo, reason=HoldReason.OTHER, explanation=EXPLANATION)

    response = place(dpo_client, closed)

    assert response.status_code == 400
    assert "This request is already under a retention hold." in response.content.decode()
    assert RetentionHold.objects.filter(request=closed).count() == 1


@pytest.mark.parametrize("client_name", ["agent_client", "auditor_client"])
def test_agents_and_auditors_see_the_hold_but_cannot_change_it(client_name, request, dpo, agent, closed):
    client = request.getfixturevalue(client_name)
    username = "agent" if client_name == "agent_client" else "auditor"
    assert "Place a retention hold" not in page_of(client, closed)

    response = place(client, closed)

    assert "Your role does not allow this action: Place a retention hold." in response.content.decode()
    assert not RetentionHold.objects.exists()

    workflow.place_retention_hold(closed, actor=dpo, reason=HoldReason.COURT_PROCEEDINGS, explanation=EXPLANATION)
    page = page_of(client, closed)
    assert 'id="retention-hold"' in page and "Court proceedings" in page and EXPLANATION in page
    assert "Lift the retention hold" not in page

    response = lift(client, closed)

    assert "Your role does not allow this action: Lift the retention hold." in response.content.decode()
    assert RetentionHold.objects.get(request=closed).lifted_at is None
    refusals = RequestEvent.objects.filter(request=closed, kind="action.refused").order_by("seq")
    assert [(e.actor_label, e.details["action"]) for e in refusals] == [
        (username, "place_hold"),
        (username, "lift_hold"),
    ]


def test_an_agent_assigned_to_an_open_request_cannot_place_a_hold(agent_client, dpo, agent):
    request = logged_request(dpo)
    workflow.assign(request, actor=dpo, assignee=agent)

    response = place(agent_client, request)

    assert "Your role does not allow this action" in response.content.decode()
    assert not RetentionHold.objects.exists()


def test_someone_without_a_role_is_turned_away(outsider_client, closed):
    assert outsider_client.post(reverse("workspace:place_hold", args=[closed.reference])).status_code == 403
    assert not RequestEvent.objects.filter(request=closed, kind="action.refused").exists()


def test_the_queue_finds_held_requests_and_marks_them(dpo_client, dpo, closed):
    other = logged_request(dpo, full_name="Jan Janssens")
    workflow.close(other, actor=dpo, reason="Duplicate.")
    workflow.place_retention_hold(closed, actor=dpo, reason=HoldReason.OTHER, explanation=EXPLANATION)

    response = dpo_client.get(reverse("workspace:queue"), {"status": "all", "held": "1"})

    assert [row["request"].reference for row in response.context["rows"]] == [closed.reference]
    page = response.content.decode()
    assert 'name="held" value="1" checked' in page and 'class="flag">retention hold<' in page
    everything = dpo_client.get(reverse("workspace:queue"), {"status": "all"})
    assert len(everything.context["rows"]) == 2


def test_ticking_the_hold_filter_on_the_open_tab_searches_every_status(dpo_client, dpo, closed):
    workflow.place_retention_hold(closed, actor=dpo, reason=HoldReason.OTHER, explanation=EXPLANATION)
    # The filter form of the default tab, as the browser submits it.
    default_tab = dpo_client.get(reverse("workspace:queue")).content.decode()
    assert '<input type="hidden" name="status" value="">' in default_tab

    held = dpo_client.get(reverse("workspace:queue"), {"status": "", "held": "1"})
    open_and_held = dpo_client.get(reverse("workspace:queue"), {"status": "open", "held": "1"})

    assert [row["request"].reference for row in held.context["rows"]] == [closed.reference]
    assert held.context["filters"].status == "all"
    assert open_and_held.context["rows"] == []


def test_the_dashboard_counts_held_requests_and_links_to_them(dpo_client, dpo, closed):
    workflow.place_retention_hold(closed, actor=dpo, reason=HoldReason.OTHER, explanation=EXPLANATION)

    response = dpo_client.get(reverse("workspace:dashboard"))

    assert response.context["board"].held == 1
    assert "?status=all&amp;held=1" in response.content.decode()
    rows = list(csv.reader(io.StringIO(dpo_client.get(reverse("workspace:dashboard_csv")).content.decode())))
    assert ["retention", "held", "1"] in [row[:3] for row in rows]


def test_the_page_says_it_in_dutch(dpo, closed):
    from django.test import Client

    workflow.place_retention_hold(closed, actor=dpo, reason=HoldReason.AUTHORITY_COMPLAINT, explanation=EXPLANATION)
    client = Client(headers={"accept-language": "nl"})
    client.force_login(dpo)

    page = page_of(client, closed)

    assert "Verwijderingsstop" in page and "Klacht bij de toezichthoudende autoriteit" in page
