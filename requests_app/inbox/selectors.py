"""Reads of the inbox."""

from __future__ import annotations

from django.db.models import QuerySet

from requests_app.inbox.models import InboxItem, InboxState
from requests_app.inbox.services import REFERENCE
from requests_app.models import SubjectRequest


def items_to_triage() -> QuerySet[InboxItem]:
    return InboxItem.objects.filter(state=InboxState.NEW).order_by("received_at", "pk")


def recent_items(*, state: str = "") -> QuerySet[InboxItem]:
    items = InboxItem.objects.select_related("request", "handled_by").order_by("-received_at", "-pk")
    return items.filter(state=state) if state else items


def matching_request(item: InboxItem) -> SubjectRequest | None:
    """The request this e-mail most likely belongs to: a reference in the
    subject line, or a thread header naming an earlier e-mail of a request."""
    found = REFERENCE.search(item.subject or "")
    if found:
        request = SubjectRequest.objects.filter(reference=found.group(0).upper()).first()
        if request is not None:
            return request
    thread = {value for value in [item.in_reply_to, *item.references.split()] if value}
    if thread:
        earlier = (
            InboxItem.objects.filter(message_id__in=thread, request__isnull=False)
            .select_related("request")
            .order_by("-received_at")
            .first()
        )
        if earlier is not None:
            return earlier.request
    return None
