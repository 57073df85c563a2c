"""Periodic tasks of the API (merged into Celery beat by config.celery_app)."""

from datetime import timedelta

BEAT_SCHEDULE = {
    "deliver-due-webhooks": {"task": "requests_app.api.tasks.deliver_due_webhooks", "schedule": timedelta(minutes=1)},
}
