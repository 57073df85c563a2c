"""Celery tasks of the engine: thin wrappers that take ids and call gathering."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.utils.time import get_exponential_backoff_interval
from django.utils.translation import gettext_noop

from dsar import gathering
from dsar.connectors.base import ConnectorError, Message

log = logging.getLogger(__name__)


def _backoff(retries: int) -> int:
    # Celery's backoff with jitter (what retry_backoff/retry_jitter compute):
    # up to 5, 10, 20 s, at most 80 s, so a restarting source gets time to
    # come back. Not autoretry_for: its Retry is raised out of an eager call,
    # and the last attempt must record the failure in plain words (below).
    return get_exponential_backoff_interval(factor=5, retries=retries, maximum=80, full_jitter=True)


@shared_task(bind=True, max_retries=gathering.MAX_ATTEMPTS - 1, acks_late=True)
def gather_source(self, run_id: int) -> None:
    """Gather one source of a job; transient errors are retried with backoff."""
    try:
        gathering.run_source(run_id)
    except SoftTimeLimitExceeded:
        gathering.fail_source(run_id, gathering.TIME_LIMIT_MESSAGE)
    except ConnectorError as exc:
        if exc.transient and self.request.retries < self.max_retries:
            log.info("Source run %s: transient error, retry %s", run_id, self.request.retries + 1)
            # throw=False: the retry is scheduled (or, eagerly, run at once) and
            # this attempt ends normally; no result backend records it anyway.
            return self.retry(exc=exc, countdown=_backoff(self.request.retries), throw=False)
        message = exc.message
        if exc.transient:
            message = Message(
                gettext_noop("%(error)s (gave up after %(attempts)s attempts)"),
                error=message,
                attempts=self.request.retries + 1,
            )
        gathering.fail_source(run_id, message)
    except Exception as exc:
        # A bug or an unexpected library error: neither the DPO nor the log gets
        # its message or traceback, which may carry a subject's identifiers or a
        # connection string; the type is enough to start looking.
        log.error("Source run %s failed unexpectedly: %s", run_id, type(exc).__name__)
        gathering.fail_source(run_id, gathering.unexpected_error(exc))


@shared_task
def recover_runs() -> dict:
    """Every minute (dsar.schedules): send again what the broker lost, resume
    what a lost worker left."""
    from dsar import recovery

    return {**recovery.recover_runs(), **recovery.recover_plans()}
