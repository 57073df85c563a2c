"""Who sees what and who may do what in the workspace."""

from __future__ import annotations

import pytest
from django.urls import reverse

from requests_app import workflow
from requests_app.models import RequestEvent, RequestType, Status
from tests.fixtures.workspace import logged_request

pytestmark = pytest.mark.django_db

ACTIONS = ["assign", "claim", "change_type", "request_info", "approve", "reject", "extend", "add_note", "close"]


def read_urls(reference):
    return [
        reverse("workspace:queue"),
        reverse("workspace:dashboard"),
        reverse("workspace:dashboard_csv"),
        reverse("workspace:request", args=[reference]),
    ]


def write_urls(reference):
    return [reverse("workspace:action", args=[reference, name]) for name in ACTIONS] + [
        reverse("workspace:reveal_national_number", args=[reference]),
        reverse("workspace:log_request"),
    ]


def test_it_sends_a_signed_out_visitor_to_the_sign_in_page_from_every_view(client, new_request):
    responses = [(url, client.get(url)) for url in read_urls(new_request.reference)]
    responses += [(url, client.post(url)) for url in write_urls(new_request.reference)]
    for url, response in responses:
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("workspace:login")), url
    assert new_request.full_name not in client.get(reverse("workspace:queue"), follow=True).content.decode()


def test_it_refuses_a_signed_in_user_without_a_role(outsider_client, new_request):
    for url in read_urls(new_request.reference):
        assert outsider_client.get(url).status_code == 403, url
    for url in write_urls(new_request.reference):
        assert outsider_client.post(url).status_code == 403, url


def test_it_lets_an_auditor_read_everything(auditor_client, new_request):
    for url in read_urls(new_request.reference):
        assert auditor_client.get(url).status_code == 200, url


def test_it_lets_an_auditor_change_nothing(auditor_client, new_request):
    before = new_request.event_count
    for url in write_urls(new_request.reference):
        response = auditor_client.post(url, {"body": "x", "reason": "x", "months": "1", "request_type": "erasure"})
        assert response.status_code == 403, url
    new_request.refresh_from_db()
    assert new_request.status == Status.NEW
    assert new_request.event_count == before


def test_it_shows_an_auditor_no_action_buttons(auditor_client, new_request):
    page = auditor_client.get(reverse("workspace:request", args=[new_request.reference])).content.decode()
    assert "No action is open to you on this request." in page
    assert ">Approve<" not in page


def test_it_refuses_an_agent_approving_an_erasure_and_records_the_attempt(agent_client, erasure_request):
    url = reverse("workspace:action", args=[erasure_request.reference, "approve"])
    response = agent_client.post(url, follow=True)
    assert "Your role does not allow this action" in response.content.decode()
    erasure_request.refresh_from_db()
    assert erasure_request.status == Status.NEW
    refusal = RequestEvent.objects.filter(request=erasure_request, kind="action.refused").get()
    assert refusal.details == {"action": "approve"}


def test_it_hides_the_approve_button_from_an_agent_on_an_erasure(agent_client, erasure_request):
    page = agent_client.get(reverse("workspace:request", args=[erasure_request.reference])).content.decode()
    assert ">Approve<" not in page
    assert "Ask the subject for information" in page


def test_it_lets_an_agent_approve_an_access_request_assigned_to_them(agent_client, dpo, agent):
    request = workflow.assign(logged_request(dpo), actor=dpo, assignee=agent)
    agent_client.post(reverse("workspace:action", args=[request.reference, "approve"]))
    request.refresh_from_db()
    assert request.status == Status.APPROVED


def test_it_refuses_an_agent_working_on_a_colleagues_request(agent_client, dpo, other_agent):
    request = workflow.assign(logged_request(dpo), actor=dpo, assignee=other_agent)
    response = agent_client.post(reverse("workspace:action", args=[request.reference, "add_note"]), {"body": "mine"})
    assert response.status_code == 400
    assert "Your role does not allow this action" in response.content.decode()
    assert not request.notes.exists()
    assert RequestEvent.objects.filter(request=request, kind="action.refused").exists()


def test_it_lets_an_agent_take_an_unassigned_request(agent_client, agent, new_request):
    agent_client.post(reverse("workspace:action", args=[new_request.reference, "claim"]))
    new_request.refresh_from_db()
    assert new_request.assignee == agent


def test_it_reveals_the_national_number_only_to_a_dpo_and_records_it(dpo_client, agent_client, dpo, agent):
    request = workflow.assign(
        logged_request(dpo, national_number="85073003328", request_type=RequestType.ACCESS), actor=dpo, assignee=agent
    )
    page = dpo_client.get(reverse("workspace:request", args=[request.reference])).content.decode()
    assert "85073003328" not in page
    assert "**.**.**-***.28" in page

    url = reverse("workspace:reveal_national_number", args=[request.reference])
    agent_response = agent_client.post(url, {"reason": "curious"}, follow=True)
    assert "85073003328" not in agent_response.content.decode()

    response = dpo_client.post(url, {"reason": "Identity check with the registry"})
    assert "85073003328" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    reveal = RequestEvent.objects.get(request=request, kind="national_number.revealed")
    assert reveal.actor == dpo
    assert RequestEvent.objects.filter(request=request, kind="action.refused", actor=agent).exists()


def test_it_answers_404_for_an_unknown_reference(dpo_client):
    assert dpo_client.get(reverse("workspace:request", args=["DSAR-2026-99999"])).status_code == 404


def test_it_offers_logging_a_request_to_staff_who_may_and_not_to_an_auditor(dpo_client, auditor_client):
    log_url = reverse("workspace:log_request")
    assert log_url in dpo_client.get(reverse("workspace:dashboard")).content.decode()
    assert log_url not in auditor_client.get(reverse("workspace:dashboard")).content.decode()


@pytest.mark.parametrize(
    ("who", "reads"),
    [("dpo", True), ("agent", True), ("other_agent", False), ("auditor", True), ("outsider", False)],
)
def test_it_reads_the_copy_and_the_attachments_by_one_rule(request, dpo, agent, new_request, who, reads):
    """Issue 16 item 8: the subject's data gathered for a request and the files they sent
    are read by the same people (permissions.can_read_copy gives the reason)."""
    from requests_app import permissions

    workflow.assign(new_request, actor=dpo, assignee=agent)
    user = request.getfixturevalue(who)
    assert permissions.can_read_copy(user, new_request) is reads
    assert permissions.can_read_attachments(user, new_request) is reads
