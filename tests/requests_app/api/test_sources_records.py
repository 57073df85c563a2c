"""The gathering's sources and the records gathered, through the API: the
same rules as the request page (retry a failed source, leave records out of
the copy under Art. 15(4)), and reading the subject's data is recorded."""

from __future__ import annotations

import pytest

from dsar.models import SourceRecord, SourceRun
from requests_app import workflow
from requests_app.models import Status
from tests.factories import make_request
from tests.support.export_factories import make_job


@pytest.fixture
def reviewed(controller, dpo, agent, django_capture_on_commit_callbacks):
    """An access request assigned to the agent, whose gathering ended: in review."""
    request = make_request(email="lotte.peeters@example.be")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.assign(request, actor=dpo, assignee=agent)
        workflow.approve(request, actor=dpo)
        workflow.start_processing(request)
        make_job(request.reference)
        workflow.processing_done(request)
    request.refresh_from_db()
    assert request.status == Status.IN_REVIEW
    return request


def _url(request, tail):
    return f"/api/v1/requests/{request.reference}/{tail}"


def test_the_sources_show_progress_and_record_counts(api, auditor, reviewed):
    SourceRecord.objects.filter(run__connector__code="erp", seq__lt=2).update(excluded=True, exclusion_note="x")

    body = api(auditor, "get", _url(reviewed, "sources/")).json()

    rows = {row["source"]: row for row in body["results"]}
    assert set(rows) == {"crm", "erp"}
    assert (rows["crm"]["records"], rows["crm"]["excluded"]) == (3, 0)
    assert (rows["erp"]["records"], rows["erp"]["excluded"]) == (5, 2)
    assert rows["crm"]["status"] == "done" and rows["crm"]["can_retry"] is False


def test_the_agent_retries_a_failed_source(api, agent, auditor, reviewed, django_capture_on_commit_callbacks):
    SourceRun.objects.filter(job__external_ref=reviewed.reference, connector__code="erp").update(
        status=SourceRun.Status.FAILED, error="timeout"
    )
    assert api(auditor, "post", _url(reviewed, "sources/erp/retry/")).status_code == 403
    rows = {row["source"]: row for row in api(agent, "get", _url(reviewed, "sources/")).json()["results"]}
    assert (rows["erp"]["can_retry"], rows["crm"]["can_retry"]) == (True, False)

    response = api(agent, "post", _url(reviewed, "sources/erp/retry/"))

    assert response.status_code == 200, response.content
    assert response.json()["source"] == "erp"
    reviewed.refresh_from_db()
    assert reviewed.status == Status.PROCESSING
    assert reviewed.events.filter(kind="source.retried", actor=agent, details__source="erp").exists()


def test_a_source_that_did_not_fail_is_not_retried(api, dpo, reviewed):
    response = api(dpo, "post", _url(reviewed, "sources/crm/retry/"))
    assert response.status_code == 409
    assert response.json()["detail"] == "Only a failed source can be retried."
    assert api(dpo, "post", _url(reviewed, "sources/nope/retry/")).status_code == 404


def test_another_agent_may_not_retry(api, other_agent, reviewed):
    SourceRun.objects.filter(job__external_ref=reviewed.reference).update(status=SourceRun.Status.FAILED)
    response = api(other_agent, "post", _url(reviewed, "sources/crm/retry/"))
    assert response.status_code == 403
    reviewed.refresh_from_db()
    assert reviewed.status == Status.IN_REVIEW


def test_the_records_list_without_data_records_nothing(api, auditor, reviewed):
    body = api(auditor, "get", _url(reviewed, "records/?source=crm")).json()
    assert body["count"] == 3
    assert {row["entity"] for row in body["results"]} == {"customers", "notes"}
    assert all("data" not in row for row in body["results"])
    assert "Lotte" not in str(body)
    assert not reviewed.events.filter(kind="export.records_read").exists()


def test_reading_the_records_data_is_recorded(api, auditor, reviewed):
    body = api(auditor, "get", _url(reviewed, "records/?source=crm&data=true")).json()
    assert body["results"][0]["data"]["name"] == "Lotte Peeters"
    event = reviewed.events.get(kind="export.records_read")
    assert event.actor == auditor and event.details == {"records": 3}


def test_the_agent_leaves_records_out_with_a_note(api, agent, reviewed, django_capture_on_commit_callbacks):
    notes = list(
        SourceRecord.objects.filter(run__job__external_ref=reviewed.reference, entity="notes").values_list(
            "pk", flat=True
        )
    )
    missing_note = api(agent, "post", _url(reviewed, "exports/exclude/"), {"records": notes, "excluded": True})
    assert missing_note.status_code == 400
    assert "note" in missing_note.json()

    with django_capture_on_commit_callbacks(execute=True):
        response = api(
            agent,
            "post",
            _url(reviewed, "exports/exclude/"),
            {"records": notes, "excluded": True, "note": "About a colleague, Émile"},
        )

    assert response.status_code == 200 and response.json() == {"changed": 1}
    listed = api(agent, "get", _url(reviewed, "records/?excluded=true")).json()["results"]
    assert [(row["id"], row["excluded"], row["exclusion_note"]) for row in listed] == [
        (notes[0], True, "About a colleague, Émile")
    ]
    assert reviewed.events.filter(kind="export.records_excluded", details={"count": 1}).exists()

    back = api(agent, "post", _url(reviewed, "exports/exclude/"), {"records": notes, "excluded": False})
    assert back.json() == {"changed": 1}
    assert not SourceRecord.objects.filter(pk__in=notes, excluded=True).exists()


@pytest.mark.parametrize("who", ["auditor", "other_agent"])
def test_others_cannot_change_the_copy(api, request, reviewed, who):
    user = request.getfixturevalue(who)
    record = SourceRecord.objects.filter(run__job__external_ref=reviewed.reference).first()
    response = api(
        user, "post", _url(reviewed, "exports/exclude/"), {"records": [record.pk], "excluded": True, "note": "x"}
    )
    assert response.status_code == 403
    record.refresh_from_db()
    assert not record.excluded
    # The page records the refusal of another agent (an auditor is stopped before, as on the page).
    refused = reviewed.events.filter(kind="action.refused", actor=user, details__action="exclude_records")
    assert refused.exists() == (who == "other_agent")


def test_records_are_left_out_only_in_review(api, dpo, reviewed):
    workflow.fulfil(reviewed, actor=dpo)
    record = SourceRecord.objects.filter(run__job__external_ref=reviewed.reference).first()
    response = api(
        dpo, "post", _url(reviewed, "exports/exclude/"), {"records": [record.pk], "excluded": True, "note": "x"}
    )
    assert response.status_code == 409


@pytest.mark.parametrize(("who", "status"), [(None, 401), ("outsider", 403), ("expired_token", 401)])
@pytest.mark.parametrize("tail", ["sources/", "records/"])
def test_strangers_read_nothing(api, request, reviewed, who, status, tail):
    actor = request.getfixturevalue(who) if who else None
    assert api(actor, "get", _url(reviewed, tail)).status_code == status


def test_an_id_beyond_the_databases_integers_is_a_field_error(api, agent, reviewed):
    response = api(
        agent, "post", _url(reviewed, "exports/exclude/"), {"records": [10**30], "excluded": True, "note": "x"}
    )
    assert response.status_code == 400
    assert "records" in response.json()


def test_national_numbers_in_the_records_are_masked(api, auditor, reviewed):
    record = SourceRecord.objects.filter(run__job__external_ref=reviewed.reference, entity="customers").first()
    record.data = '{"name": "Lotte Peeters", "insz": "85.07.30-033.28"}'
    record.save(update_fields=["data"])

    body = api(auditor, "get", _url(reviewed, "records/?source=crm&data=true")).json()

    shown = next(r["data"] for r in body["results"] if r["data"].get("name") == "Lotte Peeters")
    assert shown["insz"] == "**.**.**-***.28"
