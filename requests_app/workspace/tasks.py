"""Celery tasks of the workspace.

Named as they were in requests_app.tasks, so that queued messages and beat
entries written before the move still find them.
"""

from celery import shared_task


@shared_task(name="requests_app.tasks.send_deadline_digests")
def send_deadline_digests() -> int:
    from requests_app.workspace.reminders import send_daily_digests

    return send_daily_digests()
