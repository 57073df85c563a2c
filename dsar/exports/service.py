"""Generating, reading and deleting a job's export files."""

from __future__ import annotations

import hashlib
import hmac
import io
import logging
import struct
from collections.abc import Callable, Iterator
from functools import partial

from cryptography.fernet import InvalidToken
from django.db import transaction

from dsar.exports import storage
from dsar.exports.content import ExportSpec
from dsar.exports.csv_export import write_csv_zip
from dsar.exports.json_export import write_json
from dsar.exports.models import ExportFile
from dsar.exports.pdf_export import write_pdf

log = logging.getLogger(__name__)


def formats_for(kind: str, *, csv: bool = False) -> list[str]:
    """Access: JSON and the PDF report. Portability (Art. 20): JSON, and CSV if chosen."""
    if kind == "portability":
        return [ExportFile.Format.JSON, *([ExportFile.Format.CSV] if csv else [])]
    return [ExportFile.Format.JSON, ExportFile.Format.PDF]


def _replace(
    spec: ExportSpec,
    written: list[tuple[str, storage.EncryptedWriter, int]],
    on_replaced: Callable[[list[ExportFile]], None] | None = None,
) -> list[ExportFile]:
    """Swap in the new files of every format at once.

    One transaction for all formats, so that nobody (the DPO releasing, the
    subject downloading) ever sees a new JSON beside a missing or stale PDF.
    ``on_replaced`` runs inside that transaction, so the caller's record of
    the generation (an audit event) commits together with the files.
    """
    formats = [fmt for fmt, _writer, _count in written]
    with transaction.atomic():
        old = list(ExportFile.objects.select_for_update().filter(job=spec.job, format__in=formats))
        ExportFile.objects.filter(pk__in=[f.pk for f in old]).delete()
        exports = [
            ExportFile.objects.create(
                job=spec.job,
                format=fmt,
                path=writer.relative_path,
                size=writer.size,
                sha256=writer.sha256,
                record_count=count,
            )
            for fmt, writer, count in written
        ]
        if on_replaced is not None:
            on_replaced(exports)
        # The old files go once the new rows are committed, never before.
        for previous in old:
            transaction.on_commit(partial(storage.delete, previous.path))
    return exports


def generate(
    spec: ExportSpec,
    formats: list[str],
    on_replaced: Callable[[list[ExportFile]], None] | None = None,
) -> list[ExportFile]:
    """(Re)generate the export files of ``spec.job`` in these formats.

    The JSON comes first: the PDF attaches it and prints its fingerprint.
    Nothing is visible until every file is written.
    """
    written: list[tuple[str, storage.EncryptedWriter, int]] = []
    scratch: list[str] = []
    try:
        if ExportFile.Format.JSON in formats or ExportFile.Format.PDF in formats:
            with storage.EncryptedWriter(storage.new_relative_path("json")) as json_writer:
                count = write_json(spec, json_writer)
            if ExportFile.Format.JSON in formats:
                written.append((ExportFile.Format.JSON, json_writer, count))
            else:
                scratch.append(json_writer.relative_path)
        if ExportFile.Format.PDF in formats:
            json_bytes = storage.read_decrypted(json_writer.relative_path)
            with storage.EncryptedWriter(storage.new_relative_path("pdf")) as writer:
                buffer = io.BytesIO()
                write_pdf(spec, buffer, json_bytes=json_bytes, json_sha256=json_writer.sha256)
                writer.write(buffer.getvalue())
            written.append((ExportFile.Format.PDF, writer, count))
        if ExportFile.Format.CSV in formats:
            with storage.EncryptedWriter(storage.new_relative_path("zip")) as writer:
                csv_count = write_csv_zip(spec, writer)
            written.append((ExportFile.Format.CSV, writer, csv_count))
    except BaseException:
        # A failed run leaves no orphan ciphertext behind.
        for _fmt, writer, _count in written:
            storage.delete(writer.relative_path)
        raise
    finally:
        for path in scratch:
            storage.delete(path)
    return _replace(spec, written, on_replaced)


def render_preview(spec: ExportSpec, fmt: str) -> bytes:
    """A file as the subject receives it, rendered again for staff to read with
    the national numbers masked (``spec.mask_national_numbers``); never stored."""
    if fmt == ExportFile.Format.JSON:
        text = io.StringIO()
        write_json(spec, text)
        return text.getvalue().encode()
    buffer = io.BytesIO()
    if fmt == ExportFile.Format.PDF:
        write_pdf(spec, buffer, archival=False)
    elif fmt == ExportFile.Format.CSV:
        write_csv_zip(spec, buffer)
    else:
        raise ValueError(fmt)
    return buffer.getvalue()


class ExportCorrupted(Exception):
    """The file on disk is not the one that was made: never sent to anyone."""


def verify_file(export: ExportFile) -> None:
    """Check the decrypted file against the SHA-256 stored when it was made.

    The copy the subject receives must be the data as gathered (Art. 15(3),
    and integrity under Art. 5(1)(f) and 32(1)(b)): a file changed, truncated
    or swapped on disk is refused before its first byte goes out, and logged.
    Fernet already refuses a changed chunk; this also catches chunks removed,
    reordered or taken from another file encrypted with the same key."""
    digest = hashlib.sha256()
    size = 0
    try:
        for chunk in storage.iter_decrypted(export.path):
            digest.update(chunk)
            size += len(chunk)
    except (InvalidToken, OSError, struct.error) as exc:
        log.error("Export file %s (%s) cannot be read: %s", export.pk, export.format, type(exc).__name__)
        raise ExportCorrupted(export.pk) from None
    if not hmac.compare_digest(digest.hexdigest(), export.sha256 or "") or size != export.size:
        log.error(
            "Export file %s (%s) does not match its stored SHA-256: the download is refused.", export.pk, export.format
        )
        raise ExportCorrupted(export.pk)


def iter_file(export: ExportFile) -> Iterator[bytes]:
    """The plain file, chunk by chunk, once it has been verified (ExportCorrupted otherwise)."""
    verify_file(export)
    return storage.iter_decrypted(export.path)


def read_file(export: ExportFile) -> bytes:
    content = storage.read_decrypted(export.path)
    if not hmac.compare_digest(hashlib.sha256(content).hexdigest(), export.sha256 or ""):
        log.error("Export file %s (%s) does not match its stored SHA-256.", export.pk, export.format)
        raise ExportCorrupted(export.pk)
    return content


def delete_files(job) -> int:
    """Delete a job's export files from disk and their rows (when a link expires)."""
    exports = list(ExportFile.objects.filter(job=job))
    for export in exports:
        storage.delete(export.path)
    ExportFile.objects.filter(pk__in=[e.pk for e in exports]).delete()
    return len(exports)
