"""The ticket's side of a restriction's end: the lifting, scheduled after the
subject was told (Art. 18(3)). Registered under the ``requests_app`` label
(imported by ``requests_app.models``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RestrictionLift(models.Model):
    """Art. 18(3): "shall be informed by the controller before the restriction
    of processing is lifted". The sources are changed only by the scheduled
    step (``execution.services.run_due_lifts``), once the notice to the subject
    left the outbox (sent, not only queued) and ``not_before`` has come."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        DONE = "done", _("Lifted")
        CANCELLED = "cancelled", _("Cancelled")

    request = models.ForeignKey("requests_app.SubjectRequest", models.CASCADE, related_name="restriction_lifts")
    plan_id = models.PositiveIntegerField()
    # A LiftReason code (execution.services), told to the subject.
    reason = models.CharField(_("reason"), max_length=40)
    # The subject's notice; None when the request has no e-mail address (then
    # the DPO told them by post, and the lead time alone applies).
    notice = models.ForeignKey("requests_app.OutgoingEmail", models.SET_NULL, null=True, blank=True, related_name="+")
    not_before = models.DateField(_("not before"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("scheduled lifting of a restriction")
        constraints = [
            # One pending lifting per plan: a second click would notify twice.
            models.UniqueConstraint(
                fields=["plan_id"], condition=Q(status="scheduled"), name="one_scheduled_lift_per_plan"
            )
        ]
        indexes = [
            # The periodic run (run_due_lifts): scheduled ones by date.
            models.Index(fields=["not_before"], condition=Q(status="scheduled"), name="lift_scheduled_due"),
        ]

    def __str__(self) -> str:
        return f"lift of plan {self.plan_id} ({self.status})"
