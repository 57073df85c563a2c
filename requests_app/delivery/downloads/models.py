"""A link to download a copy (see requests_app.delivery), and the DPO's decision
on sending a portability copy directly to another organisation (Art. 20(2)).

Only hashes of the link's token and of the one-time code are stored: a copy of
the database alone cannot be used to download anyone's data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Transmission(models.Model):
    """Whether a portability copy goes directly to the organisation the subject named.

    Art. 20(2) gives the subject that right "where technically feasible": before
    release the DPO records either the organisation's address (it then receives
    a download link of its own) or why it is not feasible (the subject is told).
    One per request; a new decision replaces the last one until the release.
    """

    class Decision(models.TextChoices):
        SEND = "send", _("Send it to the other organisation")
        NOT_FEASIBLE = "not_feasible", _("Not technically feasible")

    request = models.OneToOneField("requests_app.SubjectRequest", on_delete=models.CASCADE, related_name="transmission")
    # As the subject named it on the form: the only detail the audit trail repeats.
    organisation = models.CharField(_("organisation"), max_length=500)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    email = models.EmailField(_("organisation's e-mail address"), max_length=254, blank=True)
    reason = models.TextField(_("why it is not technically feasible"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("link sent"), null=True, blank=True)

    def __str__(self) -> str:
        return f"transmission of {self.request_id}: {self.decision}"

    @property
    def sends(self) -> bool:
        return self.decision == self.Decision.SEND


class DownloadLink(models.Model):
    request = models.ForeignKey("requests_app.SubjectRequest", on_delete=models.CASCADE, related_name="download_links")
    job = models.ForeignKey("dsar.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Set for the link e-mailed to the other organisation (Art. 20(2)); its
    # codes go to that organisation's address, not to the subject.
    transmission = models.ForeignKey(
        Transmission, null=True, blank=True, on_delete=models.CASCADE, related_name="links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    # The one-time code e-mailed at the moment of download.
    code_hash = models.CharField(max_length=64, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    codes_sent = models.PositiveSmallIntegerField(default=0)
    # When the last code was sent: a new one waits a minute (delivery.services.send_code).
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

    @property
    def for_organisation(self) -> bool:
        return self.transmission_id is not None
