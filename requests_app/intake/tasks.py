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


@shared_task(name="requests_app.intake.tasks.create_reference_sequences")
def create_reference_sequences() -> None:
    """Create this year's and next year's reference sequence ahead (PostgreSQL),
    so that the first request of a year does not create it inside its own
    transaction, where a concurrent first request would wait for its commit."""
    from django.db import connection
    from django.utils import timezone

    from requests_app.workflow.references import ensure_reference_sequence

    if connection.vendor != "postgresql":
        return
    year = timezone.localdate().year
    for each in (year, year + 1):
        ensure_reference_sequence(each)
