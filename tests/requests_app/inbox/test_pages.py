"""The triage page: what the DPO sees and the three forms, for each role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from requests_app.inbox import services
from requests_app.inbox.models import InboxEvent, InboxSource, InboxState
from requests_app.models import SubjectRequest
from tests.fixtures.workspace import logged_request

from .messages import PDF, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(db):
    html = "<p>Ik wil <b>inzage</b> in mijn gegevens.</p><script>alert('x')</script>"
    return services.receive(
        build(html=html, attachments=(("id.pdf", PDF, "application", "pdf"),)), source=InboxSource.IMAP
    )


def test_the_list_and_the_item_page_show_the_mail_as_escaped_text(dpo_client, item):
    listing = dpo_client.get(reverse("inbox:list"))
    assert listing.status_code == 200
    assert "Inzage in mijn gegevens" in listing.content.decode()
    page = dpo_client.get(reverse("inbox:item", args=[item.code])).content.decode()
    assert "kopie van mijn gegevens" in page  # the plain part is preferred
    assert "<script>" not in page
    assert 'value="access" checked' in page or 'value="access" selected' in page


def test_the_dpo_makes_a_request_of_the_mail(dpo_client, item):
    response = dpo_client.post(
        reverse("inbox:convert", args=[item.code]),
        {
            "request_type": "access",
            "full_name": "Jan Peeters",
            "language": "nl",
            "identity_check": "known_contact",
        },
    )
    request = SubjectRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:request", args=[request.reference])
    item.refresh_from_db()
    assert item.state == InboxState.CONVERTED


def test_the_dpo_attaches_the_mail_by_reference(dpo_client, dpo, item):
    request = logged_request(dpo, email="jan@example.be")
    response = dpo_client.post(reverse("inbox:attach", args=[item.code]), {"reference": request.reference.lower()})
    assert response["Location"] == reverse("workspace:request", args=[request.reference])
    assert request.messages.get().attachments.count() == 1
    unknown = services.receive(build(message_id="<other@x>"), source=InboxSource.IMAP)
    dpo_client.post(reverse("inbox:attach", args=[unknown.code]), {"reference": "DSAR-1999-00001"})
    unknown.refresh_from_db()
    assert unknown.state == InboxState.NEW


def test_the_dpo_dismisses_with_a_reason(dpo_client, item):
    dpo_client.post(reverse("inbox:dismiss", args=[item.code]), {"reason": ""})
    item.refresh_from_db()
    assert item.state == InboxState.NEW
    dpo_client.post(reverse("inbox:dismiss", args=[item.code]), {"reason": "Newsletter question"})
    item.refresh_from_db()
    assert item.state == InboxState.DISMISSED


def test_an_auditor_reads_but_cannot_triage(auditor_client, item):
    assert auditor_client.get(reverse("inbox:item", args=[item.code])).status_code == 200
    response = auditor_client.post(reverse("inbox:dismiss", args=[item.code]), {"reason": "spam"})
    assert response.status_code == 403
    assert (
        auditor_client.get(
            reverse("inbox:download_attachment", args=[item.code, item.attachments.get().pk])
        ).status_code
        == 403
    )


def test_an_outsider_sees_nothing(outsider_client, item):
    assert outsider_client.get(reverse("inbox:list")).status_code == 403
    assert outsider_client.get(reverse("inbox:item", args=[item.code])).status_code == 403


def test_opening_a_file_is_a_recorded_download(agent_client, item):
    attachment = item.attachments.get()
    response = agent_client.get(reverse("inbox:download_attachment", args=[item.code, attachment.pk]))
    assert response.content == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert InboxEvent.objects.filter(item=item, kind="inbox.attachment_downloaded").exists()


def test_the_dashboard_counts_requests_per_channel_and_mail_to_triage(dpo_client, dpo, item):
    logged_request(dpo, channel="letter")
    board = dpo_client.get(reverse("workspace:dashboard")).context["board"]
    channels = {value: count for value, _label, count in board.by_channel}
    assert (channels["letter"], channels["email"], board.inbox_to_triage) == (1, 0, 1)
    csv = dpo_client.get(reverse("workspace:dashboard_csv")).content.decode()
    assert "open_by_channel,letter,1" in csv
    assert "inbox,to_triage,1" in csv
