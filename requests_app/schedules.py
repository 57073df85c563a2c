"""Periodic tasks of the e-mails (merged into Celery beat by config.celery_app).

Each feature declares its own in its package's ``schedules`` module.
"""

from datetime import timedelta

BEAT_SCHEDULE = {
    "deliver-pending-emails": {"task": "requests_app.tasks.deliver_pending_emails", "schedule": timedelta(minutes=1)},
}
