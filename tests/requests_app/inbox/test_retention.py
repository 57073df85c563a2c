"""Triaged e-mails do not stay in the inbox for ever (Art. 5(1)(e))."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from requests_app.inbox import services
from requests_app.inbox.models import InboxAttachment, InboxSource, InboxState
from requests_app.inbox.retention import REDACTED, redact_expired

from .messages import PDF, build

pytestmark = pytest.mark.django_db


def test_a_dismissed_mail_is_redacted_after_its_period_and_the_decision_stays(dpo, settings):
    settings.DSAR_INBOX_DISMISSED_DAYS = 90
    item = services.receive(build(attachments=(("id.pdf", PDF, "application", "pdf"),)), source=InboxSource.IMAP)
    stored = item.attachments.get()
    services.dismiss(item, actor=dpo, reason="Spam")
    assert redact_expired(now=timezone.now() + dt.timedelta(days=89)) == 0
    assert redact_expired(now=timezone.now() + dt.timedelta(days=91)) == 1
    item.refresh_from_db()
    assert (item.sender, item.subject, item.text, item.dismiss_reason) == (REDACTED, "", "", "")
    assert item.state == InboxState.DISMISSED
    assert item.events.filter(kind="inbox.dismissed").exists()
    assert not InboxAttachment.objects.exists()
    assert not stored.file.storage.exists(stored.file.name)
    assert redact_expired(now=timezone.now() + dt.timedelta(days=200)) == 0


def test_a_mail_made_into_a_request_is_redacted_sooner_and_waiting_mail_never(dpo):
    handled = services.receive(build(), source=InboxSource.IMAP)
    waiting = services.receive(build(message_id="<w@x>"), source=InboxSource.IMAP)
    request = services.convert_to_request(
        handled, actor=dpo, request_type="access", full_name="Jan", language="nl", identity_check="known_contact"
    )
    assert redact_expired(now=timezone.now() + dt.timedelta(days=31)) == 1
    waiting.refresh_from_db()
    assert waiting.sender == "jan@example.be"
    assert "inzage" in request.messages.get().body  # the request keeps its copy
