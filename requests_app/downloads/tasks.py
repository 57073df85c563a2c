"""Celery tasks of the delivery: thin wrappers around requests_app.delivery."""

from celery import shared_task


# A full or unavailable disk: Celery tries again with its backoff (1, 2, 4
# minutes, with jitter); a message lost on the way is resent by the sweep
# (requests_app.recovery).
@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=60,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=3,
)
def generate_exports_task(request_id: int) -> int:
    from requests_app import delivery
    from requests_app.models import SubjectRequest

    request = SubjectRequest.objects.filter(pk=request_id).first()
    if request is None:
        return 0
    return len(delivery.generate_exports(request))


@shared_task
def delete_expired_exports() -> int:
    from requests_app import delivery

    return delivery.delete_expired_files()
