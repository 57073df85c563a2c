"""The same permission rules as the pages, for every endpoint: anonymous,
expired and revoked tokens, a user without a role, an auditor, an agent (on
their own request and on another's), and the DPO."""

from __future__ import annotations

import pytest

from requests_app import workflow
from tests.factories import make_request

ACTORS = ["anonymous", "expired", "revoked", "outsider", "auditor", "agent", "dpo"]


@pytest.fixture
def actors(dpo, agent, auditor, outsider, expired_token, revoked_token):
    return {
        "anonymous": None,
        "expired": expired_token,
        "revoked": revoked_token,
        "outsider": outsider,
        "auditor": auditor,
        "agent": agent,
        "dpo": dpo,
    }


def _refused(actor: str) -> int | None:
    """The answer every endpoint gives those who may not even read."""
    return {"anonymous": 401, "expired": 401, "revoked": 401, "outsider": 403}.get(actor)


READ_ENDPOINTS = [
    "/api/v1/me/",
    "/api/v1/requests/",
    "/api/v1/requests/{ref}/",
    "/api/v1/requests/{ref}/events/",
    "/api/v1/requests/{ref}/notes/",
    "/api/v1/requests/{ref}/tasks/",
    "/api/v1/requests/{ref}/sources/",
    "/api/v1/requests/{ref}/attachments/",
    "/api/v1/register/categories/",
    "/api/v1/register/recipients/",
    "/api/v1/register/activities/",
    "/api/v1/connectors/",
]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("endpoint", READ_ENDPOINTS)
def test_every_staff_role_reads_and_nobody_else(api, actors, new_request, actor, endpoint):
    response = api(actors[actor], "get", endpoint.format(ref=new_request.reference))
    assert response.status_code == (_refused(actor) or 200), response.content


@pytest.mark.parametrize("actor", ACTORS)
def test_the_records_are_read_as_the_copy_is(api, actors, new_request, actor):
    """permissions.can_read_copy: an agent not assigned to the request (here: nobody is) reads
    neither the data gathered for it nor its attachments; its refusal is recorded."""
    response = api(actors[actor], "get", f"/api/v1/requests/{new_request.reference}/records/")
    assert response.status_code == (_refused(actor) or (403 if actor == "agent" else 200)), response.content
    refused = new_request.events.filter(kind="action.refused", details__action="read_records")
    assert refused.exists() == (actor == "agent")


DPO_ENDPOINTS = [
    ("get", "/api/v1/webhooks/", None),
    ("get", "/api/v1/webhook-deliveries/", None),
    ("post", "/api/v1/webhooks/", {"url": "https://hooks.example.org/dsar", "events": ["*"]}),
    ("post", "/api/v1/register/categories/", {"code": "loyalty", "names": {"en": "Loyalty points"}}),
    ("post", "/api/v1/register/recipients/", {"code": "mailer", "name": "Mailer NV"}),
    ("post", "/api/v1/register/activities/", {"code": "newsletter", "legal_basis": "consent"}),
    ("post", "/api/v1/connectors/", {"code": "archive", "name": "Paper archive", "kind": "manual"}),
]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("method", "endpoint", "payload"), DPO_ENDPOINTS)
def test_only_a_dpo_manages_webhooks_the_register_and_connectors(api, actors, actor, method, endpoint, payload):
    response = api(actors[actor], method, endpoint, payload)
    expected = _refused(actor) or (403 if actor in ("auditor", "agent") else (201 if method == "post" else 200))
    if endpoint == "/api/v1/connectors/" and actor == "dpo":
        # A DPO's plain token reads connectors; changing them takes the
        # "connectors" scope (tests/requests_app/api/test_connector_changes.py).
        expected = 403
    assert response.status_code == expected, response.content


ACTIONS = [
    ("assign", {"assignee": "{me}"}),
    ("request-info", {"body": "Which account do you mean?"}),
    ("approve", {}),
    ("reject", {"reason": "identity_not_confirmed"}),
    ("extend", {"months": 1, "reason": "Many sources to search."}),
    ("close", {"reason": "Withdrawn by phone."}),
    ("release", {}),
    ("change-type", {"request_type": "erasure", "erasure_scope": "all", "reason": "They want it all deleted."}),
    ("notes", {"body": "Called the subject."}),
]


def _post_action(api, user_or_token, request, action, payload, username):
    data = {key: (value.format(me=username) if isinstance(value, str) else value) for key, value in payload.items()}
    return api(user_or_token, "post", f"/api/v1/requests/{request.reference}/{action}/", data)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("action", "payload"), ACTIONS)
def test_actions_on_an_unassigned_request_follow_the_roles(api, actors, new_request, actor, action, payload):
    user = actors[actor]
    response = _post_action(api, user, new_request, action, payload, getattr(user, "username", "x"))
    if _refused(actor):
        assert response.status_code == _refused(actor)
    elif actor == "auditor" or (actor == "agent" and action != "assign"):
        # Auditors change nothing; an agent only claims a request that is not theirs.
        assert response.status_code == 403, response.content
    else:
        # Allowed by role; "release" of a new request is refused by its status.
        assert response.status_code == (409 if action == "release" else 201 if action == "notes" else 200), (
            response.content
        )


@pytest.mark.parametrize(("action", "payload"), ACTIONS)
def test_an_agent_cannot_act_on_another_agents_request(api, dpo, agent, other_agent, action, payload):
    request = make_request()
    workflow.assign(request, actor=dpo, assignee=other_agent)
    response = _post_action(api, agent, request, action, payload, "agent")
    assert response.status_code == 403, response.content
    assert response.json()["detail"]


@pytest.mark.parametrize(("action", "payload"), [a for a in ACTIONS if a[0] not in ("release",)])
def test_an_agent_acts_on_their_own_request(api, dpo, agent, action, payload):
    request = make_request()
    workflow.assign(request, actor=dpo, assignee=agent)
    response = _post_action(api, agent, request, action, payload, "agent")
    assert response.status_code in (200, 201), response.content


def test_an_agent_never_releases_data(api, dpo, agent):
    request = make_request()
    workflow.assign(request, actor=dpo, assignee=agent)
    workflow.approve(request, actor=dpo)
    workflow.start_processing(request)
    workflow.processing_done(request)
    assert _post_action(api, agent, request, "release", {}, "agent").status_code == 403
    # The DPO may; here the files were never generated, so the page's own check refuses.
    response = _post_action(api, dpo, request, "release", {}, "dpo")
    assert response.status_code == 400
    assert "not ready" in response.json()["detail"]


def test_a_refused_action_is_recorded_in_the_audit_trail(api, auditor, new_request):
    _post_action(api, auditor, new_request, "approve", {}, "auditor")
    assert new_request.events.filter(kind="action.refused", actor=auditor).exists()


@pytest.mark.parametrize("actor", ACTORS)
def test_only_the_assignee_or_a_dpo_sees_task_completion(api, actors, new_request, actor):
    # An unknown task: refused identities never learn whether it exists.
    response = api(
        actors[actor], "post", f"/api/v1/requests/{new_request.reference}/tasks/999/complete/", {"findings": "x"}
    )
    assert response.status_code == (_refused(actor) or 404)
