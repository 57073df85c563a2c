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
database is read, as before. The same scheme as the intake form's register
(``requests_app.intake.register_cache``).
"""

from __future__ import annotations

import logging
import time

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

from requests_app.api.models import WebhookSubscription

log = logging.getLogger(__name__)

VERSION_KEY = "webhooks:subscriptions-version"
MAX_AGE = 300.0

# (version, read at, the active subscriptions with their events only)
_kept: tuple[object, float, tuple[WebhookSubscription, ...]] | None = None
# When this process changed a subscription in a transaction not yet committed:
# a list read meanwhile may hold that change, which a rollback would undo, so
# it is not kept. No transaction holds a change that long; if one was rolled
# back, lists are kept again after it.
_changed_at: float | None = None
CHANGE_SETTLES = 60.0


def active() -> tuple[WebhookSubscription, ...]:
    """The active subscriptions (``pk`` and ``events`` read), fresh as of the last committed change."""
    global _kept
    try:
        version = cache.get(VERSION_KEY, 0)
    except Exception as exc:
        log.warning("Webhook subscriptions' version not read: the cache is unavailable (%s).", type(exc).__name__)
        version = None
    kept = _kept
    if version is not None and kept is not None and kept[0] == version and time.monotonic() - kept[1] <= MAX_AGE:
        return kept[2]
    subscriptions = tuple(WebhookSubscription.objects.filter(active=True).only("pk", "events").order_by("pk"))
    # Not kept when it may hold this process's change of a transaction not yet
    # committed; otherwise what any transaction reads is committed.
    changing = _changed_at is not None and time.monotonic() - _changed_at < CHANGE_SETTLES
    if version is not None and not (changing and connection.in_atomic_block):
        _kept = (version, time.monotonic(), subscriptions)
    return subscriptions


def _bump() -> None:
    global _kept, _changed_at
    _kept = None
    _changed_at = None
    try:
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)
    except Exception as exc:
        log.warning("Webhook subscriptions' version not bumped: the cache is unavailable (%s).", type(exc).__name__)


def subscription_changed(**kwargs) -> None:
    """This process reads the list again at once; every process, once the change is committed."""
    global _kept, _changed_at
    _kept = None
    _changed_at = time.monotonic()
    transaction.on_commit(_bump)


post_save.connect(subscription_changed, sender=WebhookSubscription, dispatch_uid="webhooks-subscribers-saved")
post_delete.connect(subscription_changed, sender=WebhookSubscription, dispatch_uid="webhooks-subscribers-deleted")
