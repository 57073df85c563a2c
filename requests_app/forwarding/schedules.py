"""Periodic tasks of the forwarding (merged into Celery beat by config.celery_app)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Providers silent about a forwarded request are reminded (working days).
    "forwarding-reminders": {
        "task": "requests_app.tasks.send_forwarding_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
}
