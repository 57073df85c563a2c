"""Periodic tasks of the intake (merged into Celery beat by config.celery_app)."""

from datetime import timedelta

BEAT_SCHEDULE = {
    "expire-unverified-requests": {
        "task": "requests_app.tasks.expire_unverified_requests",
        "schedule": timedelta(hours=1),
    },
    "create-reference-sequences": {
        "task": "requests_app.intake.tasks.create_reference_sequences",
        "schedule": timedelta(days=1),
    },
}
