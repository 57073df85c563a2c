"""Celery tasks of the e-mails every feature sends (requests_app.emails).

The tasks of a feature live in its package (``intake/tasks.py``,
``retention/tasks.py``...); config.celery_app discovers them there.
"""

from celery import shared_task

from requests_app import emails


class EmailNotSentYet(Exception):
    """The mail server refused or did not answer: Celery tries again later."""


# Celery's backoff (1, 2, 4 ... minutes with jitter, at most an hour); after
# the last retry the message is still pending and the sweep keeps trying it
# until DSAR_EMAIL_RETRY_HOURS have passed.
@shared_task(
    acks_late=True,
    autoretry_for=(EmailNotSentYet,),
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=6,
)
def deliver_email(email_id: int) -> None:
    if not emails.deliver(email_id):
        raise EmailNotSentYet(email_id)


@shared_task
def deliver_pending_emails() -> int:
    return emails.deliver_pending()
