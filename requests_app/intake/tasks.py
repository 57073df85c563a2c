"""Celery tasks of the intake.

Named as they were in requests_app.tasks, so that queued messages and beat
entries written before the move still find them.
"""

from celery import shared_task


@shared_task(name="requests_app.tasks.expire_unverified_requests")
def expire_unverified_requests() -> int:
    """Unconfirmed web/API requests expire after DSAR_VERIFICATION_DAYS; their personal data is purged."""
    from requests_app.intake.services import expire_unverified

    return expire_unverified()
