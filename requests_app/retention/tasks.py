"""Celery tasks of the retention.

Named as it was in requests_app.tasks, so that queued messages and beat
entries written before the move still find it.
"""

from celery import shared_task


@shared_task(name="requests_app.tasks.apply_retention")
def apply_retention() -> dict:
    """DSAR_PAYLOAD_RETENTION_DAYS and DSAR_RECORD_RETENTION_YEARS (requests_app.retention)."""
    from requests_app.retention import services

    sweep = services.apply_retention()
    return {"purged": sweep.purged, "deleted": sweep.deleted, "failed": sweep.failed, "held": sweep.held}
