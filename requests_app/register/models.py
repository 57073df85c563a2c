"""The register's own audit trail: what the DPO did to the register and the
sources outside any request (a file loaded, a connection tested, a preview
for a subject). A preview reads personal data, so it is recorded like any
read of the subject's records (Art. 5(2), 32(4)); ``details`` names which
kinds of identifier were used, never their values."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class RegisterEvent(models.Model):
    created_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # The actor's name as it was, kept when the account is deleted.
    actor_label = models.CharField(max_length=150)
    kind = models.CharField(max_length=60)
    # The source's code, for the events about one source.
    source = models.CharField(max_length=60, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The source page lists the events of its source, newest first.
            models.Index(fields=["source", "-created_at"], name="register_event_source"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.actor_label}"
