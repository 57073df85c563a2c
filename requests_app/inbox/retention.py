"""How long the inbox keeps what it received (storage limitation, Art. 5(1)(e)).

An item made into a request, or added to one, was copied onto the request,
whose own retention applies from then: the item's copy is redacted after
``DSAR_INBOX_HANDLED_DAYS``. A dismissed item was not a request; it is kept
``DSAR_INBOX_DISMISSED_DAYS`` to show why it was dismissed, then redacted.
The item's row, state and events stay as evidence of the decision, naming no one.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from requests_app.inbox.models import InboxItem, InboxState

REDACTED = "redacted@invalid"


def redact(item: InboxItem) -> None:
    with transaction.atomic():
        for attachment in item.attachments.all():
            attachment.file.delete(save=False)
        item.attachments.all().delete()
        item.sender = REDACTED
        item.sender_name = ""
        item.subject = ""
        item.text = ""
        item.dismiss_reason = ""
        item.save(update_fields=["sender", "sender_name", "subject", "text", "dismiss_reason"])


def redact_expired(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    handled = now - dt.timedelta(days=settings.DSAR_INBOX_HANDLED_DAYS)
    dismissed = now - dt.timedelta(days=settings.DSAR_INBOX_DISMISSED_DAYS)
    expired = InboxItem.objects.exclude(sender=REDACTED).filter(
        Q(state__in=(InboxState.CONVERTED, InboxState.ATTACHED), handled_at__lt=handled)
        | Q(state=InboxState.DISMISSED, handled_at__lt=dismissed)
    )
    count = 0
    for item in expired:
        redact(item)
        count += 1
    return count
