"""Enqueueing that never breaks the caller: the database is the queue of record.

Every piece of queued work (a source run, an e-mail, a webhook delivery, an
export, a plan step) is stored before its message is sent, so a broker that
is down or loses a message delays the work but never loses it: the periodic
sweepers (``dsar.recovery``, ``requests_app.emails``, ``requests_app.api.webhooks``)
send it again. A broker error is therefore logged, never raised: a web request
that changed the database must not answer 500 because a message could not go.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def enqueue(task, args: tuple = (), *, what: str = "", **options) -> bool:
    """``task.apply_async(args, **options)``, or a warning when the broker is
    unreachable. Returns whether the message was handed to the broker."""
    try:
        task.apply_async(args, **options)
    except Exception as exc:  # kombu's OperationalError, a socket error, a full disk...
        log.warning(
            "Could not enqueue %s (%s); it stays in the database for the sweeper.",
            what or task.name,
            type(exc).__name__,
        )
        return False
    return True
