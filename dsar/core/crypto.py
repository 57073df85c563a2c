"""Encryption at rest for personal data: fields and files.

Keys come from ``DSAR_ENCRYPTION_KEYS`` (environment): Fernet keys, the first
encrypts, all of them decrypt, which allows rotation without downtime.

What is written is sealed with AES-256-GCM (``cryptography``'s ``AESGCM``, an
AEAD: one pass authenticates and encrypts), under a key derived with HKDF from
each key of the ring, so there is no new secret to configure. A sealed value
starts with ``g1:<key id>:``: the format's version, then which key of the ring
sealed it, so that reading picks its key instead of trying them all. That
header is the associated data, authenticated with the rest. Then come the
96-bit random nonce, the ciphertext and the 16-byte tag: as bytes in files and
export chunks, in base64 in a text column.

Why not Fernet any more: a gathered record is decrypted on its own (the JSON
copy of 100,000 records decrypts 100,000 values), and a Fernet token costs a
base64 decode, an HMAC-SHA256, an AES-CBC context and unpadding, 5 to 9 times
what AES-GCM and base64 cost for the same value (bench/README.md, issue 17). Values and
files written by Fernet before are still read (its tokens start ``gAAAAA``,
never ``g1:``), and ``rotate_encryption_keys`` rewrites them in the new format.

Nonces are 96 random bits from ``os.urandom``. With random nonces, NIST SP
800-38D (section 8.3) allows 2**32 encryptions under one key, which keeps the
chance of any two nonces meeting below 2**-32 (a collision would expose the
two plaintexts and let their key forge). Each field value, file and 1 MiB
export chunk is one encryption: 2**32 is some 43,000 copies of 100,000
records, or decades of this desk's volume, under one key; rotating puts a new
key first and starts the count again.

No associated data binds a value to its table and column: Django's RenameModel
and RenameField rename them without touching the data, which would then no
longer open, and a value moved by a migration would have to be re-encrypted.
Fernet bound nothing either.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models

# "g1:" + 8 characters of key id + ":". Fernet tokens are URL-safe base64
# starting "gAAAAA": no ":" in them, so the two formats cannot be mistaken.
PREFIX = "g1:"
_PREFIX_BYTES = PREFIX.encode()
_HEADER_LENGTH = len(PREFIX) + 8 + 1
_NONCE_LENGTH = 12
_AES_KEY_INFO = b"dsar encryption at rest: AES-256-GCM key"
_KEY_ID_INFO = b"dsar encryption at rest: key identifier"


def _derive(key: bytes, info: bytes, length: int) -> bytes:
    # HKDF-SHA256 (RFC 5869) over the Fernet key's 32 random bytes; a
    # different ``info`` for the AES key and the key id keeps them independent.
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=info).derive(base64.urlsafe_b64decode(key))


@dataclass(frozen=True, slots=True)
class KeyRing:
    """The keys of ``DSAR_ENCRYPTION_KEYS`` ready to use: seal under the first,
    open with the one a header names (or, for a Fernet token, with Fernet).

    Everything that cannot be opened (changed, truncated, sealed under a key
    not in the ring, not ours) raises ``InvalidToken``, as Fernet did."""

    fernet: MultiFernet
    header: bytes  # b"g1:<key id>:" of the first key
    text_header: str
    primary: AESGCM
    # Header -> the keys with that id (one, unless 48-bit ids of two keys meet).
    by_header: dict[bytes, tuple[AESGCM, ...]]
    by_text_header: dict[str, tuple[AESGCM, ...]]

    @classmethod
    def from_keys(cls, keys: tuple[str | bytes, ...]) -> KeyRing:
        raw = [key.encode() if isinstance(key, str) else key for key in keys]
        fernet = MultiFernet([Fernet(key) for key in raw])  # also checks each key's form
        by_header: dict[bytes, tuple[AESGCM, ...]] = {}
        for key in raw:
            header = f"{PREFIX}{base64.urlsafe_b64encode(_derive(key, _KEY_ID_INFO, 6)).decode()}:".encode()
            by_header[header] = (*by_header.get(header, ()), AESGCM(_derive(key, _AES_KEY_INFO, 32)))
        header = next(iter(by_header))
        return cls(
            fernet=fernet,
            header=header,
            text_header=header.decode(),
            primary=by_header[header][0],
            by_header=by_header,
            by_text_header={name.decode(): aeads for name, aeads in by_header.items()},
        )

    # Bytes: files and export chunks.
    def seal(self, data: bytes) -> bytes:
        nonce = os.urandom(_NONCE_LENGTH)
        return self.header + nonce + self.primary.encrypt(nonce, data, self.header)

    def open(self, token: bytes) -> bytes:
        header = token[:_HEADER_LENGTH]
        if not header.startswith(_PREFIX_BYTES):
            return self.fernet.decrypt(token)
        return self._open(self.by_header.get(header, ()), token[_HEADER_LENGTH:], header)

    def is_current(self, token: bytes) -> bool:
        """Sealed in this format under the first key (what rotation leaves)."""
        if token[:_HEADER_LENGTH] != self.header:
            return False
        try:
            self._open((self.primary,), token[_HEADER_LENGTH:], self.header)
        except InvalidToken:
            return False
        return True

    def rotate(self, token: bytes) -> bytes:
        return self.seal(self.open(token))

    # Text: encrypted columns.
    def encrypt_text(self, value: str) -> str:
        nonce = os.urandom(_NONCE_LENGTH)
        body = nonce + self.primary.encrypt(nonce, value.encode(), self.header)
        return self.text_header + binascii.b2a_base64(body, newline=False).decode("ascii")

    def decrypt_text(self, value: str) -> str:
        header = value[:_HEADER_LENGTH]
        if not header.startswith(PREFIX):
            return self.fernet.decrypt(value.encode()).decode()
        try:
            body = binascii.a2b_base64(value[_HEADER_LENGTH:])
        except ValueError:  # not base64, or not ASCII: nothing of ours
            raise InvalidToken from None
        return self._open(self.by_text_header.get(header, ()), body, header.encode()).decode()

    def is_current_text(self, value: str) -> bool:
        try:
            return value.startswith(self.text_header) and self.is_current(
                self.header + binascii.a2b_base64(value[_HEADER_LENGTH:])
            )
        except ValueError:
            return False

    def rotate_text(self, value: str) -> str:
        return self.encrypt_text(self.decrypt_text(value))

    @staticmethod
    def _open(aeads: tuple[AESGCM, ...], body: bytes, header: bytes) -> bytes:
        for aead in aeads:
            try:
                return aead.decrypt(body[:_NONCE_LENGTH], body[_NONCE_LENGTH:], header)
            except (InvalidTag, ValueError):  # ValueError: too short to hold a nonce and a tag
                continue
        raise InvalidToken


@lru_cache(maxsize=4)
def _keyring(keys: tuple[str | bytes, ...]) -> KeyRing:
    return KeyRing.from_keys(keys)


def keyring() -> KeyRing:
    return _keyring(tuple(settings.DSAR_ENCRYPTION_KEYS))


def encrypt_bytes(data: bytes) -> bytes:
    return keyring().seal(data)


def decrypt_bytes(token: bytes) -> bytes:
    return keyring().open(token)


def encrypt_str(value: str) -> str:
    return keyring().encrypt_text(value)


def decrypt_str(value: str) -> str:
    return keyring().decrypt_text(value)


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
