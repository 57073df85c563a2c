"""Periodic tasks of the ticket (merged into Celery beat by config.celery_app)."""

from datetime import timedelta

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "deliver-pending-emails": {"task": "requests_app.tasks.deliver_pending_emails", "schedule": timedelta(minutes=1)},
    # Exports whose message the broker lost (requests_app.recovery).
    "resend-lost-exports": {"task": "requests_app.tasks.resend_lost_exports", "schedule": timedelta(minutes=1)},
    "expire-unverified-requests": {
        "task": "requests_app.tasks.expire_unverified_requests",
        "schedule": timedelta(hours=1),
    },
    # Providers silent about a forwarded request are reminded (working days).
    "forwarding-reminders": {
        "task": "requests_app.tasks.send_forwarding_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    # Retention of the desk's own records; hourly so that a batch left over
    # (more than BATCH_SIZE due at once) is caught up within the day.
    "apply-retention": {"task": "requests_app.tasks.apply_retention", "schedule": timedelta(hours=1)},
    # The workspace's morning digest of deadlines (CELERY_TIMEZONE is the controller's).
    "deadline-digests": {"task": "requests_app.tasks.send_deadline_digests", "schedule": crontab(hour=7, minute=30)},
}
