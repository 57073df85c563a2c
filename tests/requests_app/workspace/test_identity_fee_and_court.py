"""Smaller legal edges: identity documents go once the check is recorded
(EDPB Guidelines 01/2022, Art. 5(1)(c)); a fee is announced before it is
charged (Art. 12(5)); refusals name the court (Art. 79; Belgium: Act of 30
July 2018, art. 209)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from requests_app import workflow
from requests_app.audit.chain import verify_request_chain
from requests_app.intake.services import reply
from requests_app.models import Attachment, RequestEvent, Status
from tests.factories import sent_email

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_id_copy(dpo, new_request, settings):
    workflow.request_info(new_request, actor=dpo, body="Please send a copy of your identity card.")
    reply(new_request, body="Here it is.", files=[SimpleUploadedFile("id-card.png", b"\x89PNG\r\n\x1a\n card")])
    attachment = Attachment.objects.get()
    path = settings.MEDIA_ROOT / attachment.file.name
    assert path.exists()
    return new_request, path


def test_recording_the_identity_check_deletes_the_documents_and_says_so(dpo_client, with_id_copy):
    request, path = with_id_copy
    dpo_client.post(
        reverse("workspace:action", args=[request.reference, "record_identity_check"]), {"method": "id_document"}
    )
    assert not path.exists() and not Attachment.objects.exists()
    check = RequestEvent.objects.get(request=request, kind="identity.checked")
    assert check.details == {"identity_check": "id_document"} and not check.public
    deleted = RequestEvent.objects.get(request=request, kind="attachment.deleted")
    assert deleted.details["reason"] == "identity_checked" and "id-card" not in str(deleted.details)
    request.refresh_from_db()
    assert verify_request_chain(request) is None


def test_with_the_setting_off_the_documents_stay(dpo, with_id_copy, settings):
    settings.DSAR_DELETE_ID_DOCUMENTS_AFTER_CHECK = False
    request, path = with_id_copy
    workflow.record_identity_check(request, actor=dpo, method="id_document")
    assert path.exists() and Attachment.objects.count() == 1


def test_a_fee_is_announced_first_and_the_subject_may_withdraw(dpo, new_request, django_capture_on_commit_callbacks):
    """Art. 12(5) and EDPB Guidelines 01/2022: the subject is told the amount
    and the reasons before anything is charged, and may withdraw."""
    with pytest.raises(workflow.WorkflowError):
        workflow.announce_fee(new_request, actor=dpo, amount="25", reasons="", reason="excessive")
    with pytest.raises(workflow.WorkflowError):
        workflow.announce_fee(new_request, actor=dpo, amount="25", reasons="x", reason="no_right_applies")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.announce_fee(
            new_request, actor=dpo, amount="25,50", reasons="Fifth identical request this month.", reason="excessive"
        )
    new_request.refresh_from_db()
    assert new_request.status == Status.AWAITING_SUBJECT
    event = RequestEvent.objects.get(request=new_request, kind="fee.announced")
    assert event.details["amount"] == "25.50" and event.details["ground"] == "excessive" and event.public
    body = " ".join(sent_email("workspace_request_info").body.split())
    assert "25.50" in body and "Fifth identical request" in body
    workflow.cancel(new_request)  # the subject withdraws: nothing was charged
    assert new_request.status == Status.CANCELLED


def test_an_agent_may_not_announce_a_fee(agent, dpo, new_request):
    workflow.assign(new_request, actor=dpo, assignee=agent)
    with pytest.raises(workflow.ActionForbidden):
        workflow.announce_fee(new_request, actor=agent, amount="10", reasons="Repeated.", reason="excessive")


def test_a_refusal_names_the_belgian_court(dpo, new_request, controller, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.reject(new_request, actor=dpo, reason="identity_not_confirmed")
    body = " ".join(sent_email("workspace_rejected").body.split())
    # Dutch: the president of the court of first instance, Act of 30 July 2018, art. 209.
    assert "naar de rechter" in body and "art. 79 AVG" in body
    assert "rechtbank van eerste aanleg" in body and "art. 209" in body
