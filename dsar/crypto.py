"""Encryption at rest for personal data: fields and files.

Keys come from ``DSAR_ENCRYPTION_KEYS`` (environment). The first key encrypts;
all of them decrypt, which allows rotation without downtime.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode() if isinstance(key, str) else key) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.DSAR_ENCRYPTION_KEYS))


def encrypt_bytes(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    return fernet().decrypt(token)


def encrypt_str(value: str) -> str:
    return encrypt_bytes(value.encode()).decode()


def decrypt_str(value: str) -> str:
    return decrypt_bytes(value.encode()).decode()


class EncryptedTextField(models.TextField):
    """A text field stored encrypted; an empty value is stored empty.

    It cannot be searched or indexed: use it for values that are only ever
    read for one known row (a national number, an identity detail).
    """

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        try:
            return decrypt_str(value)
        except InvalidToken as exc:
            raise ValueError("An encrypted field could not be decrypted: check DSAR_ENCRYPTION_KEYS.") from exc

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt_str(value)
