"""Inbound e-mail through an ESP's webhook (django-anymail).

Anymail checks the request before the signal is sent: the shared secret of
the webhook URL (``ANYMAIL["WEBHOOK_SECRET"]``, basic authentication) for
every ESP, and the ESP's own signature where it signs (Mailgun's
``MAILGUN_WEBHOOK_SIGNING_KEY``, Amazon SES's SNS signature...). A post that
fails those checks never reaches this module.
"""

from __future__ import annotations

import logging

from anymail.signals import inbound
from django.dispatch import receiver

from requests_app.inbox import services
from requests_app.inbox.models import InboxSource

log = logging.getLogger(__name__)


@receiver(inbound, dispatch_uid="requests_app.inbox.webhooks.store_inbound")
def store_inbound(sender, event, esp_name, **kwargs) -> None:
    """Store the message as the ESP forwarded it (raw MIME, attachments included)."""
    try:
        services.receive(event.message.as_bytes(), source=InboxSource.WEBHOOK)
    except services.MessageRefused as exc:
        # Answered 200 all the same: an ESP retries an error, and would resend a bounce for ever.
        log.info("Inbox: %s inbound message refused (%s).", esp_name, exc)
