"""The embedded e-mail backend: a local outbox a user can read without any provider."""

import logging
import time
import uuid

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

log = logging.getLogger(__name__)


class OutboxBackend(BaseEmailBackend):
    """Writes each message as an .eml file in ``DSAR_OUTBOX_DIR``.

    The files are listed and rendered at /dev/outbox/ when DEBUG is on.
    """

    def send_messages(self, email_messages):
        outbox = settings.DSAR_OUTBOX_DIR
        outbox.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            name = f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}.eml"
            path = outbox / name
            path.write_bytes(message.message().as_bytes())
            path.chmod(0o600)
            log.info("E-mail written to the local outbox: %s (open /dev/outbox/ to read it)", name)
            sent += 1
        return sent
