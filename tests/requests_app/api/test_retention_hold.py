"""Retention holds through the API: a DPO places and lifts them, everyone with
a role reads them on the request, and the schema documents both actions."""

from __future__ import annotations

import pytest

from requests_app import workflow
from requests_app.models import HoldReason, RequestEvent, RetentionHold
from tests.factories import make_request

pytestmark = pytest.mark.django_db

BASE = "/api/v1/requests/"
EXPLANATION = "Court of first instance Brussels, roll number 27/1234/A."


@pytest.fixture
def closed(dpo):
    request = make_request()
    return workflow.close(request, actor=dpo, reason="Answered by phone.")


def place_url(request) -> str:
    return f"{BASE}{request.reference}/retention-hold/"


def lift_url(request) -> str:
    return f"{BASE}{request.reference}/retention-hold/lift/"


def test_a_dpo_places_a_hold_and_reads_it_on_the_request(api, dpo, closed):
    before = api(dpo, "get", f"{BASE}{closed.reference}/").json()
    assert before["retention_hold"] is None
    assert "retention-hold" in before["allowed_actions"] and "retention-hold/lift" not in before["allowed_actions"]

    response = api(dpo, "post", place_url(closed), {"reason": "court_proceedings", "explanation": EXPLANATION})

    assert response.status_code == 200
    body = response.json()
    hold = body["retention_hold"]
    assert hold["reason"] == "court_proceedings" and hold["placed_by"] == "dpo"
    assert hold["explanation"].endswith(EXPLANATION) and hold["placed_at"]
    assert "retention-hold/lift" in body["allowed_actions"] and "retention-hold" not in body["allowed_actions"]
    event = closed.events.get(kind="retention_hold.placed")
    assert event.details["ground"] == "court_proceedings" and EXPLANATION not in str(event.details)


def test_a_dpo_lifts_the_hold(api, dpo, closed):
    workflow.place_retention_hold(closed, actor=dpo, reason=HoldReason.OTHER, explanation=EXPLANATION)

    response = api(dpo, "post", lift_url(closed), {"explanation": "Judgment final."})

    assert response.status_code == 200 and response.json()["retention_hold"] is None
    assert RetentionHold.objects.get(request=closed).lifted_at is not None
    assert closed.events.filter(kind="retention_hold.lifted").exists()
    # The explanation is optional.
    workflow.place_retention_hold(closed, actor=dpo, reason=HoldReason.OTHER, explanation=EXPLANATION)
    assert api(dpo, "post", lift_url(closed), {}).status_code == 200


def test_the_state_decides_with_a_conflict(api, dpo, closed):
    assert api(dpo, "post", lift_url(closed), {}).status_code == 409
    api(dpo, "post", place_url(closed), {"reason": "other", "explanation": EXPLANATION})

    again = api(dpo, "post", place_url(closed), {"reason": "other", "explanation": EXPLANATION})

    assert again.status_code == 409
    assert again.json()["detail"] == "This request is already under a retention hold."


def test_invalid_input_is_refused_field_by_field(api, dpo, closed):
    response = api(dpo, "post", place_url(closed), {"reason": "because", "explanation": ""})

    assert response.status_code == 400
    assert set(response.json()) == {"reason", "explanation"}
    assert not RetentionHold.objects.exists()


@pytest.mark.parametrize("actor_name", ["agent", "auditor"])
def test_only_a_dpo_may_and_a_refusal_is_recorded(actor_name, request, api, dpo, closed):
    actor = request.getfixturevalue(actor_name)

    refused = api(actor, "post", place_url(closed), {"reason": "other", "explanation": EXPLANATION})
    workflow.place_retention_hold(closed, actor=dpo, reason=HoldReason.OTHER, explanation=EXPLANATION)
    refused_lift = api(actor, "post", lift_url(closed), {})

    assert (refused.status_code, refused_lift.status_code) == (403, 403)
    assert "Place a retention hold" in refused.json()["detail"]
    refusals = RequestEvent.objects.filter(request=closed, kind="action.refused").order_by("seq")
    assert [(e.actor_label, e.details["action"]) for e in refusals] == [
        (actor_name, "place_hold"),
        (actor_name, "lift_hold"),
    ]
    # They read the hold all the same.
    detail = api(actor, "get", f"{BASE}{closed.reference}/").json()
    assert detail["retention_hold"]["reason"] == "other"
    assert not {"retention-hold", "retention-hold/lift"} & set(detail["allowed_actions"])


def test_the_list_filters_held_requests(api, dpo, closed):
    other = make_request()
    workflow.place_retention_hold(closed, actor=dpo, reason=HoldReason.OTHER, explanation=EXPLANATION)

    held = api(dpo, "get", BASE, {"held": "true"}).json()["results"]
    not_held = api(dpo, "get", BASE, {"held": "false"}).json()["results"]

    assert [r["reference"] for r in held] == [closed.reference]
    assert other.reference in {r["reference"] for r in not_held} and closed.reference not in {
        r["reference"] for r in not_held
    }


def test_the_schema_documents_both_actions_and_the_hold(client, db):
    schema = client.get("/api/v1/schema/?format=json").json()

    place = schema["paths"]["/api/v1/requests/{reference}/retention-hold/"]["post"]
    lift = schema["paths"]["/api/v1/requests/{reference}/retention-hold/lift/"]["post"]
    assert place["summary"] == "Place a retention hold (DPO)" and lift["summary"] == "Lift the retention hold (DPO)"
    assert {"200", "400", "403", "409"} <= set(place["responses"])
    reasons = schema["components"]["schemas"]["RetentionHoldReasonEnum"]["enum"]
    assert reasons == ["authority_complaint", "court_proceedings", "other"]
    detail = schema["components"]["schemas"]["RequestDetail"]["properties"]
    assert "retention_hold" in detail
