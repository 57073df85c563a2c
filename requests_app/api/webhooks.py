"""Signed webhooks: every workflow event, POSTed to the subscribers who want it.

The body is JSON without personal data (references, types, statuses, dates).
Each POST carries ``X-DSAR-Signature: t=<unix time>,v1=<hex>``, where ``v1``
is HMAC-SHA256 with the subscription's secret over ``<t>.<body>``: the
receiver recomputes it and refuses old timestamps (replays). Failed deliveries
are retried with exponential backoff by Celery; a periodic sweep picks up
those whose retry was lost (worker restart, broker outage).

In production, targets must be public addresses: the host name is resolved
and every address checked (no loopback, private, link-local or reserved
ranges), and the connection goes to the address that was checked, so that a
DNS answer changed in between cannot point the request inside the network.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import time
from urllib.parse import urlsplit, urlunsplit

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dsar import netpolicy
from dsar.netpolicy import AddressRefused, Target
from requests_app import event_labels, workflow
from requests_app.api.models import WebhookDelivery, WebhookSubscription

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-DSAR-Signature"
MAX_ATTEMPTS = 8
FIRST_RETRY_SECONDS = 60
MAX_RETRY_SECONDS = 6 * 3600
TIMEOUT_SECONDS = 10
SIGNATURE_TOLERANCE_SECONDS = 300

# The event kinds known today, from the one registry (for the documentation:
# areas add kinds over time, and a test keeps the registry complete).
# A subscription names kinds, "family.*" (e.g. "export.*"), or "*" for all.
EVENT_KINDS = tuple(event_labels.EVENT_KINDS)

# Event details that may leave the system: codes, never free text that staff
# typed (a reason or a note can name people).
SAFE_DETAIL_KEYS = (
    "type",
    "channel",
    "assignee",
    "from",
    "to",
    "months",
    "action",
    "source",
    "sources",
    "failed",
    "outcome",
    "records",
    "count",
    "format",
    "formats",
    "files",
)

# For tests: an httpx transport to use instead of the network.
http_transport: httpx.BaseTransport | None = None


# ------------------------------------------------------------------------------
# Signatures
# ------------------------------------------------------------------------------
def compute_signature(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={compute_signature(secret, timestamp, body)}"


def verify_signature(
    secret: str, body: bytes, header: str, *, tolerance: int = SIGNATURE_TOLERANCE_SECONDS, now: int | None = None
) -> bool:
    """What a receiver does: recompute the HMAC and refuse a stale timestamp."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
        signature = parts["v1"]
    except (KeyError, ValueError):
        return False
    now = int(time.time()) if now is None else now
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(signature, compute_signature(secret, timestamp, body))


# ------------------------------------------------------------------------------
# Targets
# ------------------------------------------------------------------------------
class TargetRefused(AddressRefused):
    """The URL may not receive webhooks; the message says why, in plain words."""


def check_target(url: str) -> Target:
    """Validate a webhook URL; in production resolve it and check every address
    with the one address policy of the desk (dsar.netpolicy), without the
    sources' allow-list: webhooks go to the public Internet."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise TargetRefused(_("This is not a valid URL.")) from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefused(_("The URL must start with https:// and name a host."))
    if settings.PRODUCTION and parts.scheme != "https":
        raise TargetRefused(_("The URL must use https."))
    if parts.username or parts.password:
        raise TargetRefused(_("Put no user name or password in the URL: requests are signed instead."))
    host = parts.hostname
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = netpolicy.check_host(host, port, use_allow_list=False)
    except AddressRefused as exc:
        raise TargetRefused(str(exc)) from exc
    return Target(url=url, host=host, port=port, addresses=addresses)


def _pinned(target: Target) -> tuple[str, dict, dict]:
    """URL, headers and extensions that connect to the checked address itself."""
    if not target.addresses:
        return target.url, {}, {}
    parts = urlsplit(target.url)
    address = target.addresses[0]
    shown = f"[{address}]" if ":" in address else address
    default_port = 443 if parts.scheme == "https" else 80
    netloc = shown if target.port == default_port else f"{shown}:{target.port}"
    host_header = target.host if target.port == default_port else f"{target.host}:{target.port}"
    url = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    extensions = {"sni_hostname": target.host} if parts.scheme == "https" else {}
    return url, {"Host": host_header}, extensions


# ------------------------------------------------------------------------------
# Enqueueing, on every workflow event
# ------------------------------------------------------------------------------
def build_payload(request, event) -> dict:
    """The body of the POST: what happened to which request, without personal data."""
    return {
        "event": event.kind,
        "event_id": event.pk,
        "occurred_at": event.created_at.isoformat(),
        "actor": event.actor_label,
        "status_before": event.status_before,
        "status_after": event.status_after,
        "details": {key: value for key, value in (event.details or {}).items() if key in SAFE_DETAIL_KEYS},
        "request": {
            "reference": request.reference,
            "request_type": request.request_type,
            "status": request.status,
            "channel": request.channel,
            "due_date": request.due_date.isoformat(),
        },
    }


@workflow.on_event("*")
def enqueue_webhooks(request, event) -> None:
    subscriptions = [
        s for s in WebhookSubscription.objects.filter(active=True).only("pk", "events") if s.wants(event.kind)
    ]
    if not subscriptions:
        return
    payload = build_payload(request, event)
    now = timezone.now()
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            subscription_id=subscription.pk,
            event_kind=event.kind,
            reference=request.reference,
            payload=payload,
            next_retry_at=now,
        )
        for subscription in subscriptions
    )
    for delivery in deliveries:
        transaction.on_commit(lambda pk=delivery.pk: enqueue(pk))


def enqueue(delivery_id, *, countdown: int = 0) -> None:
    from requests_app.api.tasks import deliver_webhook

    try:
        deliver_webhook.apply_async((str(delivery_id),), countdown=countdown)
    except Exception:
        # The broker is down: the periodic sweep will deliver it.
        log.warning("Could not enqueue webhook delivery %s; the sweep will retry it.", delivery_id)


# ------------------------------------------------------------------------------
# Delivery
# ------------------------------------------------------------------------------
def backoff_seconds(attempts: int) -> int:
    """Wait after the n-th failed attempt: 1, 2, 4, 8 ... minutes, at most 6 hours."""
    return min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), MAX_RETRY_SECONDS)


def _post(subscription: WebhookSubscription, body: bytes, delivery: WebhookDelivery) -> httpx.Response:
    target = check_target(subscription.url)
    url, headers, extensions = _pinned(target)
    headers.update(
        {
            "Content-Type": "application/json",
            "User-Agent": "DSAR-desk-webhooks/1",
            "X-DSAR-Event": delivery.event_kind,
            "X-DSAR-Delivery": str(delivery.pk),
            SIGNATURE_HEADER: signature_header(subscription.secret, body),
        }
    )
    with httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=False, transport=http_transport) as client:
        return client.post(url, content=body, headers=headers, extensions=extensions)


def deliver(delivery_id) -> int | None:
    """Make one attempt if it is due. Returns the seconds until the next attempt,
    or None when nothing is left to do (delivered, failed for good, or not ours)."""
    with transaction.atomic():
        # Locked so the task and the sweep never send the same delivery twice.
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("subscription")
            .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING)
            .first()
        )
        if delivery is None:
            return None
        now = timezone.now()
        if delivery.next_retry_at and delivery.next_retry_at > now + dt.timedelta(seconds=1):
            return int((delivery.next_retry_at - now).total_seconds()) + 1
        subscription = delivery.subscription
        if not subscription.active:
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.last_error = "The subscription was deactivated."
            delivery.next_retry_at = None
            delivery.save(update_fields=["status", "last_error", "next_retry_at"])
            return None
        body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
        delivery.attempts += 1
        delivery.last_attempt_at = now
        try:
            response = _post(subscription, body, delivery)
        except TargetRefused as exc:
            delivery.last_status_code, delivery.last_error = None, str(exc)
            ok = False
        except httpx.HTTPError as exc:
            delivery.last_status_code, delivery.last_error = None, f"{type(exc).__name__}: {exc}"[:500]
            ok = False
        else:
            delivery.last_status_code = response.status_code
            ok = 200 <= response.status_code < 300
            delivery.last_error = "" if ok else f"HTTP {response.status_code}"
        if ok:
            delivery.status = WebhookDelivery.Status.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.next_retry_at = None
            wait = None
        elif delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.next_retry_at = None
            wait = None
            log.warning("Webhook delivery %s failed for good after %s attempts.", delivery.pk, delivery.attempts)
        else:
            wait = backoff_seconds(delivery.attempts)
            delivery.next_retry_at = now + dt.timedelta(seconds=wait)
        delivery.save()
        return wait


def deliver_due(limit: int = 200) -> int:
    """The sweep: pending deliveries whose retry is overdue (their task was lost)."""
    # A grace period so the sweep does not race the task's own scheduled retry.
    overdue = timezone.now() - dt.timedelta(minutes=2)
    ids = list(
        WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, next_retry_at__lte=overdue)
        .order_by("next_retry_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        enqueue(pk)
    return len(ids)


def redeliver(delivery: WebhookDelivery) -> WebhookDelivery:
    """A DPO asks to send a failed (or delivered) event again, as a fresh delivery."""
    copy = WebhookDelivery.objects.create(
        subscription=delivery.subscription,
        event_kind=delivery.event_kind,
        reference=delivery.reference,
        payload=delivery.payload,
        next_retry_at=timezone.now(),
    )
    transaction.on_commit(lambda: enqueue(copy.pk))
    return copy
