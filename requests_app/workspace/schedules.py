"""Periodic tasks of the workspace (merged into Celery beat by config.celery_app)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # The workspace's morning digest of deadlines (CELERY_TIMEZONE is the controller's).
    "deadline-digests": {"task": "requests_app.tasks.send_deadline_digests", "schedule": crontab(hour=7, minute=30)},
}
