"""Celery tasks of the delivery: thin wrappers around requests_app.delivery."""

from celery import shared_task


@shared_task(bind=True, max_retries=3, acks_late=True)
def generate_exports_task(self, request_id: int) -> int:
    from dsar.exports.pdf_export import PdfUnavailable
    from requests_app import delivery
    from requests_app.models import SubjectRequest

    request = SubjectRequest.objects.filter(pk=request_id).first()
    if request is None:
        return 0
    try:
        return len(delivery.generate_exports(request))
    except PdfUnavailable as exc:
        # A system library is missing: no retry installs it. The request page
        # says which packages to install; "Generate the files again" follows.
        delivery.record_export_failure(request, exc)
        return 0
    except OSError as exc:  # a full or unavailable disk: try again later
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc


@shared_task
def delete_expired_exports() -> int:
    from requests_app import delivery

    return delivery.delete_expired_files()
