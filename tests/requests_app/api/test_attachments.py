"""Files the subject sent: the DPO, the request's agent and auditors open them
(the copy's rule, permissions.can_read_copy), in the workspace and through the
API; every opening, and every refusal, is recorded."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from requests_app import workflow
from requests_app.intake.services import reply
from requests_app.models import Attachment

pytestmark = pytest.mark.django_db

ID_COPY = b"\x89PNG\r\n\x1a\n an identity card"


@pytest.fixture
def with_id_copy(dpo, agent, new_request):
    workflow.assign(new_request, actor=dpo, assignee=agent)
    workflow.request_info(new_request, actor=dpo, body="Which customer number, please?")
    upload = SimpleUploadedFile("id-lotte peeters.png", ID_COPY)
    upload.checked_content_type = "image/png"  # as the intake form sets it after sniffing the file
    reply(new_request, body="Here is my ID card.", files=[upload])
    return new_request, Attachment.objects.get(original_name="id-lotte peeters.png")


def _page_url(request, attachment):
    return reverse("workspace:download_attachment", args=[request.reference, attachment.pk])


def _api_url(request, attachment):
    return f"/api/v1/requests/{request.reference}/attachments/{attachment.pk}/download/"


def test_the_dpo_opens_an_id_copy_from_the_request_page(client, dpo, with_id_copy):
    request, attachment = with_id_copy
    client.force_login(dpo)
    dpo_client = client
    page = dpo_client.get(reverse("workspace:request", args=[request.reference])).content.decode()
    assert _page_url(request, attachment) in page

    response = dpo_client.get(_page_url(request, attachment))

    assert response.status_code == 200
    assert response.content == ID_COPY
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Disposition"] == 'attachment; filename="id-lotte peeters.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    event = request.events.get(kind="attachment.downloaded")
    assert event.actor == dpo
    assert "id-lotte" not in str(event.details)


def test_the_assigned_agent_downloads_it_with_a_token(api, agent, with_id_copy):
    request, attachment = with_id_copy
    listing = api(agent, "get", f"/api/v1/requests/{request.reference}/attachments/").json()
    assert [row["name"] for row in listing["results"]] == ["id-lotte peeters.png"]
    assert listing["results"][0]["download_url"].endswith(_api_url(request, attachment))

    response = api(agent, "get", _api_url(request, attachment))

    assert response.status_code == 200
    assert response.content == ID_COPY
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert request.events.filter(kind="attachment.downloaded", actor=agent).count() == 1


def test_an_auditor_opens_it_and_it_is_recorded(client, api, auditor, with_id_copy):
    subject_request, attachment = with_id_copy
    client.force_login(auditor)
    page = client.get(reverse("workspace:request", args=[subject_request.reference])).content.decode()
    assert _page_url(subject_request, attachment) in page
    assert client.get(_page_url(subject_request, attachment)).status_code == 200
    assert api(auditor, "get", _api_url(subject_request, attachment)).status_code == 200
    assert subject_request.events.filter(kind="attachment.downloaded", actor=auditor).count() == 2


def test_another_agent_sees_the_name_but_cannot_open_it(client, api, other_agent, with_id_copy):
    subject_request, attachment = with_id_copy
    user = other_agent
    client.force_login(user)
    page = client.get(reverse("workspace:request", args=[subject_request.reference])).content.decode()
    assert "id-lotte peeters.png" in page and _page_url(subject_request, attachment) not in page

    assert client.get(_page_url(subject_request, attachment)).status_code == 403
    response = api(user, "get", _api_url(subject_request, attachment))
    assert response.status_code == 403
    assert "Only the DPO, the agent assigned to this request or an auditor" in response.json()["detail"]
    assert subject_request.events.filter(kind="action.refused", actor=user).count() == 2
    assert not subject_request.events.filter(kind="attachment.downloaded").exists()


@pytest.mark.parametrize(("who", "status"), [(None, 401), ("outsider", 403), ("expired_token", 401)])
def test_strangers_get_nothing(api, request, with_id_copy, who, status):
    subject_request, attachment = with_id_copy
    actor = request.getfixturevalue(who) if who else None
    assert api(actor, "get", _api_url(subject_request, attachment)).status_code == status
    assert api(actor, "get", f"/api/v1/requests/{subject_request.reference}/attachments/").status_code == status


def test_an_attachment_of_another_request_is_not_found(api, dpo, with_id_copy):
    from tests.factories import make_request

    _request, attachment = with_id_copy
    other = make_request()
    assert api(dpo, "get", _api_url(other, attachment)).status_code == 404
