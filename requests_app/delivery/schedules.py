"""Periodic tasks of the delivery (merged into Celery beat by config.celery_app)."""

from datetime import timedelta

BEAT_SCHEDULE = {
    # Files go when their link expires (data minimisation, Art. 5(1)(c)).
    "delete-expired-exports": {
        "task": "requests_app.downloads.tasks.delete_expired_exports",
        "schedule": timedelta(hours=1),
    },
    # Exports whose generation message the broker lost.
    "resend-lost-exports": {
        "task": "requests_app.delivery.tasks.resend_lost_exports",
        "schedule": timedelta(minutes=1),
    },
}
