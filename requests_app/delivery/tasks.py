"""Celery tasks of the delivery: thin wrappers around its services.

The names are those the tasks had in requests_app.downloads.tasks: queued
messages and beat entries written before the move still find them.
"""

from celery import shared_task


@shared_task(name="requests_app.downloads.tasks.generate_exports_task", bind=True, max_retries=3, acks_late=True)
def generate_exports_task(self, request_id: int) -> int:
    from requests_app.delivery import services
    from requests_app.models import SubjectRequest

    request = SubjectRequest.objects.filter(pk=request_id).first()
    if request is None:
        return 0
    try:
        return len(services.generate_exports(request))
    except OSError as exc:  # a full or unavailable disk: try again later
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc


@shared_task(name="requests_app.downloads.tasks.delete_expired_exports")
def delete_expired_exports() -> int:
    from requests_app.delivery import services

    return services.delete_expired_files()
