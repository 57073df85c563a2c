"""Absolute links put in e-mails (no request at hand in Celery tasks)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def status_url(subject_request) -> str:
    # Built by hand rather than with reverse("intake:status"): the subject's
    # status page is another area's, and the link must hold either way.
    return f"{settings.SITE_URL}/status/{subject_request.token}/"


def workspace_url(subject_request) -> str:
    return settings.SITE_URL + reverse("workspace:request", kwargs={"reference": subject_request.reference})
