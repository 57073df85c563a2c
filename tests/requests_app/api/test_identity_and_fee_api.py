"""Issue 14's leftovers: the API records an identity check (Art. 12(6)) and
announces a fee (Art. 12(5)) through the same workflow actions as the page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from requests_app import workflow
from requests_app.intake.services import reply
from requests_app.models import Attachment, RequestEvent, Status
from tests.factories import sent_email

pytestmark = pytest.mark.django_db

BASE = "/api/v1/requests/"


def test_staff_record_the_identity_check_and_the_id_copy_goes(api, dpo, agent, new_request):
    workflow.assign(new_request, actor=dpo, assignee=agent)
    workflow.request_info(new_request, actor=dpo, body="Please send a copy of your identity card.")
    reply(new_request, body="Here it is.", files=[SimpleUploadedFile("id-card.png", b"\x89PNG\r\n\x1a\n card")])
    before = api(agent, "get", f"{BASE}{new_request.reference}/").json()
    assert "identity-check" in before["allowed_actions"]
    response = api(agent, "post", f"{BASE}{new_request.reference}/identity-check/", {"method": "id_document"})
    assert response.status_code == 200, response.content
    event = RequestEvent.objects.get(request=new_request, kind="identity.checked")
    assert event.details == {"identity_check": "id_document"} and event.actor == agent
    assert not Attachment.objects.exists()


def test_an_identity_check_by_other_means_needs_a_note(api, dpo, new_request):
    url = f"{BASE}{new_request.reference}/identity-check/"
    response = api(dpo, "post", url, {"method": "other"})
    assert response.status_code == 400
    assert "Explain how the subject's identity was checked" in response.json()["detail"]
    assert api(dpo, "post", url, {"method": "passport"}).status_code == 400
    response = api(dpo, "post", url, {"method": "other", "note": "Video call, compared with the contract photo."})
    assert response.status_code == 200
    assert new_request.notes.get().body.endswith("Video call, compared with the contract photo.")


def test_an_auditor_may_not_record_an_identity_check(api, auditor, new_request):
    response = api(auditor, "post", f"{BASE}{new_request.reference}/identity-check/", {"method": "known_contact"})
    assert response.status_code == 403
    assert not RequestEvent.objects.filter(request=new_request, kind="identity.checked").exists()


def test_the_dpo_announces_a_fee_and_the_subject_is_told(api, dpo, new_request, django_capture_on_commit_callbacks):
    url = f"{BASE}{new_request.reference}/fee/"
    with django_capture_on_commit_callbacks(execute=True):
        response = api(
            dpo, "post", url, {"reason": "excessive", "amount": "25.50", "reasons": "Fifth identical request."}
        )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.AWAITING_SUBJECT
    event = RequestEvent.objects.get(request=new_request, kind="fee.announced")
    assert event.details["amount"] == "25.50" and event.details["ground"] == "excessive"
    body = " ".join(sent_email("workspace_request_info").body.split())
    assert "25.50" in body and "Fifth identical request." in body


def test_a_fee_needs_an_allowed_ground_a_positive_amount_and_reasons(api, dpo, new_request):
    url = f"{BASE}{new_request.reference}/fee/"
    response = api(dpo, "post", url, {"reason": "no_right_applies", "amount": "10", "reasons": "x"})
    assert response.status_code == 400 and list(response.json()) == ["reason"]
    response = api(dpo, "post", url, {"reason": "excessive", "amount": "0", "reasons": "x"})
    assert response.status_code == 400 and list(response.json()) == ["amount"]
    response = api(dpo, "post", url, {"reason": "excessive", "amount": "10", "reasons": ""})
    assert response.status_code == 400 and list(response.json()) == ["reasons"]
    assert not RequestEvent.objects.filter(request=new_request, kind="fee.announced").exists()


def test_an_agent_may_not_announce_a_fee_and_a_closed_request_answers_409(api, dpo, agent, new_request):
    workflow.assign(new_request, actor=dpo, assignee=agent)
    data = {"reason": "excessive", "amount": "10", "reasons": "Repeated."}
    response = api(agent, "post", f"{BASE}{new_request.reference}/fee/", data)
    assert response.status_code == 403
    assert "fee" not in api(agent, "get", f"{BASE}{new_request.reference}/").json()["allowed_actions"]
    workflow.close(new_request, actor=dpo, reason="Withdrawn by the subject.")
    assert api(dpo, "post", f"{BASE}{new_request.reference}/fee/", data).status_code == 409
