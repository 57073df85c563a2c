"""Celery tasks of the API: thin wrappers around requests_app.api.webhooks."""

from celery import shared_task

from requests_app.api import webhooks


class NotDeliveredYet(Exception):
    """The receiver failed or did not answer: Celery tries again later."""


# Celery's backoff with jitter (1, 2, 4 ... minutes, at most 6 hours); the
# domain records its own next_retry_at, which the claim respects, and the
# sweep takes over a retry that was lost.
@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(NotDeliveredYet,),
    retry_backoff=webhooks.FIRST_RETRY_SECONDS,
    retry_backoff_max=webhooks.MAX_RETRY_SECONDS,
    retry_jitter=True,
    max_retries=webhooks.MAX_ATTEMPTS,
)
def deliver_webhook(self, delivery_id: str) -> None:
    wait = webhooks.deliver(delivery_id)
    # Run eagerly (tests, no broker) a retry would fire at once: the sweep takes it.
    if wait is not None and not self.request.is_eager:
        raise NotDeliveredYet(delivery_id)


@shared_task
def deliver_due_webhooks() -> int:
    return webhooks.deliver_due()
