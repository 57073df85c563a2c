"""Retention holds: a request kept as evidence past its retention period.

Defined here and imported by ``requests_app.models``, so they belong to the
``requests_app`` app (its label, tables and migrations are unchanged).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HoldReason(models.TextChoices):
    # The Belgian GBA/APD, or the authority of another member state (Art. 77).
    AUTHORITY_COMPLAINT = "authority_complaint", _("Complaint with the supervisory authority")
    COURT_PROCEEDINGS = "court_proceedings", _("Court proceedings")
    OTHER = "other", _("Other")


class RetentionHoldQuerySet(models.QuerySet):
    def active(self):
        return self.filter(lifted_at__isnull=True)


class RetentionHold(models.Model):
    """The DPO keeps a request's records past the retention periods because
    they are evidence: a complaint with the supervisory authority, a court
    case, an inquiry (the establishment, exercise or defence of legal claims,
    Art. 17(3)(e); accountability, Art. 5(2)).

    While a hold is active, neither the payload purge nor the record deletion
    touches the request (``requests_app.retention``, enforced again by
    ``workflow.purge_personal_data`` and ``workflow.delete_records``). Once
    lifted, the periods apply as before, counted from the request's end. The
    DPO's explanation is an ``InternalNote`` (it may name people, and the
    purge blanks notes); the audit events point to it by id only.
    """

    request = models.ForeignKey("requests_app.SubjectRequest", on_delete=models.CASCADE, related_name="retention_holds")
    reason = models.CharField(_("reason"), max_length=30, choices=HoldReason.choices)
    note = models.ForeignKey(
        "requests_app.InternalNote", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    placed_at = models.DateTimeField(_("placed"), default=timezone.now)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RetentionHoldQuerySet.as_manager()

    class Meta:
        verbose_name = _("retention hold")
        verbose_name_plural = _("retention holds")
        ordering = ["placed_at", "pk"]
        constraints = [
            # At most one active hold per request. Its partial index also serves
            # the "is this request held" lookups of the retention run and the queue.
            models.UniqueConstraint(
                fields=["request"], condition=Q(lifted_at__isnull=True), name="one_active_hold_per_request"
            )
        ]

    def __str__(self) -> str:
        return f"retention hold of {self.request_id} from {self.placed_at:%Y-%m-%d}"
