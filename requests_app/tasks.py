"""Celery tasks of the ticket: thin wrappers around domain functions."""

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


@shared_task
def expire_unverified_requests() -> int:
    """Unconfirmed web/API requests expire after DSAR_VERIFICATION_DAYS; their personal data is purged."""
    from requests_app.intake.services import expire_unverified

    return expire_unverified()


@shared_task
def send_deadline_digests() -> int:
    from requests_app.workspace.reminders import send_daily_digests

    return send_daily_digests()


@shared_task
def send_forwarding_reminders() -> int:
    from requests_app.forwarding import send_due_reminders

    return send_due_reminders()


@shared_task
def apply_retention() -> dict:
    """DSAR_PAYLOAD_RETENTION_DAYS and DSAR_RECORD_RETENTION_YEARS (requests_app.retention)."""
    from requests_app import retention

    sweep = retention.apply_retention()
    return {"purged": sweep.purged, "deleted": sweep.deleted, "failed": sweep.failed, "held": sweep.held}


@shared_task
def resend_lost_exports() -> int:
    """Every minute: exports whose message the broker lost (requests_app.recovery)."""
    from requests_app import recovery

    return recovery.resend_lost_exports()
