"""Encryption at rest for personal data: fields and files.

Keys come from ``DSAR_ENCRYPTION_KEYS`` (environment). The first key encrypts;
all of them decrypt, which allows rotation without downtime.
"""

from __future__ import annotations

import hashlib
import secrets
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


# ------------------------------------------------------------------------------
# Link tokens: bearer secrets in e-mailed links
# ------------------------------------------------------------------------------
def new_link_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What the database keeps to look a link token up (32 random bytes need no key)."""
    return hashlib.sha256(token.encode()).hexdigest()


class LinkTokenModel(models.Model):
    """A row reached through an e-mailed link carrying ``token``.

    The database keeps the token's digest, which the link's page looks up
    (``token_hash=token_digest(token)``), and an encrypted copy, from which
    later e-mails rebuild the same link: a copy of the database opens no page.
    """

    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_encrypted = EncryptedTextField(editable=False)

    class Meta:
        abstract = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new row gets its token here, so that bulk_create and unsaved
        # instances have one too. A field left out by .only() is not in
        # __dict__: reading it would cost a query, and the row is not new.
        if self._state.adding and self.__dict__.get("token_hash", None) == "":
            self.token = new_link_token()

    @property
    def token(self) -> str:
        return self.token_encrypted

    @token.setter
    def token(self, value: str) -> None:
        self.token_encrypted = value
        self.token_hash = token_digest(value)


# ------------------------------------------------------------------------------
# Migrations that turn a plain text column into an EncryptedTextField
# ------------------------------------------------------------------------------
def _is_encrypted(value: str) -> bool:
    try:
        decrypt_str(value)
    except (InvalidToken, ValueError):
        return False
    return True


def _rewrite_column(apps, schema_editor, label: str, field: str, change, batch: int = 1000) -> None:
    """Rewrite every non-empty value of one column with plain SQL: the field's
    own converters would try to decrypt values that are still plain text."""
    model = apps.get_model(label)
    connection = schema_editor.connection
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.get_field(field).column)
    pk = connection.ops.quote_name(model._meta.pk.column)
    last = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                f"SELECT {pk}, {column} FROM {table} WHERE {pk} > %s AND {column} <> '' ORDER BY {pk} LIMIT %s",  # noqa: S608 (quoted names)
                [last, batch],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            for row_pk, value in rows:
                new = change(value)
                if new != value:
                    cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s", [new, row_pk])  # noqa: S608
            last = rows[-1][0]


def encrypt_column(label: str, *fields: str, max_length: int | None = None):
    """A pair of RunPython functions: forwards encrypts the existing values of
    ``fields`` (a value that already decrypts, from a run interrupted and run
    again, is left as it is); backwards decrypts them, cut to ``max_length``
    when the plain column had one."""

    def forwards(apps, schema_editor):
        for field in fields:
            _rewrite_column(apps, schema_editor, label, field, lambda v: v if _is_encrypted(v) else encrypt_str(v))

    def backwards(apps, schema_editor):
        for field in fields:
            _rewrite_column(
                apps,
                schema_editor,
                label,
                field,
                lambda v: decrypt_str(v)[:max_length] if _is_encrypted(v) else v,
            )

    return forwards, backwards


def protect_token_column(label: str, column: str = "token"):
    """A pair of RunPython functions for a ``LinkTokenModel`` replacing a plain
    ``column``: forwards fills ``token_hash`` and ``token_encrypted`` from it
    (the migration adds them as plain columns first), backwards restores it."""

    def forwards(apps, schema_editor):
        model = apps.get_model(label)
        for pk, token in model.objects.values_list("pk", column).iterator():
            model.objects.filter(pk=pk).update(token_hash=token_digest(token), token_encrypted=encrypt_str(token))

    def backwards(apps, schema_editor):
        model = apps.get_model(label)
        for pk, encrypted in model.objects.values_list("pk", "token_encrypted").iterator():
            model.objects.filter(pk=pk).update(**{column: decrypt_str(encrypted) if encrypted else ""})

    return forwards, backwards
