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
