"""The record of each verification of the audit trail asked for in the workspace.

A verification concerns every request at once, so it cannot be an event of
one request's chain: it is a row of its own, append-only like the events.
Defined here and imported by ``requests_app.models``, so it belongs to the
``requests_app`` app. It holds references and sequence numbers, never
personal data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ChainVerification(models.Model):
    """Who verified the hash chains, when, and what they found (Art. 5(2) accountability)."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The username, kept if the account is later deleted.
    actor_label = models.CharField(max_length=150)
    checked = models.PositiveIntegerField()
    # The first broken link of each broken chain: [{"reference", "seq", "problem"}].
    breaks = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"verification {self.pk} by {self.actor_label}: {len(self.breaks)} broken of {self.checked}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Verifications of the audit trail are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Verifications of the audit trail are append-only.")

    @property
    def intact(self) -> bool:
        return not self.breaks
