"""Re-encrypting everything at rest under the first of ``DSAR_ENCRYPTION_KEYS``.

Rotation is in two steps. The operator puts a new key first (the old ones
stay after it, so everything still decrypts and nothing stops), then runs
``manage.py rotate_encryption_keys``, which rewrites every encrypted value
and file with the new key. Only then can an old key be dropped: ``--check``
counts what still depends on an older key, and says it is safe at zero.

Rotation also moves everything to the current format (AES-256-GCM,
``dsar.core.crypto``): a value or file still in Fernet is rewritten even when
the first key wrote it, so that once ``--check`` is at zero nothing needs
Fernet's path any more.

What is encrypted is found, not listed: every ``EncryptedTextField`` of every
installed model, the chunked export files, and the files of every
``FileField`` whose content opens with the key ring (the attachments). A new
encrypted field is covered without touching this module.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.db import connection, models, transaction

from dsar.core.crypto import EncryptedTextField, keyring
from dsar.exports import storage

log = logging.getLogger(__name__)

BATCH_SIZE = 500


def encrypted_columns() -> Iterator[tuple[type[models.Model], models.Field]]:
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                yield model, field


def file_fields() -> Iterator[tuple[type[models.Model], models.FileField]]:
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                yield model, field


def _column_values(model, field) -> Iterator[list[tuple[int | str, str]]]:
    # Raw SQL: the field's converter would hand back plain text, and what is
    # rotated is the stored token.
    quote = connection.ops.quote_name
    table, column, pk = quote(model._meta.db_table), quote(field.column), quote(model._meta.pk.column)
    last = None
    while True:
        where = f"{column} <> ''" + (f" AND {pk} > %s" if last is not None else "")
        params: list[int | str] = [last] if last is not None else []
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {pk}, {column} FROM {table} WHERE {where} ORDER BY {pk} LIMIT {BATCH_SIZE}",  # noqa: S608 (quoted names)
                params,
            )
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _rotate_columns(counts: Counter, *, check: bool) -> None:
    quote = connection.ops.quote_name
    for model, field in encrypted_columns():
        name = f"{model._meta.label}.{field.name}"
        pk_column = model._meta.pk.column if model._meta.pk else None
        assert pk_column and field.column, name  # a concrete model and its concrete fields have columns
        table, column, pk = quote(model._meta.db_table), quote(field.column), quote(pk_column)
        for rows in _column_values(model, field):
            with transaction.atomic():
                ring = keyring()
                for row_pk, value in rows:
                    if ring.is_current_text(value):
                        counts[(name, "current")] += 1
                        continue
                    try:
                        rotated = ring.rotate_text(value)
                    except InvalidToken:
                        counts[(name, "unreadable")] += 1
                        log.error("%s of row %s decrypts with none of the keys.", name, row_pk)
                        continue
                    if check:
                        counts[(name, "older key")] += 1
                        continue
                    with connection.cursor() as cursor:
                        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s", [rotated, row_pk])  # noqa: S608
                    counts[(name, "rotated")] += 1


def _replace_file(path: Path, chunks: Iterator[bytes]) -> None:
    # Written beside the old file and renamed over it: a crash leaves either
    # the old file or the new one, never half of each.
    temporary = path.with_name(path.name + ".rotating")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _rotate_exports(counts: Counter, *, check: bool) -> None:
    from dsar.exports.models import ExportFile

    name = "export files"
    for relative in ExportFile.objects.values_list("path", flat=True).iterator():
        path = storage.absolute(relative)
        if not path.exists():
            counts[(name, "missing")] += 1
            continue
        ring = keyring()
        tokens = list(storage.iter_tokens(relative))
        if all(ring.is_current(token) for token in tokens):
            counts[(name, "current")] += 1
            continue
        try:
            rotated = [ring.rotate(token) for token in tokens]
        except InvalidToken:
            counts[(name, "unreadable")] += 1
            log.error("Export file %s decrypts with none of the keys.", relative)
            continue
        if check:
            counts[(name, "older key")] += 1
            continue
        _replace_file(path, (storage.frame(token) for token in rotated))
        counts[(name, "rotated")] += 1


def _rotate_attachments(counts: Counter, *, check: bool) -> None:
    for model, field in file_fields():
        name = f"{model._meta.label}.{field.name}"
        for stored in model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True).iterator():
            path = Path(field.storage.path(stored))
            if not path.exists():
                counts[(name, "missing")] += 1
                continue
            token = path.read_bytes()
            ring = keyring()
            if ring.is_current(token):
                counts[(name, "current")] += 1
                continue
            try:
                rotated = ring.rotate(token)
            except InvalidToken:
                # Not a token of ours (or unreadable): never rewrite what cannot be read back.
                counts[(name, "unreadable")] += 1
                log.error("File %s of %s decrypts with none of the keys.", stored, name)
                continue
            if check:
                counts[(name, "older key")] += 1
                continue
            _replace_file(path, iter([rotated]))
            counts[(name, "rotated")] += 1


def rotate(*, check: bool = False) -> Counter:
    """Rewrite (or, with ``check``, only count) what is encrypted under an
    older key. Returns counts keyed by (what, outcome); outcomes are
    ``current``, ``rotated``, ``older key`` (check only), ``unreadable``
    and ``missing``. Idempotent: a second run rotates nothing."""
    counts: Counter = Counter()
    _rotate_columns(counts, check=check)
    _rotate_exports(counts, check=check)
    _rotate_attachments(counts, check=check)
    return counts
