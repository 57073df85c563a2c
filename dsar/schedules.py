"""The engine's periodic tasks (merged into beat by config.celery_app)."""

BEAT_SCHEDULE = {
    "dsar-fail-stale-runs": {"task": "dsar.tasks.fail_stale_runs", "schedule": 300.0},
}
