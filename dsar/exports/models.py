"""Generated export files, encrypted at rest (see ``dsar.exports.storage``)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dsar.models import Job


class ExportFile(models.Model):
    class Format(models.TextChoices):
        JSON = "json", "JSON"
        PDF = "pdf", "PDF"
        CSV = "csv", _("CSV (zip)")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="export_files")
    format = models.CharField(max_length=10, choices=Format.choices)
    # Relative to MEDIA_ROOT; the file holds chunked Fernet tokens, never plain text.
    path = models.CharField(max_length=300)
    size = models.PositiveBigIntegerField(default=0)  # plain-text size, as the subject will download it
    sha256 = models.CharField(max_length=64)  # of the plain text, printed in the report for integrity
    record_count = models.PositiveIntegerField(default=0)
    # What went into the files, not their bytes: the document without the time it
    # was made, and the PDF's layout (dsar.exports.service.content_digest). The
    # same for every format of one generation; equal on a later generation, the
    # PDF is not rendered again (issue 17).
    content_sha256 = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["job", "format"]
        constraints = [
            # Regeneration (after an exclusion) replaces the file of a format.
            models.UniqueConstraint(fields=["job", "format"], name="one_export_per_format")
        ]

    def __str__(self) -> str:
        return f"{self.format} export of {self.job_id}"

    @property
    def filename(self) -> str:
        extension = "zip" if self.format == self.Format.CSV else self.format
        return f"{self.job.external_ref}.{extension}"

    @property
    def content_type(self) -> str:
        return {"json": "application/json", "pdf": "application/pdf", "csv": "application/zip"}[self.format]
