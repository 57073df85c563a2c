"""Requests forwarded to the controller they belong to (patient files).

Defined here and imported by ``requests_app.models``, so they belong to the
``requests_app`` app (its label, tables and migrations are unchanged).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dsar.core.models import TimeStampedModel


class Forwarding(TimeStampedModel):
    """A request sent on to the controller it belongs to.

    The vendor processes patient data on behalf of care providers (Art. 28):
    a patient's request about that data is the care provider's to answer, so
    the desk forwards it and tracks that the provider received it. Only the
    hash of the acknowledgement link's token is stored.
    """

    request = models.ForeignKey("requests_app.SubjectRequest", on_delete=models.CASCADE, related_name="forwardings")
    controller_name = models.CharField(_("controller"), max_length=200)
    controller_email = models.EmailField(_("controller's e-mail address"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField(_("sent"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("reminders"), default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    # Patient Rights Act (22 August 2002), art. 9 §2: the provider answers
    # within 15 days of the patient's request, counted from our day of receipt.
    due_date = models.DateField(_("provider's deadline"), null=True, blank=True)

    class Meta:
        verbose_name = _("forwarded request")
        verbose_name_plural = _("forwarded requests")
        indexes = [
            # The dashboard's and the reminder task's "not yet acknowledged".
            models.Index(fields=["sent_at"], condition=Q(acknowledged_at__isnull=True), name="forwarding_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} → {self.controller_name}"
