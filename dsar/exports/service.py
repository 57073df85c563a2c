"""Generating, reading and deleting a job's export files."""

from __future__ import annotations

import functools
import hashlib
import hmac
import io
import json
import logging
import struct
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.db import transaction
from django.utils import timezone

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


@functools.cache
def layout_fingerprint() -> str:
    """What, besides the document, decides how the PDF looks: its templates,
    its style sheet, the code that renders it and WeasyPrint's version. Read
    once per process; a deployment that changes any of them renders again."""
    from importlib.metadata import version

    from dsar.exports.assets import asset_dir

    digest = hashlib.sha256(version("weasyprint").encode())
    here = Path(__file__).parent
    templates = Path(settings.BASE_DIR) / "templates" / "exports"
    for path in sorted(templates.glob("*.html")) + [
        asset_dir() / "report.css",
        here / "pdf_export.py",
        here / "pdf_parts.py",
        here / "pdf_join.py",
        here / "columns.py",
    ]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class ContentDigest:
    """Passes the JSON document through to ``out`` while hashing what it says.

    Two generations of the same data differ only in the moment they were made
    (``generated_at``, written once in the document's head): that value is
    left out of this hash, and everything else the subject reads is in it,
    the records as shown, what the DPO left out or redacted (Art. 15(4)), the
    register's information, the language. The PDF is made from the same
    inputs, so an equal hash means an equal PDF.
    """

    def __init__(self, out, generated_at: str):
        self._out = out
        self._stamp: str | None = f'"generated_at":{json.dumps(generated_at)}'
        self._hash = hashlib.sha256(layout_fingerprint().encode())

    def write(self, text: str) -> int:
        written = self._out.write(text)
        if self._stamp is not None and self._stamp in text:
            text = text.replace(self._stamp, '"generated_at":null', 1)
            self._stamp = None
        self._hash.update(text.encode("utf-8"))
        return written

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def _reusable(spec: ExportSpec, formats: list[str], digest: str) -> list[ExportFile] | None:
    """The job's current files, when they were made from exactly this content
    and are still on disk: then nothing needs rendering again."""
    current = list(ExportFile.objects.filter(job=spec.job, format__in=formats))
    if len(current) != len(formats) or any(f.content_sha256 != digest for f in current):
        return None
    if not all(storage.absolute(f.path).exists() for f in current):
        return None
    return current


def _keep(
    spec: ExportSpec,
    current: list[ExportFile],
    on_replaced: Callable[[list[ExportFile]], None] | None = None,
) -> list[ExportFile]:
    """Confirm the current files as the copy of the data as it is now.

    Their ``created_at`` moves to now: they are as current as a new
    generation would be (``files_are_current`` compares it with the last
    exclusion change). Their bytes stay, the JSON too, so that the PDF's
    printed fingerprint and its attachment still match the JSON file beside it.
    """
    with transaction.atomic():
        locked = list(ExportFile.objects.select_for_update().filter(pk__in=[f.pk for f in current]))
        now = timezone.now()
        ExportFile.objects.filter(pk__in=[f.pk for f in locked]).update(created_at=now)
        for export in locked:
            export.created_at = now
        locked.sort(key=lambda export: [f.pk for f in current].index(export.pk))
        if on_replaced is not None:
            on_replaced(locked)
    return locked


def _replace(
    spec: ExportSpec,
    written: list[tuple[str, storage.EncryptedWriter, int]],
    on_replaced: Callable[[list[ExportFile]], None] | None = None,
    digest: str = "",
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
                content_sha256=digest,
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
    Nothing is visible until every file is written. The PDF is made once per
    version of the data: when the JSON and PDF in place were made from the
    same content (``ContentDigest``), they stay and nothing is rendered.
    """
    written: list[tuple[str, storage.EncryptedWriter, int]] = []
    scratch: list[str] = []
    digest = ""
    try:
        if ExportFile.Format.JSON in formats or ExportFile.Format.PDF in formats:
            with storage.EncryptedWriter(storage.new_relative_path("json")) as json_writer:
                hashing = ContentDigest(json_writer, spec.generated_at.isoformat())
                count = write_json(spec, hashing)
            digest = hashing.hexdigest()
            if ExportFile.Format.PDF in formats and (current := _reusable(spec, formats, digest)) is not None:
                storage.delete(json_writer.relative_path)
                log.info("The files of %s are those of the same data: kept, not rendered again.", spec.reference)
                return _keep(spec, current, on_replaced)
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
    return _replace(spec, written, on_replaced, digest)


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
