"""Who signed in through the identity provider, and what happened to their access."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SsoAccount(models.Model):
    """The link between a desk account and one person at the identity provider.

    The provider's ``sub`` (with its issuer) is the only key: an e-mail address
    can change hands at the provider, a subject identifier never does (OpenID
    Connect Core 1.0, §5.7)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_account")
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("single sign-on account")
        verbose_name_plural = _("single sign-on accounts")
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="sso_account_unique_subject")]

    def __str__(self) -> str:
        return str(self.user)


class SsoEvent(models.Model):
    """One sign-in, account creation, role change, refusal or loss of access.

    Staff access has no request to hang on, so it is not in a request's
    hash-chained trail: like django-axes' access log of password sign-ins, it
    is a table of its own that a DPO reads in the admin (Art. 32(1)(d): the
    measures of security are tested and their effect can be shown)."""

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", _("Signed in through single sign-on")
        ACCOUNT_CREATED = "account_created", _("Account created at the first single sign-on")
        ROLE_CHANGED = "role_changed", _("Role changed by the identity provider's groups")
        ACCESS_LOST = "access_lost", _("Access lost: signed out by the desk")
        REFUSED = "refused", _("Sign-in refused")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    # The username at the time, kept when the account is deleted later.
    username = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    # Role names and a reason code, never a token or a claim's raw value.
    detail = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("single sign-on event")
        verbose_name_plural = _("single sign-on events")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_kind_display()}"
