"""Reads of the forwarding: a forwarding by its link, those not yet acknowledged."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from dsar.core.crypto import token_digest
from requests_app.models import Forwarding


def ack_url(token: str) -> str:
    return settings.SITE_URL + reverse("forwarding:acknowledge", args=[token])


def find(token: str) -> Forwarding | None:
    if not token or len(token) > 100:
        return None
    return Forwarding.objects.select_related("request").filter(token_hash=token_digest(token)).first()


def pending():
    """Forwardings not yet acknowledged, oldest first."""
    return Forwarding.objects.filter(acknowledged_at__isnull=True).select_related("request").order_by("sent_at")
