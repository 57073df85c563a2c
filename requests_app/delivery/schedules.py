"""Periodic tasks of the delivery (merged into Celery beat by config.celery_app)."""

from datetime import timedelta

BEAT_SCHEDULE = {
    # Files go when their link expires (data minimisation, Art. 5(1)(c)).
    "delete-expired-exports": {
        "task": "requests_app.downloads.tasks.delete_expired_exports",
        "schedule": timedelta(hours=1),
    },
}
