"""Bulk actions of the queue: each ticked request goes through the workflow
function of the single action, with its permission check, validation, audit
event and e-mail; the page after says what was done and what was refused."""

from __future__ import annotations

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from requests_app import workflow
from requests_app.models import RequestEvent, Status
from tests.fixtures.workspace import logged_request

pytestmark = pytest.mark.django_db
BULK = reverse("workspace:bulk")


def results(response) -> dict[str, tuple[bool, str]]:
    return {r["reference"]: (r["done"], r["message"]) for r in response.context["results"]}


@pytest.fixture
def two(dpo):
    return [logged_request(dpo, days_ago=3), logged_request(dpo, days_ago=2)]


def test_a_dpo_assigns_several_requests_at_once_each_audited(dpo_client, agent, two):
    response = dpo_client.post(
        BULK, {"action": "assign", "assignee": agent.pk, "reference": [r.reference for r in two]}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Assign: 2 requests done, 0 refused" in page
    for request in two:
        request.refresh_from_db()
        assert request.assignee == agent
        assert RequestEvent.objects.filter(request=request, kind="request.assigned").count() == 1


def test_an_extension_for_several_requests_tells_each_subject_the_one_reason(
    dpo_client, two, django_capture_on_commit_callbacks
):
    reason = "Many requests arrived at once after the data breach."
    with django_capture_on_commit_callbacks(execute=True):
        response = dpo_client.post(
            BULK, {"action": "extend", "months": "2", "reason": reason, "reference": [r.reference for r in two]}
        )
    assert all(done for done, _message in results(response).values())
    for request in two:
        request.refresh_from_db()
        assert request.extended_at is not None and request.extension_reason == reason
        assert RequestEvent.objects.filter(request=request, kind="request.extended").count() == 1
    told = [m for m in mail.outbox if reason in m.body]
    assert sorted(m.to[0] for m in told) == sorted(r.email for r in two)


def test_the_workflow_refuses_what_it_would_refuse_one_by_one_and_the_page_says_why(dpo_client, dpo):
    fine = logged_request(dpo, days_ago=3)
    already = logged_request(dpo, days_ago=3)
    workflow.extend(already, actor=dpo, months=1, reason="Complex request.")
    response = dpo_client.post(
        BULK,
        {"action": "extend", "months": "1", "reason": "Backlog.", "reference": [fine.reference, already.reference]},
    )
    outcome = results(response)
    assert outcome[fine.reference][0] is True
    assert outcome[already.reference] == (
        False,
        "This request was already extended; the GDPR allows one extension.",
    )
    page = response.content.decode()
    assert "Extend the legal deadline: 1 request done, 1 refused" in page
    assert "This request was already extended" in page


def test_an_agent_is_refused_requests_that_are_not_theirs_and_the_refusal_is_recorded(
    agent_client, agent, other_agent, dpo
):
    mine = logged_request(dpo, days_ago=1)
    workflow.assign(mine, actor=dpo, assignee=agent)
    theirs = logged_request(dpo, days_ago=1)
    workflow.assign(theirs, actor=dpo, assignee=other_agent)
    response = agent_client.post(
        BULK, {"action": "close", "reason": "Withdrawn by phone.", "reference": [mine.reference, theirs.reference]}
    )
    outcome = results(response)
    assert outcome[mine.reference][0] is True
    assert outcome[theirs.reference][0] is False
    theirs.refresh_from_db()
    assert theirs.status == Status.NEW
    assert RequestEvent.objects.filter(request=theirs, kind="action.refused").exists()


def test_an_agent_can_only_assign_to_themselves(agent_client, agent, other_agent, two):
    response = agent_client.post(BULK, {"action": "assign", "assignee": other_agent.pk, "reference": two[0].reference})
    assert response.status_code == 400
    assert "You can only assign requests to yourself." in response.content.decode()
    response = agent_client.post(BULK, {"action": "assign", "assignee": agent.pk, "reference": two[0].reference})
    assert results(response) == {two[0].reference: (True, "Assigned.")}


def test_a_bad_form_changes_nothing_and_keeps_what_was_ticked(dpo_client, two):
    response = dpo_client.post(
        BULK, {"action": "extend", "months": "1", "reason": " ", "reference": [r.reference for r in two]}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the reasons for the extension: the subjects will receive them." in page
    for request in two:
        assert f'name="reference" value="{request.reference}" checked' in page
        request.refresh_from_db()
        assert request.extended_at is None
    nothing = dpo_client.post(BULK, {"action": "close"})
    assert "Tick at least one request in the queue." in nothing.content.decode()


def test_an_unknown_reference_is_reported_not_fatal(dpo_client, two):
    response = dpo_client.post(
        BULK, {"action": "close", "reason": "Duplicate.", "reference": ["DSAR-2000-999999", two[0].reference]}
    )
    outcome = results(response)
    assert outcome["DSAR-2000-999999"] == (False, "No request has this reference.")
    assert outcome[two[0].reference][0] is True


def test_auditors_have_no_bulk_actions(auditor_client, two):
    assert auditor_client.post(BULK, {"action": "close", "reference": two[0].reference}).status_code == 403
    assert 'form="bulk"' not in auditor_client.get(reverse("workspace:queue")).content.decode()


def test_an_extension_after_the_original_deadline_is_refused_per_request(dpo_client, dpo):
    with time_machine.travel("2026-01-05 09:00 +0000"):
        request = logged_request(dpo)
    with time_machine.travel("2026-03-20 09:00 +0000"):
        response = dpo_client.post(
            BULK, {"action": "extend", "months": "1", "reason": "Late.", "reference": request.reference}
        )
    assert results(response)[request.reference] == (
        False,
        "The original deadline has passed: an extension must be announced before it.",
    )


def test_an_agent_cannot_give_a_request_to_a_colleague_on_its_page_either(agent_client, other_agent, new_request):
    url = reverse("workspace:action", args=[new_request.reference, "assign"])
    response = agent_client.post(url, {"assignee": other_agent.pk}, follow=True)
    assert "Only a DPO assigns a request to someone else." in response.content.decode()
    new_request.refresh_from_db()
    assert new_request.assignee is None
    assert RequestEvent.objects.filter(request=new_request, kind="action.refused").exists()
