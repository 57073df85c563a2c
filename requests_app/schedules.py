"""Periodic tasks of the ticket (merged into Celery beat by config.celery_app)."""

from datetime import timedelta

BEAT_SCHEDULE = {
    "deliver-pending-emails": {"task": "requests_app.tasks.deliver_pending_emails", "schedule": timedelta(minutes=1)},
    "expire-unverified-requests": {
        "task": "requests_app.tasks.expire_unverified_requests",
        "schedule": timedelta(hours=1),
    },
}
