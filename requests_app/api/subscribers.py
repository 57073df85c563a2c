"""The active webhook subscriptions, read once per process.

Every workflow event asks which subscriptions want it, in its transaction, in
the process that records it (the deliveries are written with the event): a
query per event, for a list that changes when an administrator edits a
subscription (issue 17: a tenth of an intake's time went to that query and to
the one effect read before it). Each process keeps the list with a version, a
counter in the shared cache that every save or delete of a subscription bumps
once committed; the version is read at each event, so an event recorded after
a subscription's change was committed is sent as that change says, in every
process. A change that bypasses the signals (a bulk ``update()``, SQL by hand)
is seen within ``MAX_AGE`` seconds. When the cache is unreachable the
database is read, as before. The mechanism is ``dsar.core.kept``, as for the
intake form's register and the copies' register.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models.signals import post_delete, post_save

from dsar.core.kept import UNREAD, KeptPerProcess
from requests_app.api.models import WebhookSubscription

VERSION_KEY = "webhooks:subscriptions-version"
MAX_AGE = 300.0


def _read() -> tuple[WebhookSubscription, ...]:
    return tuple(WebhookSubscription.objects.filter(active=True).only("pk", "events").order_by("pk"))


_subscriptions = KeptPerProcess(VERSION_KEY, _read, what="Webhook subscriptions'", max_age=MAX_AGE)

# The version already read in this request's own round trip to the cache (the
# intake reads it with its rate limits, ``version_known``); None: the cache
# was unavailable then.
_read_before: ContextVar[object] = ContextVar("webhook_subscriptions_version", default=UNREAD)


@contextmanager
def version_known(version) -> Iterator[None]:
    """Events recorded in this block use ``version``, read with other keys in
    one round trip a moment before (issue 17: the public intake makes two
    round trips to Redis before it answers, and no more)."""
    token = _read_before.set(version)
    try:
        yield
    finally:
        _read_before.reset(token)


def active() -> tuple[WebhookSubscription, ...]:
    """The active subscriptions (``pk`` and ``events`` read), fresh as of the last committed change."""
    return _subscriptions.get(version=_read_before.get())


post_save.connect(_subscriptions.changed, sender=WebhookSubscription, dispatch_uid="webhooks-subscribers-saved")
post_delete.connect(_subscriptions.changed, sender=WebhookSubscription, dispatch_uid="webhooks-subscribers-deleted")
