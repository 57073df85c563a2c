"""The worker finds every task under the name queued messages and beat use.

Tasks live in their feature's package (requests_app.intake.tasks...), which
Celery's autodiscovery alone would not import; their names are those they had
before the move, so messages already in the broker still run.
"""

from config.celery_app import app

# The names as they were when the tasks lived in requests_app/tasks.py and
# requests_app/downloads/tasks.py: a message queued by an older release names these.
PUBLISHED_NAMES = {
    "requests_app.tasks.deliver_email",
    "requests_app.tasks.deliver_pending_emails",
    "requests_app.tasks.expire_unverified_requests",
    "requests_app.tasks.send_deadline_digests",
    "requests_app.tasks.send_forwarding_reminders",
    "requests_app.tasks.apply_retention",
    "requests_app.downloads.tasks.generate_exports_task",
    "requests_app.downloads.tasks.delete_expired_exports",
    "requests_app.api.tasks.deliver_webhook",
    "requests_app.api.tasks.deliver_due_webhooks",
}


def _registered() -> set[str]:
    app.loader.import_default_modules()
    return {name for name in app.tasks if not name.startswith("celery.")}


def test_it_registers_every_task_under_its_published_name():
    assert PUBLISHED_NAMES <= _registered()


def test_every_beat_entry_names_a_registered_task():
    app.finalize()
    schedule = app.conf.beat_schedule
    assert {
        "deliver-pending-emails",
        "expire-unverified-requests",
        "forwarding-reminders",
        "apply-retention",
        "deadline-digests",
        "delete-expired-exports",
    } <= set(schedule)
    registered = _registered()
    assert {entry["task"] for entry in schedule.values()} <= registered
