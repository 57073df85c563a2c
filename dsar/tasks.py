"""Celery tasks of the engine: thin wrappers that take ids and call gathering."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from dsar import gathering
from dsar.connectors.base import ConnectorError

log = logging.getLogger(__name__)


def _backoff(retries: int) -> int:
    # 5 s, 20 s, 80 s: a source that is restarting gets time to come back.
    return 5 * 4**retries


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
        message = str(exc)
        if exc.transient:
            message = f"{message} (gave up after {self.request.retries + 1} attempts)"
        gathering.fail_source(run_id, message)
    except Exception as exc:
        # A bug or an unexpected library error: neither the DPO nor the log gets
        # its message or traceback, which may carry a subject's identifiers or a
        # connection string; the type is enough to start looking.
        log.error("Source run %s failed unexpectedly: %s", run_id, type(exc).__name__)
        gathering.fail_source(run_id, f"Unexpected error ({type(exc).__name__}); see the worker log.")
