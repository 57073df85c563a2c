"""Signed webhooks: every workflow event, POSTed to the subscribers who want it.

The body is JSON without personal data (references, types, statuses, dates).
Each POST is signed with the Standard Webhooks scheme (standardwebhooks.com):
headers ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature``
(``v1,<base64 HMAC-SHA256 over "<id>.<timestamp>.<body>">``), the secret being
``whsec_<base64 key>``, so receivers verify with the ready-made libraries in
many languages. The older ``X-DSAR-Signature: t=<unix time>,v1=<hex>`` header
(HMAC-SHA256 with the same key over ``<t>.<body>``) is still sent so that
receivers written for it keep working until they switch.

No row lock is held during the POST: a sender claims the delivery with a
conditional update (pending -> sending, with the claim's time, so a sender
that died mid-POST loses its claim after CLAIM_SECONDS), posts, then records
the outcome. Failed deliveries are retried with Celery's backoff; a periodic
sweep picks up those whose retry was lost (worker restart, broker outage).

In production, targets must be public addresses: the host name is resolved
and every address checked (no loopback, private, link-local or reserved
ranges), and the connection goes to the address that was checked, so that a
DNS answer changed in between cannot point the request inside the network.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import standardwebhooks
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from config import after_response
from dsar import netpolicy
from dsar.netpolicy import AddressRefused, Target
from requests_app import workflow
from requests_app.api import subscribers
from requests_app.api.models import WEBHOOK_SECRET_PREFIX, WebhookDelivery, WebhookSubscription
from requests_app.audit import labels as event_labels

if TYPE_CHECKING:
    # httpx is imported where a delivery is POSTed (the worker's): every web
    # process records events and enqueues deliveries, and need not hold it.
    import httpx

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-DSAR-Signature"
MAX_ATTEMPTS = 8
FIRST_RETRY_SECONDS = 60
MAX_RETRY_SECONDS = 6 * 3600
TIMEOUT_SECONDS = 10
# Longer than one POST can last (connect, write, read, each TIMEOUT_SECONDS):
# a live sender never loses its claim; a dead one's expires.
CLAIM_SECONDS = 4 * TIMEOUT_SECONDS + 30
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
def signing_key(secret: str) -> bytes:
    """The HMAC key of a ``whsec_<base64>`` secret, as standardwebhooks decodes it."""
    return base64.b64decode(secret.removeprefix(WEBHOOK_SECRET_PREFIX) + "==")


def standard_headers(secret: str, body: bytes, *, msg_id: str, timestamp: int | None = None) -> dict[str, str]:
    """The Standard Webhooks headers of one POST, signed by the package itself."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = standardwebhooks.Webhook(secret).sign(msg_id, dt.datetime.fromtimestamp(timestamp, tz=dt.UTC), body)
    return {"webhook-id": msg_id, "webhook-timestamp": str(timestamp), "webhook-signature": signature}


def compute_signature(secret: str, timestamp: int, body: bytes) -> str:
    """The legacy ``v1`` value: hex HMAC-SHA256 over ``<t>.<body>`` with the same key."""
    return hmac.new(signing_key(secret), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={compute_signature(secret, timestamp, body)}"


def verify_signature(
    secret: str, body: bytes, header: str, *, tolerance: int = SIGNATURE_TOLERANCE_SECONDS, now: int | None = None
) -> bool:
    """What a receiver of the legacy header does: recompute the HMAC and refuse a stale timestamp."""
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


@workflow.with_event
def enqueue_webhooks(request, event) -> None:
    """Each subscriber's delivery of the event, written in the event's own
    transaction: committed with it or not at all, so a process that dies
    right after the commit loses no delivery (the sweep sends a pending one
    whose message never went, ``deliver_due``). The messages go after the
    commit, after the response where the view answers first."""
    subscriptions = [s for s in subscribers.active() if s.wants(event.kind)]
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
    pks = [delivery.pk for delivery in deliveries]
    transaction.on_commit(lambda: after_response.soon(lambda: _enqueue_all(pks)))


def _enqueue_all(delivery_ids: list[int]) -> None:
    for pk in delivery_ids:
        enqueue(pk)


def enqueue(delivery_id, *, countdown: int = 0) -> None:
    from dsar.queueing import enqueue as send
    from requests_app.api.tasks import deliver_webhook

    # The broker may be down: the delivery stays pending for the periodic sweep.
    send(deliver_webhook, (str(delivery_id),), countdown=countdown, what=f"webhook delivery {delivery_id}")


# ------------------------------------------------------------------------------
# Delivery
# ------------------------------------------------------------------------------
def backoff_seconds(attempts: int) -> int:
    """Wait after the n-th failed attempt: 1, 2, 4, 8 ... minutes, at most 6 hours
    (Celery's own backoff function, without jitter: this one is recorded)."""
    return get_exponential_backoff_interval(
        factor=FIRST_RETRY_SECONDS, retries=max(attempts - 1, 0), maximum=MAX_RETRY_SECONDS, full_jitter=False
    )


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
            # The delivery's id is the message id: the same on every retry, so
            # a receiver can drop a duplicate (Standard Webhooks' idempotency).
            **standard_headers(subscription.secret, body, msg_id=f"msg_{delivery.pk}"),
        }
    )
    import httpx

    with httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=False, transport=http_transport) as client:
        return client.post(url, content=body, headers=headers, extensions=extensions)


def _claim(delivery_id, now) -> bool:
    """Take the delivery for this sender, or say that it is not ours to send.

    A conditional UPDATE instead of a row lock held during the POST (a slow
    receiver would hold it for TIMEOUT_SECONDS): the task and the sweep never
    send the same delivery twice at once, and a sender that died mid-POST
    loses its claim after CLAIM_SECONDS."""
    expired = now - dt.timedelta(seconds=CLAIM_SECONDS)
    return bool(
        WebhookDelivery.objects.filter(pk=delivery_id)
        .filter(
            Q(status=WebhookDelivery.Status.PENDING, next_retry_at__lte=now + dt.timedelta(seconds=1))
            | Q(status=WebhookDelivery.Status.PENDING, next_retry_at__isnull=True)
            | Q(status=WebhookDelivery.Status.SENDING, last_attempt_at__lt=expired)
        )
        .update(status=WebhookDelivery.Status.SENDING, last_attempt_at=now, attempts=F("attempts") + 1)
    )


def deliver(delivery_id) -> int | None:
    """Make one attempt if it is due. Returns the seconds until the next attempt,
    or None when nothing is left to do (delivered, failed for good, or not ours)."""
    now = timezone.now()
    if not _claim(delivery_id, now):
        waiting = (
            WebhookDelivery.objects.filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING)
            .values_list("next_retry_at", flat=True)
            .first()
        )
        if waiting and waiting > now:
            return int((waiting - now).total_seconds()) + 1
        return None
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    subscription = delivery.subscription
    if not subscription.active:
        _record(
            delivery,
            status=WebhookDelivery.Status.FAILED,
            last_error="The subscription was deactivated.",
            next_retry_at=None,
        )
        return None
    import httpx

    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    status_code = None
    try:
        response = _post(subscription, body, delivery)
    except TargetRefused as exc:
        error, ok = str(exc), False
    except httpx.HTTPError as exc:
        error, ok = f"{type(exc).__name__}: {exc}"[:500], False
    else:
        status_code = response.status_code
        ok = 200 <= response.status_code < 300
        error = "" if ok else f"HTTP {response.status_code}"
    outcome = {"last_status_code": status_code, "last_error": error}
    if ok:
        _record(
            delivery,
            status=WebhookDelivery.Status.DELIVERED,
            delivered_at=timezone.now(),
            next_retry_at=None,
            **outcome,
        )
        return None
    if delivery.attempts >= MAX_ATTEMPTS:
        log.warning("Webhook delivery %s failed for good after %s attempts.", delivery.pk, delivery.attempts)
        _record(delivery, status=WebhookDelivery.Status.FAILED, next_retry_at=None, **outcome)
        return None
    wait = backoff_seconds(delivery.attempts)
    _record(
        delivery,
        status=WebhookDelivery.Status.PENDING,
        next_retry_at=timezone.now() + dt.timedelta(seconds=wait),
        **outcome,
    )
    return wait


def _record(delivery: WebhookDelivery, **outcome) -> None:
    """Record an attempt's outcome, only if the claim is still ours (a sender
    whose claim expired does not overwrite what the next one recorded)."""
    WebhookDelivery.objects.filter(
        pk=delivery.pk, status=WebhookDelivery.Status.SENDING, last_attempt_at=delivery.last_attempt_at
    ).update(**outcome)
    for name, value in outcome.items():
        setattr(delivery, name, value)


def deliver_due(limit: int = 200) -> int:
    """The sweep: pending deliveries whose retry is overdue (their task was lost)."""
    # A grace period so the sweep does not race the task's own scheduled retry.
    now = timezone.now()
    overdue = now - dt.timedelta(minutes=1)
    ids = list(
        WebhookDelivery.objects.filter(
            Q(status=WebhookDelivery.Status.PENDING, next_retry_at__lte=overdue)
            # Claimed by a sender that died mid-POST.
            | Q(status=WebhookDelivery.Status.SENDING, last_attempt_at__lt=now - dt.timedelta(seconds=CLAIM_SECONDS))
        )
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
