"""Celery tasks of the API: thin wrappers around requests_app.api.webhooks."""

from celery import shared_task

from requests_app.api import webhooks


@shared_task(bind=True, max_retries=webhooks.MAX_ATTEMPTS, acks_late=True)
def deliver_webhook(self, delivery_id: str) -> None:
    wait = webhooks.deliver(delivery_id)
    # Exponential backoff, computed and recorded by the domain function. Run
    # eagerly (tests, no broker) a retry would fire at once: the sweep takes it.
    if wait is not None and not self.request.is_eager:
        raise self.retry(countdown=wait)


@shared_task
def deliver_due_webhooks() -> int:
    return webhooks.deliver_due()
