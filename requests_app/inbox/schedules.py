"""Periodic tasks of the inbox (merged into Celery beat by config.celery_app)."""

from datetime import timedelta

from django.conf import settings

BEAT_SCHEDULE = {
    "poll-privacy-mailbox": {
        "task": "requests_app.inbox.tasks.poll_mailbox",
        "schedule": timedelta(seconds=settings.DSAR_INBOX_POLL_SECONDS),
    },
    "import-dropped-emails": {
        "task": "requests_app.inbox.tasks.import_dropped_files",
        "schedule": timedelta(seconds=15),
    },
    "redact-expired-inbox-items": {
        "task": "requests_app.inbox.tasks.redact_expired_items",
        "schedule": timedelta(hours=6),
    },
}
