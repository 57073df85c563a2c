"""An e-mail to the privacy address becomes an item to triage: read, guessed,
its files checked and encrypted, automatic mail kept out."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage

import pytest

from dsar.core.crypto import decrypt_bytes
from requests_app.inbox import services
from requests_app.inbox.models import InboxEvent, InboxItem, InboxSource
from requests_app.inbox.parsing import html_to_text

from .messages import DE, EXE, FR, NL, PDF, PNG, build

pytestmark = pytest.mark.django_db


def test_it_reads_a_dutch_access_request_with_its_day_of_receipt_in_the_controllers_time_zone():
    item = services.receive(build(), source=InboxSource.FILE)
    assert item.sender == "jan@example.be"
    assert item.sender_name == "Jan Peeters"
    assert item.subject == "Inzage in mijn gegevens"
    assert "kopie van mijn gegevens" in item.text
    assert item.guessed_type == "access"
    assert item.language == "nl"
    # 23:30 UTC on 3 December is 00:30 on 4 December in Brussels.
    assert item.received_on == dt.date(2026, 12, 4)


def test_it_guesses_french_erasure_and_german_rectification():
    fr = services.receive(build(subject="Suppression", text=FR, message_id="<fr@x>"), source=InboxSource.FILE)
    de = services.receive(build(subject="Meine Daten", text=DE, message_id="<de@x>"), source=InboxSource.FILE)
    assert (fr.guessed_type, fr.language) == ("erasure", "fr")
    assert (de.guessed_type, de.language) == ("rectification", "de")


def test_it_stores_accepted_attachments_encrypted_and_refuses_others_by_content():
    raw = build(
        attachments=(
            ("identiteitskaart.pdf", PDF, "application", "pdf"),
            ("scan.png", PNG, "image", "png"),
            ("factuur.pdf", EXE, "application", "pdf"),  # a program named as a PDF
        )
    )
    item = services.receive(raw, source=InboxSource.FILE)
    stored = list(item.attachments.order_by("pk"))
    assert [(a.original_name, a.content_type) for a in stored] == [
        ("identiteitskaart.pdf", "application/pdf"),
        ("scan.png", "image/png"),
    ]
    with stored[0].file.open("rb") as handle:
        on_disk = handle.read()
    assert PDF not in on_disk
    assert decrypt_bytes(on_disk) == PDF
    event = InboxEvent.objects.get(item=item, kind="inbox.received")
    assert event.details == {"refused_files": ["type"]}


def test_it_refuses_attachments_over_the_size_limit(settings):
    settings.DSAR_ATTACHMENT_MAX_MB = 1
    big = PDF + b"0" * (1024 * 1024)
    item = services.receive(build(attachments=(("big.pdf", big, "application", "pdf"),)), source=InboxSource.FILE)
    assert item.attachments.count() == 0
    assert InboxEvent.objects.get(item=item).details == {"refused_files": ["size"]}


def test_it_shows_html_only_mail_as_sanitised_text():
    message = EmailMessage()
    message["From"] = "marie@example.fr"
    message["Subject"] = "Mes données"
    message["Message-ID"] = "<html@x>"
    message.set_content(
        "<p>Bonjour,</p><p>Je veux <b>supprimer</b> mes données.</p>"
        "<script>alert('x')</script><img src=x onerror=alert(1)>",
        subtype="html",
    )
    item = services.receive(message.as_bytes(), source=InboxSource.FILE)
    assert item.text == "Bonjour,\n\nJe veux supprimer mes données."
    assert item.guessed_type == "erasure"


def test_html_to_text_keeps_no_markup_and_unescapes_entities():
    assert html_to_text("<div>Caf&eacute; &lt;b&gt;</div><style>p{}</style>") == "Café <b>"


def test_a_second_delivery_of_the_same_message_is_the_same_item():
    first = services.receive(build(), source=InboxSource.IMAP)
    again = services.receive(build(), source=InboxSource.WEBHOOK)
    assert first.pk == again.pk
    assert InboxItem.objects.count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"X-Autoreply": "yes"},
        {"List-Id": "<news.example.com>"},
        {"Return-Path": "<>"},
    ],
)
def test_the_loop_guard_keeps_automatic_mail_out(headers):
    with pytest.raises(services.MessageRefused):
        services.receive(build(headers=headers), source=InboxSource.IMAP)
    assert InboxItem.objects.count() == 0


def test_the_loop_guard_keeps_bounces_out():
    with pytest.raises(services.MessageRefused, match="robot-sender"):
        services.receive(build(sender="MAILER-DAEMON@mx.example.be"), source=InboxSource.IMAP)


def test_a_human_mail_marked_auto_submitted_no_is_kept():
    assert services.receive(build(headers={"Auto-Submitted": "no"}), source=InboxSource.IMAP).pk


def test_a_message_over_the_limit_is_refused(settings):
    settings.DSAR_INBOX_MAX_MB = 1
    with pytest.raises(services.MessageRefused, match="too-large"):
        services.receive(build(text=NL + "x" * (1024 * 1024)), source=InboxSource.FILE)


def test_a_date_in_the_future_is_not_believed():
    item = services.receive(build(date="Fri, 01 Jan 2100 10:00:00 +0000"), source=InboxSource.FILE)
    assert item.received_at.year < 2100
