"""/api/v1/inbox/: the privacy mailbox listed and triaged as on the page."""

from __future__ import annotations

import pytest

from requests_app.inbox import services
from requests_app.inbox.models import InboxSource, InboxState
from requests_app.models import Channel, SubjectRequest
from tests.fixtures.workspace import logged_request
from tests.requests_app.inbox.messages import FR, PDF, build

pytestmark = pytest.mark.django_db
URL = "/api/v1/inbox/"


@pytest.fixture
def item(db):
    return services.receive(build(attachments=(("id.pdf", PDF, "application", "pdf"),)), source=InboxSource.IMAP)


def test_it_lists_the_inbox_with_sender_subject_received_guess_and_state(api, auditor, item):
    response = api(auditor, "get", URL)
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["sender"] == "jan@example.be"
    assert row["subject"] == "Inzage in mijn gegevens"
    assert row["received_on"] == "2026-12-04"
    assert (row["guessed_type"], row["state"], row["request"]) == ("access", "new", None)
    assert api(auditor, "get", URL, {"state": "dismissed"}).json()["results"] == []


def test_an_outsider_is_refused(api, outsider, item):
    assert api(outsider, "get", URL).status_code == 403


def test_it_reads_an_item_with_its_text_files_and_suggested_request(api, dpo):
    request = logged_request(dpo, email="marie@example.fr")
    reply = services.receive(
        build(sender="marie@example.fr", subject=f"Re: {request.reference}", text=FR, message_id="<r@x>"),
        source=InboxSource.WEBHOOK,
    )
    body = api(dpo, "get", f"{URL}{reply.code}/").json()
    assert body["suggested_request"] == request.reference
    assert "supprimer" in body["text"]


def test_it_converts_an_item_once(api, agent, item):
    data = {"request_type": "access", "full_name": "Jan Peeters", "language": "nl", "identity_check": "known_contact"}
    response = api(agent, "post", f"{URL}{item.code}/convert/", data)
    assert response.status_code == 201
    request = SubjectRequest.objects.get(reference=response.json()["reference"])
    assert request.channel == Channel.EMAIL
    assert api(agent, "post", f"{URL}{item.code}/convert/", data).status_code == 409


def test_it_attaches_and_dismisses(api, dpo, item):
    request = logged_request(dpo, email="jan@example.be")
    missing = api(dpo, "post", f"{URL}{item.code}/attach/", {"reference": "DSAR-1999-00001"})
    assert missing.status_code == 400
    attached = api(dpo, "post", f"{URL}{item.code}/attach/", {"reference": request.reference})
    assert (attached.status_code, attached.json()["state"], attached.json()["request"]) == (
        200,
        InboxState.ATTACHED,
        request.reference,
    )
    other = services.receive(build(message_id="<o@x>"), source=InboxSource.IMAP)
    dismissed = api(dpo, "post", f"{URL}{other.code}/dismiss/", {"reason": "A newsletter"})
    assert dismissed.json()["state"] == InboxState.DISMISSED


def test_an_auditor_cannot_triage_through_the_api(api, auditor, item):
    assert api(auditor, "post", f"{URL}{item.code}/dismiss/", {"reason": "spam"}).status_code == 403
