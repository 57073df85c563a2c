"""The execution plan as the plan panel shows it, and the inputs of its forms."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from dsar.execution.models import Action, Exception17, NotNotifiedReason, Plan, PlanItem
from dsar.models import ManualTask, Operation, SourceRun
from requests_app.execution import services as execution_services
from requests_app.execution.models import RestrictionLift
from requests_app.intake.details import ErasureGround


class PlanItemSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="run.connector.code")
    activity = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    action = serializers.ChoiceField(choices=Action.choices)
    status = serializers.ChoiceField(choices=PlanItem.Status.choices)
    reason = serializers.ChoiceField(choices=Exception17.choices, allow_blank=True)
    fields = serializers.JSONField(
        help_text=(
            "What the action writes: the columns and their operation, the corrected values of a rectification "
            "(under `changes` for a system's interface), or `planned_action` of a record kept."
        )
    )
    approved_fields = serializers.ListField(
        child=serializers.CharField(), help_text="Rectification: the corrected fields approved (only they are written)."
    )
    matched_on = serializers.ListField(
        child=serializers.CharField(),
        help_text="The identifiers the record was found by (as the records' `matched_on`). Found only by unverified "
        "ones, the step is left out (`skipped`) until the DPO puts it back.",
    )
    before = serializers.SerializerMethodField(
        help_text="Rectification: the record's values of the corrected fields when the plan was computed "
        "(the record before the change; `fields` is after). Empty for other actions."
    )

    def get_before(self, item) -> dict[str, str | None]:
        return {k: (None if v is None else str(v)) for k, v in item.before_values.items()}

    class Meta:
        model = PlanItem
        fields = [
            "id",
            "source",
            "seq",
            "entity",
            "record_key",
            "category",
            "action",
            "status",
            "fields",
            "approved_fields",
            "activity",
            "reason",
            "note",
            "keep_until",
            "mandatory",
            "matched_on",
            "before",
            "changed",
            "executed_at",
            "error",
        ]
        read_only_fields = fields


class PlanTaskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ManualTask.Status.choices)
    completed_at = serializers.DateTimeField(allow_null=True)


class PlanSourceSerializer(serializers.Serializer):
    source = serializers.CharField(source="run.connector.code")
    name = serializers.CharField(source="run.connector.name")
    status = serializers.ChoiceField(source="run.status", choices=SourceRun.Status.choices)
    attempts = serializers.IntegerField(source="run.attempts")
    error = serializers.CharField(source="run.error")
    notes = serializers.ListField(
        child=serializers.CharField(),
        help_text=(
            "Why the plan covers this source's data as it does (a restriction: all the subject's data, or on "
            "Art. 18(1)(a) only the tables holding the contested data), in the language asked for."
        ),
    )
    items = PlanItemSerializer(many=True)
    manual_task = PlanTaskSerializer(
        source="task", allow_null=True, help_text="The manual task of this source, if any."
    )


class PlanRecipientSerializer(serializers.Serializer):
    """A recipient of the data (Art. 19) and why it is concerned."""

    recipient = serializers.CharField(source="recipient.code")
    name = serializers.CharField(source="recipient.name")
    has_email = serializers.SerializerMethodField()
    categories = serializers.ListField(child=serializers.CharField())
    activities = serializers.ListField(child=serializers.CharField())
    unclassified = serializers.BooleanField()

    def get_has_email(self, entry) -> bool:
        return bool(entry["recipient"].contact_email)


class PlanNoticeSerializer(PlanRecipientSerializer):
    id = serializers.IntegerField(source="notice.pk", help_text="For POST .../plan/notices/{id}/remind/.")
    sent_at = serializers.DateTimeField(source="notice.sent_at", allow_null=True)
    acknowledged_at = serializers.DateTimeField(source="notice.acknowledged_at", allow_null=True)
    reminders = serializers.IntegerField(source="notice.reminders")
    # Art. 19: told by other means than e-mail, or not told and why (the release waits for one of them).
    other_means = serializers.BooleanField(source="notice.other_means")
    not_notified_reason = serializers.CharField(source="notice.not_notified_reason")


# Named sets of choices: one enum each in the schema (settings.ENUM_NAME_OVERRIDES).
WARNING_CODES = [
    "plan_failed",
    "sources_unreadable",
    "restrict_by_hand",
    "restrict_failed",
    "recipients_without_email",
    "correction_unmatched",
]
ITEM_CHANGES = ["keep", "leave_out", "include", "fields"]
# What a plan's ``allowed_actions`` may hold (views.plan._plan_actions).
PLAN_ACTIONS = [
    "items",
    "corrections",
    "approve",
    "recompute",
    "resume",
    "lift-restriction",
    "tell-recipients",
    "remind",
]


class PlanWarningSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=WARNING_CODES)
    message = serializers.CharField(help_text="In the language asked for with Accept-Language.")
    sources = serializers.ListField(child=serializers.CharField(), help_text="The sources or recipients concerned.")


class MappedFieldSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField(
        help_text="The field's label in the sources' configuration, in the language asked for."
    )
    value = serializers.CharField(help_text="The new value of this field.")


class CorrectionSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    field = serializers.CharField()
    correct = serializers.CharField()
    matched = serializers.BooleanField(help_text="Whether a source has a field of this name, or the DPO mapped it.")
    fields = MappedFieldSerializer(
        many=True, help_text="The fields the DPO mapped this correction onto, each with its value (empty: not split)."
    )


class ScheduledLiftSerializer(serializers.Serializer):
    """Art. 18(3): a restriction's lifting, announced to the subject and waiting for its date."""

    id = serializers.IntegerField(help_text="For POST .../plan/lifts/{id}/cancel/.")
    status = serializers.ChoiceField(choices=RestrictionLift.Status.choices)
    reason = serializers.ChoiceField(choices=execution_services.LiftReason.choices)
    not_before = serializers.DateField(help_text="The date announced to the subject; not lifted before it.")
    notice_sent = serializers.SerializerMethodField(
        help_text="Whether the notice to the subject left the outbox; the lifting waits for it (Art. 18(3))."
    )
    created_at = serializers.DateTimeField()
    done_at = serializers.DateTimeField(allow_null=True)

    def get_notice_sent(self, lift) -> bool:
        if lift.notice_id is None:
            return True  # no address: the DPO told the subject by post; the date alone applies
        return bool(lift.notice and lift.notice.status == lift.notice.Status.SENT)


class PlanSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="plan.pk")
    status = serializers.ChoiceField(source="plan.status", choices=Plan.Status.choices)
    operation = serializers.ChoiceField(source="plan.job.operation", choices=Operation.choices)
    error = serializers.CharField(source="plan.error")
    created_at = serializers.DateTimeField(source="plan.created_at")
    computed_at = serializers.DateTimeField(source="plan.computed_at", allow_null=True)
    approved_at = serializers.DateTimeField(source="plan.approved_at", allow_null=True)
    approved_by = serializers.CharField(source="plan.approved_by.username", allow_null=True, default=None)
    executed_at = serializers.DateTimeField(source="plan.executed_at", allow_null=True)
    recipients_notified_at = serializers.DateTimeField(source="plan.recipients_notified_at", allow_null=True)
    editable = serializers.BooleanField(source="plan.editable", help_text="Items may be changed and the plan approved.")
    restrict_meanwhile = serializers.BooleanField(
        help_text="The subject asked for a restriction while the accuracy is checked (Art. 18(1)(a))."
    )
    warnings = PlanWarningSerializer(many=True)
    sources = PlanSourceSerializer(source="runs", many=True)
    corrections = CorrectionSerializer(many=True, help_text="Rectification: the corrections the subject asked for.")
    correction_fields = serializers.ListField(
        child=serializers.CharField(), help_text="Rectification: the fields a correction can be mapped onto."
    )
    approval_blocked = serializers.CharField(
        help_text="Why the plan cannot be approved as it stands (what must be decided first); empty when it can."
    )
    scheduled_lift = ScheduledLiftSerializer(
        allow_null=True, help_text="The restriction's lifting scheduled after telling the subject (Art. 18(3)), if any."
    )
    recipients_to_notify = PlanRecipientSerializer(
        source="to_notify", many=True, help_text="Recipients to notify once the plan is executed (Art. 19)."
    )
    recipients_notified = PlanNoticeSerializer(source="notices", many=True)
    allowed_actions = serializers.ListField(
        child=serializers.ChoiceField(choices=PLAN_ACTIONS),
        help_text="The plan actions (POST .../plan/{action}/) you may take now.",
    )


class ItemChangeSerializer(serializers.Serializer):
    change = serializers.ChoiceField(
        choices=ITEM_CHANGES,
        help_text=(
            "`keep`: keep a record the plan would erase (Art. 17(3)), with `reason` and `note`; "
            "`leave_out`: leave the item out of the plan, with `note`; `include`: put it back; "
            "`fields`: approve exactly these corrected `fields` of a rectification."
        ),
    )
    reason = serializers.ChoiceField(choices=Exception17.choices, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    fields = serializers.ListField(child=serializers.CharField(max_length=200), required=False, default=list)


class MapCorrectionSerializer(serializers.Serializer):
    field = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="The one source field the subject's correction is about (see `correction_fields`), with the "
        "subject's value. Or use `fields`.",
    )
    fields = serializers.DictField(
        child=serializers.CharField(max_length=500),
        required=False,
        default=dict,
        help_text="Several source fields the correction is about, each with its new value, e.g. "
        '`{"street": "Neustraße 12", "postal_code": "4700", "city": "Eupen"}` (since 1.3.0).',
    )

    def validate(self, attrs):
        if not attrs.get("field") and not attrs.get("fields"):
            raise serializers.ValidationError(_("Give the field, or the fields with their values."))
        return attrs


class ApprovePlanSerializer(serializers.Serializer):
    erasure_ground = serializers.ChoiceField(
        choices=ErasureGround.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Erasure (required): the ground of Art. 17(1) on which the data is erased; kept in the audit trail.",
    )


class LiftRestrictionSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(
        choices=execution_services.LiftReason.choices, help_text="Why the restriction ends."
    )


class NoticeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    recipient = serializers.CharField(source="recipient.code")
    sent_at = serializers.DateTimeField(allow_null=True)
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    reminders = serializers.IntegerField()


class SettleNoticeSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(
        choices=NotNotifiedReason.choices,
        required=False,
        allow_blank=True,
        help_text="Empty: the recipient was told by other means (letter, phone). Otherwise why it was not (Art. 19).",
    )
    note = serializers.CharField(required=False, allow_blank=True, help_text="Required with a reason.")
