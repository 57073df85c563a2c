"""Withholding single fields of a record through the API (Art. 15(4)), with
the review page's rules: who may, while in review, with a reason, audited."""

from __future__ import annotations

import json

import pytest

from dsar.models import SourceRecord, WithheldField
from requests_app import workflow
from requests_app.models import RequestEvent, RequestType, Status
from tests.factories import make_request
from tests.requests_app.delivery.test_review import NOTE_TEXT, _crm_rows, _file
from tests.support.export_factories import make_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(controller, dpo, django_capture_on_commit_callbacks):
    """An access request in review whose CRM has a note naming a colleague (as in delivery/test_review.py)."""
    request = make_request(request_type=RequestType.ACCESS, email="lotte.peeters@example.be")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(request, actor=dpo)
        workflow.start_processing(request)
        make_job(request.reference, crm_records=_crm_rows(1))
        workflow.processing_done(request)
    request.refresh_from_db()
    assert request.status == Status.IN_REVIEW
    return request


def _note(request) -> SourceRecord:
    return SourceRecord.objects.get(run__job__external_ref=request.reference, entity="notes")


def _url(request, record, verb: str = "withhold") -> str:
    return f"/api/v1/requests/{request.reference}/records/{record.pk}/{verb}/"


def test_the_dpo_withholds_a_field_the_copy_hides_it_and_record_reads_show_it(
    api, dpo, in_review, django_capture_on_commit_callbacks
):
    request = in_review
    note = _note(request)
    with django_capture_on_commit_callbacks(execute=True):
        response = api(dpo, "post", _url(request, note), {"fields": ["text"], "reason": "Names a colleague"})
    assert response.status_code == 200, response.content
    assert response.json() == {"changed": 1, "withheld_fields": [{"field": "text", "reason": "Names a colleague"}]}
    document = json.loads(_file(request, "json"))
    (notes,) = [r for s in document["sources"] for r in s["records"] if r["entity"] == "notes"]
    assert notes["data"]["by"] == "Émile" and "Janssens" not in json.dumps(notes)
    event = RequestEvent.objects.get(request=request, kind="export.fields_withheld")
    assert event.details == {"count": 1} and event.actor == dpo
    rows = api(dpo, "get", f"/api/v1/requests/{request.reference}/records/").json()["results"]
    by_id = {row["id"]: row for row in rows}
    assert by_id[note.pk]["withheld_fields"] == [{"field": "text", "reason": "Names a colleague"}]
    assert all(row["withheld_fields"] == [] for pk, row in by_id.items() if pk != note.pk)

    with django_capture_on_commit_callbacks(execute=True):
        back = api(dpo, "post", _url(request, note, "give-back"), {"fields": ["text"]})
    assert back.status_code == 200 and back.json() == {"changed": 1, "withheld_fields": []}
    assert NOTE_TEXT in _file(request, "json").decode()
    assert RequestEvent.objects.filter(request=request, kind="export.fields_given_back").exists()


def test_bad_input_is_named_and_nothing_changes(api, dpo, in_review):
    request = in_review
    note = _note(request)
    no_reason = api(dpo, "post", _url(request, note), {"fields": ["text"], "reason": "  "})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    unknown = api(dpo, "post", _url(request, note), {"fields": ["text", "salary"], "reason": "x"})
    assert unknown.status_code == 400
    assert unknown.json()["fields"] == ["This record has no field salary."]
    elsewhere = SourceRecord.objects.exclude(run__job__external_ref=request.reference).first()
    missing_pk = elsewhere.pk if elsewhere else 10**9
    gone = f"/api/v1/requests/{request.reference}/records/{missing_pk}/withhold/"
    assert api(dpo, "post", gone, {"fields": ["text"], "reason": "x"}).status_code == 404
    assert not WithheldField.objects.exists()
    assert not RequestEvent.objects.filter(kind="export.fields_withheld").exists()


def test_another_agent_and_an_auditor_are_refused_and_the_refusal_is_recorded(api, agent, auditor, in_review):
    request = in_review
    note = _note(request)
    body = {"fields": ["text"], "reason": "Names a colleague"}
    assert api(agent, "post", _url(request, note), body).status_code == 403
    assert api(auditor, "post", _url(request, note), body).status_code == 403
    refused = RequestEvent.objects.filter(request=request, kind="action.refused").values_list("details", flat=True)
    assert {"action": "withhold_fields"} in [{"action": d.get("action")} for d in refused]
    assert not WithheldField.objects.exists()


def test_outside_review_the_api_answers_409(api, dpo, in_review, django_capture_on_commit_callbacks):
    request = in_review
    note = _note(request)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.fulfil(request, actor=dpo)  # released: the copy is what the subject received
    response = api(dpo, "post", _url(request, note), {"fields": ["text"], "reason": "x"})
    assert response.status_code == 409
    assert "only be withheld while the request is in review" in response.json()["detail"]
