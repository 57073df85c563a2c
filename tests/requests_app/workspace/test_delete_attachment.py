"""A DPO deletes one attachment the subject sent (an identity document once checked)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from requests_app import workflow
from requests_app.audit.chain import verify_request_chain
from requests_app.intake.services import reply
from requests_app.models import Attachment

pytestmark = pytest.mark.django_db

ID_COPY = b"\x89PNG\r\n\x1a\n an identity card"


@pytest.fixture
def with_id_copy(dpo, agent, new_request, settings):
    workflow.assign(new_request, actor=dpo, assignee=agent)
    workflow.request_info(new_request, actor=dpo, body="Which customer number, please?")
    reply(
        new_request,
        body="Here is my ID card.",
        files=[SimpleUploadedFile("id-lotte-peeters.png", ID_COPY), SimpleUploadedFile("note.txt", b"hello")],
    )
    attachment = Attachment.objects.get(original_name="id-lotte-peeters.png")
    path = settings.MEDIA_ROOT / attachment.file.name
    assert path.exists()
    return new_request, attachment, path


def _url(request, attachment):
    return reverse("workspace:delete_attachment", args=[request.reference, attachment.pk])


def test_the_dpo_deletes_one_attachment(dpo_client, with_id_copy):
    request, attachment, path = with_id_copy
    page = dpo_client.get(reverse("workspace:request", args=[request.reference])).content.decode()
    assert "id-lotte-peeters.png" in page and _url(request, attachment) in page

    response = dpo_client.post(_url(request, attachment), follow=True)

    page = response.content.decode()
    assert response.status_code == 200
    assert "id-lotte-peeters.png" not in page and "note.txt" in page
    assert "Attachment deleted" in page
    assert not path.exists()
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    event = request.events.get(kind="attachment.deleted")
    assert event.details == {
        "attachment": attachment.pk,
        "message": attachment.message_id,
        "content_type": attachment.content_type,
        "size": len(ID_COPY),
    }
    assert "id-lotte" not in str(event.details)
    request.refresh_from_db()
    assert verify_request_chain(request) is None


def test_deleting_it_twice_says_it_is_gone(dpo_client, with_id_copy):
    request, attachment, _path = with_id_copy
    dpo_client.post(_url(request, attachment))

    response = dpo_client.post(_url(request, attachment), follow=True)

    assert "already deleted" in response.content.decode()
    assert request.events.filter(kind="attachment.deleted").count() == 1


@pytest.mark.parametrize("client_name", ["agent_client", "auditor_client", "outsider_client"])
def test_other_roles_cannot_delete_an_attachment(client_name, request, with_id_copy):
    subject_request, attachment, path = with_id_copy
    client = request.getfixturevalue(client_name)

    page = client.get(reverse("workspace:request", args=[subject_request.reference])).content.decode()
    response = client.post(_url(subject_request, attachment))

    assert _url(subject_request, attachment) not in page
    assert response.status_code == 403
    assert path.exists() and Attachment.objects.filter(pk=attachment.pk).exists()
    assert not subject_request.events.filter(kind="attachment.deleted").exists()


def test_the_agents_attempt_is_recorded(agent_client, with_id_copy):
    request, attachment, _path = with_id_copy

    agent_client.post(_url(request, attachment))

    refused = request.events.get(kind="action.refused")
    assert refused.details == {"action": "delete_attachment"} and refused.actor_label == "agent"


def test_an_attachment_of_another_request_cannot_be_reached(dpo_client, dpo, with_id_copy):
    from tests.factories import make_request

    _request, attachment, path = with_id_copy
    other = make_request()

    response = dpo_client.post(_url(other, attachment), follow=True)

    assert "already deleted" in response.content.decode()
    assert path.exists()
