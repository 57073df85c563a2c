"""The engine's periodic tasks (merged into beat by config.celery_app)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Lost messages sent again, runs of lost workers resumed (dsar.recovery).
    "dsar-recover-runs": {"task": "dsar.tasks.recover_runs", "schedule": 60.0},
    # Records kept under a legal hold are erased the day their hold ends; a
    # failure (a row still referred to) is tried again the next day.
    "dsar-deferred-erasures": {
        "task": "dsar.execution.tasks.execute_deferred_erasures",
        "schedule": crontab(hour=3, minute=30),
    },
}
