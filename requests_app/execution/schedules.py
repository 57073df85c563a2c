"""Periodic tasks of the execution (merged into Celery beat by config.celery_app)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Scheduled liftings of restrictions (Art. 18(3)): each runs once its
    # notice left the outbox and its date came; hourly is precise enough.
    "restriction-lifts": {
        "task": "requests_app.execution.tasks.run_due_restriction_lifts",
        "schedule": crontab(minute=20),
    },
}
