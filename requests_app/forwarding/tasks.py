"""Celery tasks of the forwarding.

Named as they were in requests_app.tasks, so that queued messages and beat
entries written before the move still find them.
"""

from celery import shared_task


@shared_task(name="requests_app.tasks.send_forwarding_reminders")
def send_forwarding_reminders() -> int:
    from requests_app.forwarding.services import send_due_reminders

    return send_due_reminders()
