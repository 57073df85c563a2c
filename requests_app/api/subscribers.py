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
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

from requests_app.api.models import WebhookSubscription

log = logging.getLogger(__name__)

VERSION_KEY = "webhooks:subscriptions-version"
MAX_AGE = 300.0

# (version, read at, the active subscriptions with their events only)
_kept: tuple[object, float, tuple[WebhookSubscription, ...]] | None = None


_UNREAD = object()
# The version already read in this request's own round trip to the cache (the
# intake reads it with its rate limits, ``version_known``); None: the cache
# was unavailable then.
_read_before: ContextVar[object] = ContextVar("webhook_subscriptions_version", default=_UNREAD)


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
    global _kept
    version = _read_before.get()
    if version is _UNREAD:
        try:
            version = cache.get(VERSION_KEY, 0)
        except Exception as exc:
            log.warning("Webhook subscriptions' version not read: the cache is unavailable (%s).", type(exc).__name__)
            version = None
    kept = _kept
    if version is not None and kept is not None and kept[0] == version and time.monotonic() - kept[1] <= MAX_AGE:
        return kept[2]
    subscriptions = tuple(WebhookSubscription.objects.filter(active=True).only("pk", "events").order_by("pk"))
    # Not kept when read in a transaction that changed a subscription: a
    # rollback would undo what the list holds. Any other transaction reads
    # only what was committed.
    if version is not None and not _changed_in_this_transaction():
        _kept = (version, time.monotonic(), subscriptions)
    return subscriptions


def _changed_in_this_transaction() -> bool:
    """Whether the open transaction saved or deleted a subscription: its
    ``_bump`` waits for the commit (Django drops it on a rollback)."""
    return connection.in_atomic_block and any(entry[1] is _bump for entry in connection.run_on_commit)


def _bump() -> None:
    global _kept
    _kept = None
    try:
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)
    except Exception as exc:
        log.warning("Webhook subscriptions' version not bumped: the cache is unavailable (%s).", type(exc).__name__)


def subscription_changed(**kwargs) -> None:
    """This process reads the list again at once; every process, once the change is committed."""
    global _kept
    _kept = None
    transaction.on_commit(_bump)


post_save.connect(subscription_changed, sender=WebhookSubscription, dispatch_uid="webhooks-subscribers-saved")
post_delete.connect(subscription_changed, sender=WebhookSubscription, dispatch_uid="webhooks-subscribers-deleted")
