"""The watched folder: raw e-mails (.eml) dropped in ``DSAR_INBOX_DROP_DIR``
become inbox items, so a newcomer can try the mailbox in ``make run``
without an IMAP account (save a message from any mail client, drop it)."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings

from requests_app.inbox import services
from requests_app.inbox.models import InboxSource

log = logging.getLogger(__name__)


def import_dropped(folder: Path | None = None) -> dict[str, int]:
    """Import every .eml of the folder; each file is then moved to
    ``imported/`` or ``refused/`` so it is read once. Returns counts."""
    counts = {"stored": 0, "refused": 0}
    folder = folder or (Path(settings.DSAR_INBOX_DROP_DIR) if settings.DSAR_INBOX_DROP_DIR else None)
    if folder is None or not folder.is_dir():
        return counts
    for path in sorted(folder.glob("*.eml")):
        try:
            services.receive(path.read_bytes(), source=InboxSource.FILE)
            outcome = "imported"
            counts["stored"] += 1
        except services.MessageRefused as exc:
            log.info("Inbox: %s refused (%s).", path.name, exc)
            outcome = "refused"
            counts["refused"] += 1
        (folder / outcome).mkdir(exist_ok=True)
        path.replace(folder / outcome / path.name)
    if counts["stored"]:
        # The routine lines of this 15-second task are silenced (config.logging): say when it did something.
        log.info("Inbox: dropped e-mails imported: %d.", counts["stored"])
    return counts
