"""Celery tasks of the execution: thin wrappers around ``service``."""

from celery import shared_task
from django.db import transaction

from dsar.connectors.base import TransientConnectorError
from dsar.execution import deferred, service
from dsar.execution.models import Plan
from dsar.queueing import enqueue

MAX_RETRIES = 4


@shared_task(acks_late=True)
def compute_plan(plan_id: int) -> None:
    with transaction.atomic():
        service.compute(plan_id)


@shared_task(acks_late=True)
def execute_plan(plan_id: int) -> None:
    for run_id in service.runs_to_execute(Plan.objects.get(pk=plan_id)):
        enqueue(execute_run, (run_id,), what=f"execution of run {run_id}")


# A connection problem is retried with Celery's backoff (30 s, 1, 2, 4 min,
# with jitter) like gathering; the last attempt records the failure on the run.
@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(TransientConnectorError,),
    retry_backoff=30,
    retry_backoff_max=240,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
)
def execute_run(self, run_id: int) -> None:
    service.execute_run(run_id, final_attempt=self.request.retries >= MAX_RETRIES or self.request.is_eager)


@shared_task(acks_late=True)
def execute_deferred_erasures() -> None:
    """Daily: erase the records whose legal hold has ended."""
    deferred.execute_due()
