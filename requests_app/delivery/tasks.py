"""Celery tasks of the delivery: thin wrappers around its services.

The names are those the tasks had in requests_app.downloads.tasks: queued
messages and beat entries written before the move still find them.
"""

from celery import shared_task


# A full or unavailable disk: Celery tries again with its backoff (1, 2, 4
# minutes, with jitter); a message lost on the way is resent by the sweep
# (resend_lost_exports).
@shared_task(
    name="requests_app.downloads.tasks.generate_exports_task",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=60,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=3,
)
def generate_exports_task(request_id: int) -> int:
    from dsar.exports.pdf_export import PdfUnavailable
    from requests_app.delivery import services
    from requests_app.models import SubjectRequest

    request = SubjectRequest.objects.filter(pk=request_id).first()
    if request is None:
        return 0
    try:
        return len(services.generate_exports(request))
    except PdfUnavailable as exc:
        # A system library is missing: no retry installs it. The request page
        # says which packages to install; "Generate the files again" follows.
        services.record_export_failure(request, exc)
        return 0


@shared_task
def resend_lost_exports() -> int:
    """Every minute: exports whose message the broker lost."""
    from requests_app.delivery import services

    return services.resend_lost_exports()


@shared_task(name="requests_app.downloads.tasks.delete_expired_exports")
def delete_expired_exports() -> int:
    from requests_app.delivery import services

    return services.delete_expired_files()
