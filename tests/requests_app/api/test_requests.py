"""Reading requests and acting on them through the API, as the pages do."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dsar.models import Connector, Job, SourceRun
from requests_app import workflow
from requests_app.models import Status
from tests.factories import make_request

BASE = "/api/v1/requests/"


def test_it_lists_requests_by_deadline_with_days_left(api, agent):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)):
        first = make_request()
    with time_machine.travel(dt.datetime(2026, 3, 9, 10, tzinfo=dt.UTC)):
        second = make_request()
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, tzinfo=dt.UTC)):
        body = api(agent, "get", BASE).json()
    assert body["count"] == 2
    assert [r["reference"] for r in body["results"]] == [first.reference, second.reference]
    assert body["results"][0]["due_date"] == "2026-04-02"
    assert body["results"][0]["days_left"] == 13
    assert body["results"][0]["overdue"] is False


def test_it_filters_by_status_type_assignee_and_overdue(api, dpo, agent):
    with time_machine.travel(dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)):
        late = make_request(request_type="erasure")
    mine = make_request()
    workflow.assign(mine, actor=dpo, assignee=agent)
    unverified = make_request(verified=False)

    def refs(query):
        response = api(agent, "get", BASE + query)
        assert response.status_code == 200, response.content
        return {r["reference"] for r in response.json()["results"]}

    assert refs("?status=unverified") == {unverified.reference}
    assert refs("?request_type=erasure") == {late.reference}
    assert refs("?assignee=me") == {mine.reference}
    assert refs("?assignee=agent") == {mine.reference}
    assert refs("?assignee=none") == {late.reference, unverified.reference}
    assert refs("?overdue=true") == {late.reference}
    assert late.reference not in refs("?overdue=false")


def test_a_bad_filter_gets_a_message_for_that_field(api, agent):
    response = api(agent, "get", BASE + "?status=lost&overdue=maybe")
    assert response.status_code == 400
    assert set(response.json()) == {"status", "overdue"}
    assert "not a valid choice" in response.json()["status"][0]


def test_the_list_is_paginated(api, agent):
    for _ in range(3):
        make_request()
    body = api(agent, "get", BASE + "?page_size=2").json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    assert len(api(agent, "get", body["next"]).json()["results"]) == 1


def test_the_list_takes_the_same_number_of_queries_for_many_requests(api, dpo, agent, make_token):
    clear = make_token(agent)
    make_request()
    api(clear, "get", BASE)
    with CaptureQueriesContext(connection) as few:
        api(clear, "get", BASE)
    for _ in range(15):
        workflow.assign(make_request(), actor=dpo, assignee=agent)
    with CaptureQueriesContext(connection) as many:
        assert len(api(clear, "get", BASE).json()["results"]) == 16
    # token, roles, count, page (with assignees joined)
    assert len(many) == len(few) <= 6


def test_it_reads_one_request_with_its_deadline_and_progress_per_source(api, agent, new_request):
    crm = Connector.objects.create(code="crm", name="CRM", kind="sql")
    archive = Connector.objects.create(code="archive", name="Paper archive", kind="manual")
    job = Job.objects.create(external_ref=new_request.reference, operation="access", identity="{}")
    SourceRun.objects.create(job=job, connector=crm, status="done", record_count=12)
    SourceRun.objects.create(job=job, connector=archive, status="waiting")
    body = api(agent, "get", f"{BASE}{new_request.reference}/").json()
    assert body["status"] == "new"
    assert body["due_date"] == new_request.due_date.isoformat()
    assert body["days_left"] == new_request.days_left
    assert body["allowed_actions"] == ["assign"]
    sources = {s["connector"]: s for s in body["jobs"][0]["sources"]}
    assert sources["crm"]["status"] == "done" and sources["crm"]["record_count"] == 12
    assert sources["archive"]["status"] == "waiting"


def test_reading_a_request_takes_a_bounded_number_of_queries(api, agent, new_request, make_token):
    clear = make_token(agent)
    connectors = [Connector.objects.create(code=f"c{i}", name=f"Source {i}", kind="sql") for i in range(8)]
    job = Job.objects.create(external_ref=new_request.reference, operation="access", identity="{}")
    for connector in connectors:
        SourceRun.objects.create(job=job, connector=connector)
    api(clear, "get", f"{BASE}{new_request.reference}/")
    with CaptureQueriesContext(connection) as queries:
        api(clear, "get", f"{BASE}{new_request.reference}/")
    # token, roles, request, jobs, runs with connectors, the representative (issue 18)
    assert len(queries) <= 8


def test_an_unknown_reference_is_not_found(api, agent):
    response = api(agent, "get", f"{BASE}DSAR-2026-99999/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_it_lists_the_events_of_a_request(api, auditor, new_request):
    body = api(auditor, "get", f"{BASE}{new_request.reference}/events/").json()
    assert [e["kind"] for e in body["results"]] == ["request.created", "request.verify"]
    assert body["results"][1]["status_after"] == "new"
    assert [e["label"] for e in body["results"]] == ["Request received", "E-mail address confirmed"]


def test_event_labels_follow_the_language_asked_for(api, auditor, new_request, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.cancel(new_request)
    body = api(auditor, "get", f"{BASE}{new_request.reference}/events/", HTTP_ACCEPT_LANGUAGE="de").json()
    last = body["results"][-1]
    assert last["kind"] == "request.cancel" and last["label"] == "Storniert"


def test_assign_then_approve_moves_the_request(api, dpo, agent, new_request):
    response = api(agent, "post", f"{BASE}{new_request.reference}/assign/", {"assignee": "agent"})
    assert response.json()["assignee"] == "agent"
    response = api(agent, "post", f"{BASE}{new_request.reference}/approve/", {})
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    new_request.refresh_from_db()
    assert new_request.status == Status.APPROVED
    assert new_request.events.filter(kind="request.approve", actor=agent).exists()


def test_assigning_to_someone_without_a_role_is_refused(api, dpo, outsider, new_request):
    response = api(dpo, "post", f"{BASE}{new_request.reference}/assign/", {"assignee": "outsider"})
    assert response.status_code == 400
    assert "DPO or a privacy agent" in response.json()["detail"]


def test_assigning_to_an_unknown_user_names_the_field(api, dpo, new_request):
    response = api(dpo, "post", f"{BASE}{new_request.reference}/assign/", {"assignee": "ghost"})
    assert response.status_code == 400
    assert list(response.json()) == ["assignee"]


def test_request_info_pauses_and_writes_to_the_subject(api, dpo, new_request):
    response = api(dpo, "post", f"{BASE}{new_request.reference}/request-info/", {"body": "Which account?"})
    assert response.json()["status"] == "awaiting_subject"
    assert new_request.messages.get().body == "Which account?"


def test_reject_needs_a_reason_and_explains_excess(api, dpo, new_request):
    url = f"{BASE}{new_request.reference}/reject/"
    response = api(dpo, "post", url, {})
    assert response.status_code == 400 and "reason" in response.json()
    response = api(dpo, "post", url, {"reason": "excessive"})
    assert response.status_code == 400
    assert "manifestly unfounded or excessive" in response.json()["detail"]
    response = api(dpo, "post", url, {"reason": "excessive", "details": "Fifth identical request this month."})
    assert response.json()["status"] == "rejected"
    assert response.json()["rejection_reason"] == "excessive"


def test_extend_moves_the_deadline_once(api, dpo, new_request):
    url = f"{BASE}{new_request.reference}/extend/"
    response = api(dpo, "post", url, {"months": 2, "reason": "Many sources."})
    assert response.status_code == 200
    assert response.json()["due_date"] > new_request.due_date.isoformat()
    again = api(dpo, "post", url, {"months": 1, "reason": "More."})
    assert again.status_code == 409
    assert "one extension" in again.json()["detail"]


def test_extend_refuses_three_months(api, dpo, new_request):
    response = api(dpo, "post", f"{BASE}{new_request.reference}/extend/", {"months": 3, "reason": "x"})
    assert response.status_code == 400
    assert list(response.json()) == ["months"]


def test_an_action_the_status_does_not_allow_is_a_conflict(api, dpo, new_request):
    workflow.close(new_request, actor=dpo, reason="Withdrawn by phone.")
    response = api(dpo, "post", f"{BASE}{new_request.reference}/approve/", {})
    assert response.status_code == 409
    assert response.json()["detail"] == "This request is closed: you cannot approve it now."


def test_change_type_and_close(api, dpo, new_request):
    url = f"{BASE}{new_request.reference}/"
    response = api(
        dpo, "post", url + "change-type/", {"request_type": "erasure", "erasure_scope": "all", "reason": "All of it."}
    )
    assert response.json()["request_type"] == "erasure"
    response = api(dpo, "post", url + "close/", {"reason": "Handled by phone."})
    assert response.json()["status"] == "closed"


def test_notes_are_added_and_listed(api, dpo, auditor, new_request):
    url = f"{BASE}{new_request.reference}/notes/"
    response = api(dpo, "post", url, {"body": "Called the subject."})
    assert response.status_code == 201
    assert response.json()["author"] == "dpo"
    assert api(auditor, "get", url).json()["results"][0]["body"] == "Called the subject."
    assert api(dpo, "post", url, {"body": ""}).json() == {"body": ["This field may not be blank."]}


@pytest.mark.parametrize("body", ["not json", "[1, 2]"])
def test_malformed_bodies_get_a_clear_error(api, dpo, new_request, body):
    response = api(
        dpo, "post", f"{BASE}{new_request.reference}/notes/", body, format=None, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()


def test_change_type_replaces_the_old_types_details(api, dpo, new_request):
    url = f"{BASE}{new_request.reference}/change-type/"
    refused = api(dpo, "post", url, {"request_type": "rectification", "reason": "Wrong address."})
    assert refused.status_code == 400
    assert "rectification_field" in refused.json()

    response = api(
        dpo,
        "post",
        url,
        {
            "request_type": "rectification",
            "rectification_items": [{"field": "Street", "correct": "Kerkstraat 12"}],
            "reason": "Wrong address.",
        },
    )

    assert response.status_code == 200
    new_request.refresh_from_db()
    assert new_request.type_details["items"] == [{"field": "Street", "current": "", "correct": "Kerkstraat 12"}]
