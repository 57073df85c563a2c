"""The progress endpoints polled by the request page and the queue
(``config/static/js/progress.js``): small JSON answers, never cached."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from requests_app.permissions import get_request_for_user, staff_view
from requests_app.progress import selectors


@require_GET
@staff_view
@never_cache
def request_progress(request, reference: str):
    """One request: what runs, what it waits for by name, and a fingerprint
    that changes whenever its page would show something new."""
    subject_request = get_request_for_user(request.user, reference)
    progress = selectors.request_progress(subject_request)
    return JsonResponse(
        {
            "reference": subject_request.reference,
            "status": subject_request.status,
            "status_label": subject_request.get_status_display(),
            "running": progress.running,
            "waiting_for": progress.summary,
            "sources": progress.sources,
            "fingerprint": progress.fingerprint,
        }
    )


@require_GET
@staff_view
@never_cache
def queue_progress(request):
    """The queue's visible rows (``?ref=`` repeated), in one answer: every role
    of the workspace sees every request (``permissions.get_request_for_user``)."""
    return JsonResponse({"rows": selectors.queue_progress(request.GET.getlist("ref"))})
