"""The queue's filters are one FilterSet (``workspace.selectors.QueueFilterSet``):
the workspace's queue page and the API's request list give the same requests
for the same filter, and each takes an assignee by id or by user name."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from requests_app import workflow
from requests_app.accounts import roles
from requests_app.api.serializers.requests import RequestFilterSerializer
from requests_app.models import Channel, HoldReason, RequestType
from requests_app.workspace.selectors import QueueFilterSet
from tests.conftest import _user_in
from tests.factories import make_request

pytestmark = pytest.mark.django_db
BASE = "/api/v1/requests/"
QUEUE = reverse("workspace:queue")


@pytest.fixture
def queue(dpo, agent):
    """Late and unassigned; assigned to the agent; by letter; closed; held; unverified."""
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) - dt.timedelta(days=40)):
        late = make_request(request_type=RequestType.ERASURE)
    mine = make_request()
    workflow.assign(mine, actor=dpo, assignee=agent)
    letter = make_request(full_name="Letter Writer", channel=Channel.LETTER)
    closed = make_request()
    workflow.close(closed, actor=dpo, reason="Withdrawn by phone.")
    held = make_request()
    workflow.close(held, actor=dpo, reason="Settled.")
    workflow.place_retention_hold(held, actor=dpo, reason=HoldReason.COURT_PROCEEDINGS, explanation="Case 12/345.")
    unverified = make_request(verified=False)
    return {
        "late": late.reference,
        "mine": mine.reference,
        "letter": letter.reference,
        "closed": closed.reference,
        "held": held.reference,
        "unverified": unverified.reference,
    }


def page_references(user, params: dict) -> set[str]:
    client = Client()
    client.force_login(user)
    response = client.get(QUEUE, {**params, "per_page": 200})
    assert response.status_code == 200
    return {row["request"].reference for row in response.context["rows"]}


def api_references(api, user, params: dict) -> set[str]:
    response = api(user, "get", BASE, {**params, "page_size": 200})
    assert response.status_code == 200, response.content
    return {row["reference"] for row in response.json()["results"]}


FILTERS = [
    ({"status": "all"}, {"late", "mine", "letter", "closed", "held", "unverified"}),
    ({"status": "open"}, {"late", "mine", "letter"}),  # an unverified request is not open yet
    ({"status": "closed"}, {"closed", "held"}),
    ({"status": "all", "type": "erasure"}, {"late"}),
    ({"status": "all", "request_type": "erasure"}, {"late"}),
    ({"status": "all", "channel": "letter"}, {"letter"}),
    ({"status": "all", "assignee": "agent"}, {"mine"}),
    ({"status": "all", "assignee": "AGENT_ID"}, {"mine"}),
    ({"status": "open", "assignee": "none"}, {"late", "letter"}),
    ({"status": "unverified"}, {"unverified"}),
    ({"status": "all", "assignee": "me"}, {"mine"}),
    ({"status": "all", "overdue": "1"}, {"late"}),
    ({"status": "all", "overdue": "true"}, {"late"}),
    ({"status": "all", "held": "1"}, {"held"}),
    ({"status": "all", "due_within": "0"}, {"late"}),
    ({"status": "all", "q": "letter writer"}, {"letter"}),
]


@pytest.mark.parametrize(("params", "expected"), FILTERS, ids=[str(params) for params, _ in FILTERS])
def test_the_page_and_the_api_give_the_same_requests_for_the_same_filter(api, agent, queue, params, expected):
    params = {key: str(agent.pk) if value == "AGENT_ID" else value for key, value in params.items()}
    wanted = {queue[name] for name in expected}
    assert page_references(agent, params) == wanted
    assert api_references(api, agent, params) == wanted


def test_a_number_finds_the_user_of_that_id_and_the_user_of_that_name(api, dpo, agent, groups, queue):
    # A user whose name is another user's id: "assignee=<id>" keeps finding the
    # id's requests (the page's links) and also this user's (an API client's).
    named = _user_in(roles.AGENT, str(agent.pk), groups)
    theirs = make_request()
    workflow.assign(theirs, actor=dpo, assignee=named)
    wanted = {queue["mine"], theirs.reference}
    assert page_references(dpo, {"status": "all", "assignee": str(agent.pk)}) == wanted
    assert api_references(api, dpo, {"status": "all", "assignee": str(agent.pk)}) == wanted


def test_a_value_that_cannot_be_a_filter_is_dropped_by_the_page_and_refused_by_the_api(api, agent, queue):
    bad = {"status": "all", "assignee": "'; drop", "channel": "pigeon", "held": "perhaps"}
    assert len(page_references(agent, bad)) == len(queue)
    response = api(agent, "get", BASE, bad)
    assert response.status_code == 400
    assert set(response.json()) == {"assignee", "channel", "held"}
    assert response.json()["channel"] == ['"pigeon" is not a valid choice.']


def test_the_schema_documents_every_filter_the_filterset_takes():
    assert set(RequestFilterSerializer().fields) == set(QueueFilterSet.base_filters)
