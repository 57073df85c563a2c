"""Polling the privacy mailbox over IMAP (standard library ``imaplib``).

Each unseen message is stored as an inbox item and then marked seen; a
message the desk could not store stays unseen and is tried again at the next
poll. A crash between storing and marking is harmless: the second delivery
has the same Message-ID and is recognised (``services.receive``).
"""

from __future__ import annotations

import imaplib
import logging
import ssl

from django.conf import settings

from requests_app.inbox import services
from requests_app.inbox.models import InboxSource

log = logging.getLogger(__name__)


def connect() -> imaplib.IMAP4:
    host, port, security = (
        settings.DSAR_INBOX_IMAP_HOST,
        settings.DSAR_INBOX_IMAP_PORT,
        settings.DSAR_INBOX_IMAP_SECURITY,
    )
    context = ssl.create_default_context()
    if security == "ssl":
        client: imaplib.IMAP4 = imaplib.IMAP4_SSL(host, port, ssl_context=context, timeout=30)
    else:
        client = imaplib.IMAP4(host, port, timeout=30)
        if security == "starttls":
            client.starttls(ssl_context=context)
    client.login(settings.DSAR_INBOX_IMAP_USER, settings.DSAR_INBOX_IMAP_PASSWORD)
    return client


def poll_mailbox() -> dict[str, int]:
    """Fetch the unseen messages of the configured folder. Returns counts
    (stored, refused by the loop guard or the size limit, failed)."""
    counts = {"stored": 0, "refused": 0, "failed": 0}
    if not settings.DSAR_INBOX_IMAP_HOST:
        return counts
    client = connect()
    try:
        status, _ = client.select(settings.DSAR_INBOX_IMAP_FOLDER)
        if status != "OK":
            raise imaplib.IMAP4.error(f"cannot open folder {settings.DSAR_INBOX_IMAP_FOLDER}")
        _, data = client.uid("SEARCH", None, "UNSEEN")
        for uid in (data[0] or b"").split():
            # PEEK: reading does not mark the message seen; only a stored one is.
            _, parts = client.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((part[1] for part in parts if isinstance(part, tuple)), None)
            if raw is None:
                counts["failed"] += 1
                continue
            try:
                services.receive(raw, source=InboxSource.IMAP)
                counts["stored"] += 1
            except services.MessageRefused:
                counts["refused"] += 1
            except Exception:
                log.exception("Inbox: IMAP message %s not stored; it stays unseen for the next poll.", uid.decode())
                counts["failed"] += 1
                continue
            client.uid("STORE", uid, "+FLAGS", r"(\Seen)")
    finally:
        try:
            client.logout()
        except (OSError, imaplib.IMAP4.error):
            pass
    return counts
