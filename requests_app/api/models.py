"""API tokens and webhook subscriptions.

A token is shown once, when it is made; only its SHA-256 hash is kept, so a
copy of the database gives nobody a way in. A webhook's secret, by contrast,
must be read back to sign each delivery, so it is stored encrypted.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dsar.core.crypto import EncryptedTextField, token_digest

SCOPE_CONNECTORS = "connectors"
SCOPES = (SCOPE_CONNECTORS,)
TOKEN_PREFIX = "dsar_"  # noqa: S105 (a marker that helps secret scanners, not a secret)


def hash_token(token: str) -> str:
    return token_digest(token)


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class ApiToken(models.Model):
    """A personal token: it acts as its user, with that user's roles."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    # The first characters after "dsar_", shown in lists so people can tell
    # their tokens apart; too short to help anyone guess the rest.
    prefix = models.CharField(_("prefix"), max_length=12)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    # What a token may do beyond its user's role. A token is easier to steal
    # than a session with a second factor; creating or changing a connector
    # (which names the secrets the worker sends and where it sends them) is
    # allowed only to a token made for it (SCOPE_CONNECTORS).
    scopes = models.JSONField(_("scopes"), default=list, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(
        cls, *, user, name: str, days: int | None = None, scopes: list[str] | tuple[str, ...] = ()
    ) -> tuple[ApiToken, str]:
        """Create a token and return it with its clear text, which is never stored."""
        clear = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = timezone.now()
        expires_at = now + dt.timedelta(days=days) if days else None
        token = cls.objects.create(
            user=user,
            created_at=now,
            name=name,
            prefix=clear[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + 8],
            token_hash=hash_token(clear),
            expires_at=expires_at,
            scopes=sorted(set(scopes)),
        )
        return token, clear

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_usable(self) -> bool:
        return not (self.is_expired or self.is_revoked)

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


WEBHOOK_SECRET_PREFIX = "whsec_"  # noqa: S105 (a format prefix, not a secret)


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return WEBHOOK_SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


class WebhookSubscription(models.Model):
    """A URL that receives a signed POST for each workflow event of interest."""

    name = models.CharField(_("name"), max_length=100, blank=True)
    url = models.URLField(_("URL"), max_length=500)
    # Event kinds ("request.approve"), families ("export.*"), or ["*"] for every event.
    events = models.JSONField(_("events"), default=list)
    secret = EncryptedTextField(_("signing secret"), default=new_webhook_secret)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self) -> str:
        return self.name or self.url

    def wants(self, kind: str) -> bool:
        family = kind.split(".", 1)[0] + ".*"
        return "*" in self.events or kind in self.events or family in self.events


class WebhookDelivery(models.Model):
    """One event sent (or to be sent) to one subscriber, with its attempts."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        # Claimed by one sender, which is POSTing it right now.
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event_kind = models.CharField(_("event"), max_length=60)
    reference = models.CharField(_("request"), max_length=20, blank=True)
    # The exact body, so that every retry sends the same bytes (no personal data).
    payload = models.JSONField()
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    next_retry_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            # The periodic sweep: pending deliveries whose retry time has come.
            models.Index(fields=["next_retry_at"], condition=Q(status="pending"), name="webhook_delivery_due"),
            # A subscription's deliveries, newest first (DPO's list).
            models.Index(fields=["subscription", "-created_at"], name="webhook_delivery_by_sub"),
        ]

    def __str__(self) -> str:
        return f"{self.event_kind} → {self.subscription_id} ({self.status})"
