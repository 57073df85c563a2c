"""A link the subject receives to download their copy (see requests_app.delivery).

Only hashes of the link's token and of the one-time code are stored: a copy of
the database alone cannot be used to download anyone's data.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DownloadLink(models.Model):
    request = models.ForeignKey("requests_app.SubjectRequest", on_delete=models.CASCADE, related_name="download_links")
    job = models.ForeignKey("dsar.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    # The one-time code e-mailed at the moment of download.
    code_hash = models.CharField(max_length=64, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    codes_sent = models.PositiveSmallIntegerField(default=0)
    # When the last code was sent: a new one waits a minute (delivery.send_code).
    code_sent_at = models.DateTimeField(null=True, blank=True)
    download_count = models.PositiveIntegerField(default=0)
    # Set when the files are deleted (expiry) or a newer link replaced this one.
    files_deleted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The periodic sweep: expired links whose files are still on disk.
            models.Index(
                fields=["expires_at"], condition=Q(files_deleted_at__isnull=True), name="link_files_to_delete"
            ),
        ]

    def __str__(self) -> str:
        return f"download link {self.pk} of {self.request_id}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now() or self.files_deleted_at is not None

    @property
    def is_usable(self) -> bool:
        return not self.is_expired and self.revoked_at is None
