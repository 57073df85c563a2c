"""Celery tasks of the e-mails every feature sends (requests_app.emails).

The tasks of a feature live in its package (``intake/tasks.py``,
``retention/tasks.py``...); config.celery_app discovers them there.
"""

from celery import shared_task

from requests_app import emails


@shared_task(bind=True, max_retries=6, acks_late=True)
def deliver_email(self, email_id: int) -> None:
    if not emails.deliver(email_id):
        # Exponential backoff: 1, 2, 4 ... minutes; the sweep takes over after that.
        raise self.retry(countdown=60 * 2**self.request.retries)


@shared_task
def deliver_pending_emails() -> int:
    return emails.deliver_pending()
