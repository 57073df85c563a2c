"""Both ways in, driven for real: a local IMAP server (pymap, from PyPI) the
poller reads with imaplib, and django-anymail's inbound webhooks for Mailgun
(signed), Postmark and SendGrid (the webhook's shared secret), plus the
``inbox_import`` command."""

from __future__ import annotations

import base64
import hashlib
import hmac
import imaplib
import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from requests_app.inbox import imap
from requests_app.inbox.models import InboxItem, InboxSource

from .messages import DE, FR, NL, PDF, build

pytestmark = pytest.mark.django_db
PYMAP = Path(sys.executable).with_name("pymap")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def imap_server(settings):
    """A real IMAP server in a subprocess (pymap's in-memory backend)."""
    if not PYMAP.exists() and not shutil.which("pymap"):
        pytest.fail("pymap is in requirements-dev.txt: install it")
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - our own test server, fixed arguments
        [str(PYMAP), "--host", "127.0.0.1", "--port", str(port), "--no-tls", "dict", "--demo-data"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 15
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                pytest.fail("pymap did not start")
            time.sleep(0.1)
    settings.DSAR_INBOX_IMAP_HOST = "127.0.0.1"
    settings.DSAR_INBOX_IMAP_PORT = port
    settings.DSAR_INBOX_IMAP_USER = "demouser"
    settings.DSAR_INBOX_IMAP_PASSWORD = "demopass"  # noqa: S105 - pymap's demo account
    settings.DSAR_INBOX_IMAP_SECURITY = "none"
    settings.DSAR_INBOX_IMAP_FOLDER = "Privacy"
    client = imaplib.IMAP4("127.0.0.1", port)
    client.login("demouser", "demopass")
    client.create("Privacy")
    yield client
    client.logout()
    process.terminate()
    process.wait(timeout=10)


def test_the_poller_stores_new_mail_marks_it_seen_and_keeps_loops_out(imap_server):
    imap_server.append("Privacy", None, None, build(attachments=(("id.pdf", PDF, "application", "pdf"),)))
    imap_server.append("Privacy", None, None, build(subject="Effacement", text=FR, message_id="<fr@x>"))
    imap_server.append("Privacy", None, None, build(message_id="<ooo@x>", headers={"Auto-Submitted": "auto-replied"}))
    assert imap.poll_mailbox() == {"stored": 2, "refused": 1, "failed": 0}
    items = {item.message_id: item for item in InboxItem.objects.all()}
    assert set(items) == {"<m1@mail.example.be>", "<fr@x>"}
    assert items["<m1@mail.example.be>"].source == InboxSource.IMAP
    assert items["<m1@mail.example.be>"].attachments.count() == 1
    assert items["<fr@x>"].guessed_type == "erasure"
    imap_server.select("Privacy")
    assert imap_server.uid("SEARCH", None, "UNSEEN")[1] == [b""]
    # The next poll finds nothing new.
    assert imap.poll_mailbox() == {"stored": 0, "refused": 0, "failed": 0}


def test_the_poller_does_nothing_without_a_host(settings):
    settings.DSAR_INBOX_IMAP_HOST = ""
    assert imap.poll_mailbox() == {"stored": 0, "refused": 0, "failed": 0}


@pytest.fixture
def anymail_settings(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:s3cret", "MAILGUN_WEBHOOK_SIGNING_KEY": "mailgun-key"}
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"hook:s3cret").decode()}


def test_a_signed_mailgun_post_becomes_an_item_and_a_forged_one_does_not(client, anymail_settings):
    raw = build(subject="Löschung meiner Daten", text=DE.replace("berichtigen", "löschen"), message_id="<mg@x>")
    timestamp, token = "1796000000", "a" * 50
    signature = hmac.new(b"mailgun-key", f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    post = {"body-mime": raw.decode(), "timestamp": timestamp, "token": token}
    forged = client.post("/anymail/mailgun/inbound_mime/", {**post, "signature": "0" * 64}, **anymail_settings)
    assert forged.status_code == 400
    assert not InboxItem.objects.exists()
    response = client.post("/anymail/mailgun/inbound_mime/", {**post, "signature": signature}, **anymail_settings)
    assert response.status_code == 200
    item = InboxItem.objects.get()
    assert (item.source, item.language, item.guessed_type) == (InboxSource.WEBHOOK, "de", "erasure")


def test_a_postmark_post_becomes_an_item_only_with_the_webhook_secret(client, anymail_settings):
    payload = {
        "FromFull": {"Email": "marie@example.fr", "Name": "Marie Dubois"},
        "ToFull": [{"Email": "privacy@dsar.localhost"}],
        "Subject": "Mes données",
        "MessageID": "pm-1",
        "TextBody": FR,
        "Headers": [{"Name": "Message-ID", "Value": "<pm@x>"}],
        "Attachments": [
            {"Name": "carte.pdf", "Content": base64.b64encode(PDF).decode(), "ContentType": "application/pdf"}
        ],
    }
    body = json.dumps(payload)
    refused = client.post("/anymail/postmark/inbound/", body, content_type="application/json")
    assert refused.status_code == 400
    response = client.post("/anymail/postmark/inbound/", body, content_type="application/json", **anymail_settings)
    assert response.status_code == 200
    item = InboxItem.objects.get()
    assert (item.sender, item.guessed_type, item.language) == ("marie@example.fr", "erasure", "fr")
    assert item.attachments.get().content_type == "application/pdf"


def test_a_sendgrid_raw_mime_post_becomes_an_item(client, anymail_settings):
    raw = build(message_id="<sg@x>")
    response = client.post("/anymail/sendgrid/inbound/", {"email": raw.decode()}, **anymail_settings)
    assert response.status_code == 200
    item = InboxItem.objects.get()
    assert (item.sender, item.guessed_type, item.language) == ("jan@example.be", "access", "nl")
    assert "kopie van mijn gegevens" in item.text


def test_an_auto_reply_through_a_webhook_is_accepted_but_not_stored(client, anymail_settings):
    raw = build(message_id="<ooo@x>", headers={"Auto-Submitted": "auto-replied"})
    response = client.post("/anymail/sendgrid/inbound/", {"email": raw.decode()}, **anymail_settings)
    assert response.status_code == 200
    assert not InboxItem.objects.exists()


def test_inbox_import_reads_eml_files(tmp_path, capsys):
    nl = tmp_path / "nl.eml"
    nl.write_bytes(build(text=NL))
    bounce = tmp_path / "bounce.eml"
    bounce.write_bytes(build(sender="mailer-daemon@mx.example.be", message_id="<b@x>"))
    call_command("inbox_import", str(nl), str(bounce))
    output = capsys.readouterr().out
    assert "refused (robot-sender)" in output
    assert InboxItem.objects.get().source == InboxSource.FILE
    with pytest.raises(CommandError):
        call_command("inbox_import", str(tmp_path / "missing.eml"))


def test_the_watched_folder_imports_dropped_files_once(tmp_path, settings):
    from requests_app.inbox.drop import import_dropped
    from requests_app.inbox.tasks import import_dropped_files

    settings.DSAR_INBOX_DROP_DIR = str(tmp_path)
    (tmp_path / "fr.eml").write_bytes(build(subject="Effacement", text=FR, message_id="<drop@x>"))
    (tmp_path / "ooo.eml").write_bytes(build(message_id="<ooo@x>", headers={"Auto-Submitted": "auto-replied"}))
    assert import_dropped_files() == {"stored": 1, "refused": 1}
    assert (tmp_path / "imported" / "fr.eml").exists()
    assert (tmp_path / "refused" / "ooo.eml").exists()
    assert import_dropped() == {"stored": 0, "refused": 0}
    assert InboxItem.objects.get().guessed_type == "erasure"
