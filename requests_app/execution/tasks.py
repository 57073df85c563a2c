"""Celery tasks of the execution (ticket side): the scheduled liftings of restrictions."""

from celery import shared_task


@shared_task(name="requests_app.execution.tasks.run_due_restriction_lifts")
def run_due_restriction_lifts() -> int:
    """Art. 18(3): lift the restrictions whose notice was delivered and whose date came."""
    from requests_app.execution.services import run_due_lifts

    return run_due_lifts()
