"""Reads of the ticket's side of gathering."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from dsar.connectors.base import SubjectIdentity
from dsar.models import Job, Operation
from requests_app.models import RequestType, SubjectRequest

# Requests for which the engine gathers the subject's data.
GATHERING_TYPES = (RequestType.ACCESS, RequestType.PORTABILITY)


def identity_of(request: SubjectRequest) -> SubjectIdentity:
    return SubjectIdentity(
        email=request.email,
        full_name=request.full_name,
        phone=request.phone,
        customer_number=request.customer_number,
        national_number=request.national_number,
    )


def current_job(request: SubjectRequest) -> Job | None:
    return (
        Job.objects.filter(external_ref=request.reference, operation=Operation.ACCESS).order_by("-created_at").first()
    )


def workspace_url(reference: str) -> str:
    """The request's page in the workspace (built by another area; a fallback until it exists)."""
    for name in ("workspace:request", "workspace:request_detail"):
        try:
            return reverse(name, args=[reference])
        except NoReverseMatch:
            continue
    return "/workspace/"
