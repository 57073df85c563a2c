"""A staff member's authenticator app: django-otp's TOTPDevice, but with
the seed encrypted at rest.

django-otp keeps the seed (``key``) in plain text: a copy of the database
would give whoever holds it every staff member's codes, so the second factor
would add nothing to a stolen password. Here the seed is encrypted with
``DSAR_ENCRYPTION_KEYS`` (dsar.core.crypto); the algorithm, the settings
(``OTP_TOTP_SYNC``, ``OTP_TOTP_THROTTLE_FACTOR``, ``OTP_TOTP_ISSUER``) and the
behaviour are django-otp's.
"""

from __future__ import annotations

import time
from base64 import b32encode
from binascii import unhexlify
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP
from django_otp.util import hex_validator, random_hex

from dsar.core.crypto import EncryptedTextField


def default_key() -> str:
    return random_hex(20)


def key_validator(value):
    return hex_validator()(value)


class AuthenticatorApp(TimestampMixin, ThrottlingMixin, Device):
    """An authenticator app of one staff member (RFC 6238 codes).

    ``key`` is the hex seed, encrypted in the database and never shown after
    enrolment. ``last_t`` is the time step of the last code accepted: only a
    later one is accepted next, so a code seen once cannot be used again.
    """

    key = EncryptedTextField(validators=[key_validator], default=default_key, editable=False)
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(choices=[(6, 6), (8, 8)], default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    @property
    def bin_key(self) -> bytes:
        return unhexlify(self.key.encode())

    @property
    def base32_key(self) -> str:
        """The seed as an authenticator app takes it when typed in."""
        return b32encode(self.bin_key).decode()

    def verify_token(self, token) -> bool:
        """django-otp's TOTPDevice.verify_token, saving only the fields it changes.

        Callers lock the row first (``django_otp.verify_token`` does): two
        requests with the same code would otherwise both pass the ``last_t``
        check before either saved it.
        """
        allowed, _details = self.verify_is_allowed()
        if not allowed:
            return False
        try:
            token = int(token)
        except (TypeError, ValueError):
            verified = False
        else:
            totp = TOTP(self.bin_key, self.step, self.t0, self.digits, self.drift)
            totp.time = time.time()
            verified = totp.verify(token, self.tolerance, self.last_t + 1)
            if verified:
                self.last_t = totp.t()
                if getattr(settings, "OTP_TOTP_SYNC", True):
                    self.drift = totp.drift
                self.throttle_reset(commit=False)
                self.set_last_used_timestamp(commit=False)
                self.save(
                    update_fields=[
                        "last_t",
                        "drift",
                        "throttling_failure_timestamp",
                        "throttling_failure_count",
                        "last_used_at",
                    ]
                )
        if not verified:
            self.throttle_increment(commit=False)
            self.save(update_fields=["throttling_failure_timestamp", "throttling_failure_count"])
        return verified

    def get_throttle_factor(self):
        return getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1)

    @property
    def config_url(self) -> str:
        """The otpauth:// URL of the enrolment QR code (Key URI Format)."""
        label = str(self.user.get_username())
        params = urlencode({"secret": self.base32_key, "algorithm": "SHA1", "digits": self.digits, "period": self.step})
        issuer = getattr(settings, "OTP_TOTP_ISSUER", "")
        if callable(issuer):
            issuer = issuer(self)
        if issuer:
            issuer = issuer.replace(":", "")
            label = f"{issuer}:{label}"
            # RFC 3986 encoding, as authenticator apps expect, not quote_plus.
            params += f"&issuer={quote(issuer)}"
        return f"otpauth://totp/{quote(label)}?{params}"
