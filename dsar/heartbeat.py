"""A running source says it is alive, so that a lost worker is noticed in a minute.

A worker killed mid-search (out of memory, a host restart, SIGKILL) leaves its
run "running" with nobody behind it. While a source runs, a small thread
stamps ``SourceRun.heartbeat_at`` every ``INTERVAL`` seconds; ``dsar.recovery``
resumes a running run whose heartbeat is older than ``LOST_AFTER``. A thread,
not the task itself: a connector may wait in one long call (a slow query) for
minutes, and that is not a lost worker.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from contextlib import contextmanager

from django.db import close_old_connections, connection
from django.utils import timezone

log = logging.getLogger(__name__)

INTERVAL = 15  # seconds between two beats
LOST_AFTER = 60  # four missed beats: the worker is gone


def is_lost(run) -> bool:
    """Whether a running run's worker has stopped beating."""
    last = run.heartbeat_at or run.started_at
    return last is None or timezone.now() - last > dt.timedelta(seconds=LOST_AFTER)


def beat(run_id: int) -> None:
    from dsar.models import SourceRun

    SourceRun.objects.filter(pk=run_id, status=SourceRun.Status.RUNNING).update(heartbeat_at=timezone.now())


def _beat_until(run_id: int, stop: threading.Event) -> None:
    try:
        while not stop.wait(INTERVAL):
            try:
                beat(run_id)
            except Exception as exc:  # the database restarting: the next beat tries again
                log.warning("Heartbeat of source run %s not recorded (%s).", run_id, type(exc).__name__)
                close_old_connections()
    finally:
        # The thread's own database connection: never left open.
        connection.close()


@contextmanager
def beating(run_id: int):
    """Stamp the run's heartbeat every INTERVAL seconds while the block runs."""
    stop = threading.Event()
    thread = threading.Thread(target=_beat_until, args=(run_id, stop), name=f"heartbeat-{run_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=INTERVAL)
