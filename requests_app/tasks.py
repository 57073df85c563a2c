"""Celery tasks of the ticket: thin wrappers around domain functions."""

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
