"""Generating, reading and deleting a job's export files."""

from __future__ import annotations

import io
from collections.abc import Iterator

from django.db import transaction

from dsar.exports import storage
from dsar.exports.content import ExportSpec
from dsar.exports.csv_export import write_csv_zip
from dsar.exports.json_export import write_json
from dsar.exports.models import ExportFile
from dsar.exports.pdf_export import write_pdf


def formats_for(kind: str, *, csv: bool = False) -> list[str]:
    """Access: JSON and the PDF report. Portability (Art. 20): JSON, and CSV if chosen."""
    if kind == "portability":
        return [ExportFile.Format.JSON, *([ExportFile.Format.CSV] if csv else [])]
    return [ExportFile.Format.JSON, ExportFile.Format.PDF]


def _save(spec: ExportSpec, fmt: str, writer: storage.EncryptedWriter, record_count: int) -> ExportFile:
    with transaction.atomic():
        old = list(ExportFile.objects.select_for_update().filter(job=spec.job, format=fmt))
        ExportFile.objects.filter(pk__in=[f.pk for f in old]).delete()
        export = ExportFile.objects.create(
            job=spec.job,
            format=fmt,
            path=writer.relative_path,
            size=writer.size,
            sha256=writer.sha256,
            record_count=record_count,
        )
    # The old file goes once the new row is committed, never before.
    for previous in old:
        transaction.on_commit(lambda path=previous.path: storage.delete(path))
    return export


def generate(spec: ExportSpec, formats: list[str]) -> list[ExportFile]:
    """(Re)generate the export files of ``spec.job`` in these formats.

    The JSON comes first: the PDF attaches it and prints its fingerprint.
    """
    results = []
    json_export = None
    if ExportFile.Format.JSON in formats or ExportFile.Format.PDF in formats:
        with storage.EncryptedWriter(storage.new_relative_path("json")) as writer:
            count = write_json(spec, writer)
        json_export = _save(spec, ExportFile.Format.JSON, writer, count)
        results.append(json_export)
    if ExportFile.Format.PDF in formats:
        json_bytes = storage.read_decrypted(json_export.path)
        with storage.EncryptedWriter(storage.new_relative_path("pdf")) as writer:
            buffer = io.BytesIO()
            write_pdf(spec, buffer, json_bytes=json_bytes, json_sha256=json_export.sha256)
            writer.write(buffer.getvalue())
        results.append(_save(spec, ExportFile.Format.PDF, writer, json_export.record_count))
    if ExportFile.Format.CSV in formats:
        with storage.EncryptedWriter(storage.new_relative_path("zip")) as writer:
            count = write_csv_zip(spec, writer)
        results.append(_save(spec, ExportFile.Format.CSV, writer, count))
    return results


def iter_file(export: ExportFile) -> Iterator[bytes]:
    return storage.iter_decrypted(export.path)


def read_file(export: ExportFile) -> bytes:
    return storage.read_decrypted(export.path)


def delete_files(job) -> int:
    """Delete a job's export files from disk and their rows (when a link expires)."""
    exports = list(ExportFile.objects.filter(job=job))
    for export in exports:
        storage.delete(export.path)
    ExportFile.objects.filter(pk__in=[e.pk for e in exports]).delete()
    return len(exports)
