"""Periodic tasks of the retention (merged into Celery beat by config.celery_app)."""

from datetime import timedelta

BEAT_SCHEDULE = {
    # Retention of the desk's own records; hourly so that a batch left over
    # (more than BATCH_SIZE due at once) is caught up within the day.
    "apply-retention": {"task": "requests_app.tasks.apply_retention", "schedule": timedelta(hours=1)},
}
