"""Plans: what an execution job would change, per connector and record, and
what it did. A plan item never holds a copy of the record; it names the
record by its key and says what happens to which fields, and why."""

from __future__ import annotations

import json

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dsar.core.crypto import EncryptedTextField, LinkTokenModel, new_link_token
from dsar.models import Connector, Job, ProcessingActivity, Recipient, SourceRun, pick


class Action(models.TextChoices):
    DELETE = "delete", _("Delete the record")
    MASK = "mask", _("Mask fields")
    KEEP = "keep", _("Keep")
    RECTIFY = "rectify", _("Correct fields")
    RESTRICT = "restrict", _("Mark restricted")
    UNRESTRICT = "unrestrict", _("Lift the restriction")
    STOP = "stop", _("Stop the processing")
    API_CALL = "api_call", _("Call the source's API")
    MANUAL = "manual", _("Manual task")


# Markers (``PlanItem.note``) of a restriction applied at once while the
# accuracy is checked (Art. 18(1)(a)), and of the step that lifts a restriction
# (Art. 18(3)) where only a person or an API call can do it.
MEANWHILE = "meanwhile"
LIFT = "lift"

# Key of ``SourceRun.summary`` on a run whose source could not be read when the
# plan was computed (its value: why). Such a source was never searched: its run
# stays failed whatever is approved or executed after it, until the plan is
# computed again (``dsar.execution.service.runs_to_execute``).
UNREAD = "unread"


class FieldOp(models.TextChoices):
    """How a masked field is overwritten (erasure ``fields`` in the connector config)."""

    NULL = "null", _("Set to empty")
    HASH = "hash", _("Replace with a keyed hash")
    FIXED = "fixed", _("Replace with a fixed value")


class Exception17(models.TextChoices):
    """Art. 17(3): grounds on which data is kept despite an erasure request."""

    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation to keep (Art. 17(3)(b))")
    EXPRESSION = "expression", _("Freedom of expression and information (Art. 17(3)(a))")
    PUBLIC_HEALTH = "public_health", _("Public health (Art. 17(3)(c))")
    ARCHIVING = "archiving", _("Archiving, research or statistics (Art. 17(3)(d))")
    LEGAL_CLAIMS = "legal_claims", _("Legal claims (Art. 17(3)(e))")
    REFERENCED = "referenced", _("Needed by records that are kept")


class Plan(models.Model):
    class Status(models.TextChoices):
        PLANNING = "planning", _("Being computed")
        READY = "ready", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        EXECUTING = "executing", _("Being executed")
        WAITING = "waiting", _("Waiting for manual tasks")
        DONE = "done", _("Executed")
        PARTIAL = "partial", _("Executed with failures")
        FAILED = "failed", _("Could not be computed")

    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="plan")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNING)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    computed_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    executed_at = models.DateTimeField(null=True, blank=True)
    # Art. 19 notices go out once, when the execution is complete.
    recipients_notified_at = models.DateTimeField(null=True, blank=True)
    # Why the plan covers a source's data as it does, for the plan panel: connector code -> messages
    # stored with ``Message.as_dict`` (shown translated). A restriction says whether it covers all the
    # subject's data or, on Art. 18(1)(a), only the tables holding the contested data, and why.
    scope_notes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"plan {self.job}"

    @property
    def editable(self) -> bool:
        return self.status == self.Status.READY


class PlanItem(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Left out by the DPO")
        WAITING = "waiting", _("Waiting for a person")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    run = models.ForeignKey(SourceRun, on_delete=models.CASCADE, related_name="plan_items")
    seq = models.PositiveIntegerField()
    entity = models.CharField(max_length=100)  # table or resource
    # The record's key in the source (primary key), never its content.
    record_key = models.CharField(max_length=200, blank=True)
    category = models.CharField(max_length=60, blank=True)
    action = models.CharField(max_length=20, choices=Action)
    # {column: "null" | "hash" | "fixed"} for masks; {column: new value} for
    # rectification, restriction and consent changes.
    fields = models.JSONField(default=dict, blank=True)
    # Rectification: the columns the DPO approved; only these are written.
    approved_fields = models.JSONField(default=list, blank=True)
    # Rectification: the record's values of the corrected columns when the plan
    # was computed ({column: value}, JSON), so that the DPO sees each record
    # before and after the change. Encrypted like the gathered records: it is
    # the subject's data, read only for this one plan.
    before = EncryptedTextField(blank=True)
    activity = models.ForeignKey(ProcessingActivity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Why it is kept (or why it must be done): legal hold, Art. 17(3), Art. 21(3).
    reason = models.CharField(max_length=40, blank=True, choices=Exception17)
    note = models.CharField(max_length=500, blank=True)
    keep_until = models.DateField(null=True, blank=True)
    # Art. 21(3): an objection to direct marketing cannot be refused.
    mandatory = models.BooleanField(default=False)
    # The identity fields the record was found by (SourceRecord.matched_on):
    # the ticket holds back an item found only by identifiers nobody verified.
    matched_on = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    changed = models.PositiveIntegerField(default=0)  # rows changed when executed
    executed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "seq"]
        constraints = [models.UniqueConstraint(fields=["plan", "seq"], name="plan_item_seq_unique")]
        indexes = [
            # The executor reads one run's open items.
            models.Index(fields=["run", "status"], name="plan_item_run_status"),
        ]

    def __str__(self) -> str:
        return f"{self.entity} {self.record_key}: {self.action}"

    @property
    def before_values(self) -> dict:
        """The record's values of the corrected columns when the plan was computed ({} if unknown)."""
        if not self.before:
            return {}
        try:
            values = json.loads(self.before)
        except ValueError:
            return {}
        return values if isinstance(values, dict) else {}

    @property
    def call_description(self) -> str:
        """What an API call does, for the DPO reviewing the plan: the
        connector's own words (``description`` of the call, a text or a
        mapping of language to text), or what any such call is for."""
        description = self.fields.get("description")
        if isinstance(description, dict):
            description = pick(description)
        if description:
            return str(description)
        return str(CALL_PURPOSES.get(self.fields.get("call", "").split(".")[0], ""))


CALL_PURPOSES = {
    "erase": _("Erases the subject's data in this system."),
    "restrict": _("Marks the subject restricted in this system: kept, not otherwise used."),
    "rectify": _("Sends the approved corrections to this system."),
    "stop_processing": _("Stops this processing activity for the subject in this system."),
}


# Migration 0001 names this default of the former plain token column.
_new_token = new_link_token


class NotNotifiedReason(models.TextChoices):
    """Why a recipient was not told of a rectification, erasure or restriction (Art. 19)."""

    IMPOSSIBLE = "impossible", _("Impossible (Art. 19)")
    DISPROPORTIONATE = "disproportionate", _("Disproportionate effort (Art. 19)")
    NO_LONGER_RECIPIENT = "no_longer_recipient", _("No longer a recipient of the data")


class RecipientNotice(LinkTokenModel):
    """Art. 19: a recipient told of a rectification, erasure or restriction,
    tracked until they acknowledge it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="notices")
    recipient = models.ForeignKey(Recipient, on_delete=models.PROTECT, related_name="notices")
    # The acknowledgement link carries ``token`` (LinkTokenModel): a reminder sends the same link.
    sent_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(default=0)
    # Why it is notified: the data categories changed that it receives, and
    # the processing activities through which it receives them.
    categories = models.JSONField(default=list, blank=True)
    activities = models.JSONField(default=list, blank=True)
    # The register could not say which categories it receives (or what changed): notified to be safe.
    unclassified = models.BooleanField(default=False)
    # Art. 19: each recipient is notified "unless this proves impossible or
    # involves disproportionate effort". Either ``sent_at`` (by e-mail, or by
    # other means the DPO records: ``other_means``) or a reason not to, never
    # neither once the request is released.
    other_means = models.BooleanField(default=False)
    not_notified_reason = models.CharField(max_length=30, choices=NotNotifiedReason.choices, blank=True)
    # The DPO's explanation of that reason (about the recipient, not the subject).
    not_notified_note = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    @property
    def settled(self) -> bool:
        """Notified or, with a reason, not: the release need not wait for it."""
        return bool(self.sent_at or self.not_notified_reason)

    class Meta:
        ordering = ["recipient__name"]
        constraints = [models.UniqueConstraint(fields=["plan", "recipient"], name="one_notice_per_recipient")]

    def __str__(self) -> str:
        return f"notice to {self.recipient} ({'acknowledged' if self.acknowledged_at else 'open'})"


class DeferredErasure(models.Model):
    """A record an erasure kept under a legal hold, to erase when the hold ends
    (``keep_until``): the subject was told it would go as soon as it may.

    Deliberately not tied to the plan or the job: the desk deletes a request's
    records (plans included) after ``DSAR_RECORD_RETENTION_YEARS``, often before
    a 7-year hold ends, and the subject's identity is gone long before that, so
    the record's key is all that is left to find it by. It holds no more than
    the key, what to do, and the request's reference for the audit trail."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Erased")
        FAILED = "failed", _("Failed, tried again the next day")
        MANUAL = "manual", _("Needs a person")

    connector = models.ForeignKey(Connector, on_delete=models.PROTECT, related_name="deferred_erasures")
    entity = models.CharField(max_length=100)  # table
    record_key = models.CharField(max_length=200)
    due_on = models.DateField()
    # The table's own erasure: delete, or mask these fields ({column: "null" | "hash" | "fixed:..."}).
    action = models.CharField(max_length=20, choices=Action)
    fields = models.JSONField(default=dict, blank=True)
    external_ref = models.CharField(max_length=40)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)  # rows changed when done (0: already gone)
    done_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            # A plan finishing twice (partial, then done after a retry) defers each record once.
            models.UniqueConstraint(
                fields=["connector", "entity", "record_key", "external_ref"], name="deferred_erasure_unique"
            )
        ]
        indexes = [
            # The daily run reads the open ones that are due; the dashboard counts them.
            models.Index(fields=["status", "due_on"], name="deferred_erasure_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.entity} {self.record_key}: {self.action} on {self.due_on}"


__all__ = [
    "LIFT",
    "MEANWHILE",
    "UNREAD",
    "Action",
    "Connector",
    "DeferredErasure",
    "Exception17",
    "FieldOp",
    "Plan",
    "PlanItem",
    "RecipientNotice",
]
