"""Writes of the retention: the periodic sweep (see the package's docstring)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from requests_app import workflow
from requests_app.retention import selectors

log = logging.getLogger(__name__)

BATCH_SIZE = 200


@dataclass
class Sweep:
    purged: int = 0
    deleted: int = 0
    failed: int = 0
    # Past a period but under a retention hold: left alone.
    held: int = 0


def apply_retention(*, now: dt.datetime | None = None, batch_size: int = BATCH_SIZE) -> Sweep:
    """Purge the payloads and delete the records whose period ended, a batch of each.

    A request that fails is logged and left for the next run; the others go on.
    A request under a retention hold is left alone and counted in ``held``.
    """
    now = now or timezone.now()
    sweep = Sweep()
    sweep.held = selectors.held_back(now)
    for request in selectors.payloads_due(now)[:batch_size]:
        try:
            workflow.purge_personal_data(request, actor=workflow.SYSTEM, reason="retention")
            sweep.purged += 1
        except workflow.RetentionHeld:
            # Held between the query and the row lock.
            sweep.held += 1
        except Exception:
            log.exception("Retention: could not purge %s", request.reference)
            sweep.failed += 1
    for request in selectors.records_due(now)[:batch_size]:
        try:
            if not request.purged_at:
                workflow.purge_personal_data(request, actor=workflow.SYSTEM, reason="retention")
            workflow.delete_records(
                request, actor=workflow.SYSTEM, retention_years=settings.DSAR_RECORD_RETENTION_YEARS
            )
            sweep.deleted += 1
        except workflow.RetentionHeld:
            sweep.held += 1
        except Exception:
            log.exception("Retention: could not delete the records of %s", request.reference)
            sweep.failed += 1
    log.info(
        "Retention: %s purged, %s records deleted, %s failed, %s skipped under a retention hold.",
        sweep.purged,
        sweep.deleted,
        sweep.failed,
        sweep.held,
    )
    return sweep
