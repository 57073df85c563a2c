"""Requests: the queue's list and a request's detail, its events and notes, and
the workflow's actions (the intake's fields: ``serializers.intake``)."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dsar.models import (
    Job,
    SourceRun,
)
from requests_app import deadlines
from requests_app.api.base import UsernameField
from requests_app.api.serializers.representation import RepresentationSerializer
from requests_app.api.serializers.type_details import (
    TypeDetailsField,
)
from requests_app.audit import labels as event_labels
from requests_app.models import (
    OPEN_STATUSES,
    Channel,
    HoldReason,
    InternalNote,
    RejectionReason,
    RequestEvent,
    RequestType,
    Status,
    SubjectRequest,
)
from requests_app.representation.selectors import mandate_awaits_check

# The workflow's action names, as they appear in URLs (POST .../{action}/).
API_ACTIONS = {
    "assign": "assign",
    "request-info": "request_info",
    "approve": "approve",
    "reject": "reject",
    "extend": "extend",
    "close": "close",
    "forward": "forward",
    "release": "fulfil",
    "change-type": "change_type",
    "notes": "add_note",
    "retention-hold": "place_hold",
    "retention-hold/lift": "lift_hold",
    "identity-check": "record_identity_check",
    "fee": "announce_fee",
}
WORKFLOW_TO_API = {value: key for key, value in API_ACTIONS.items()}
# What ``allowed_actions`` may hold: the workflow's actions, the DPO's
# transmission decision and the check of a representative's mandate.
REQUEST_ACTIONS = [*API_ACTIONS, "transmission", "mandate-check"]


# ------------------------------------------------------------------------------
# Requests
# ------------------------------------------------------------------------------
class RequestListSerializer(serializers.ModelSerializer):
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    email = serializers.CharField(
        read_only=True, help_text="Empty for a request logged from a letter or a call: the subject is answered by post."
    )
    days_left = serializers.SerializerMethodField(help_text="Calendar days to the legal deadline (negative: overdue).")
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = SubjectRequest
        fields = [
            "reference",
            "request_type",
            "status",
            "channel",
            "language",
            "full_name",
            "email",
            "received_at",
            "due_date",
            "internal_target_date",
            "days_left",
            "overdue",
            "assignee",
        ]
        read_only_fields = fields

    def get_days_left(self, obj) -> int:
        return deadlines.days_left(obj.due_date)

    def get_overdue(self, obj) -> bool:
        return obj.status in OPEN_STATUSES and deadlines.days_left(obj.due_date) < 0


class SourceProgressSerializer(serializers.ModelSerializer):
    connector = serializers.CharField(source="connector.code")
    name = serializers.CharField(source="connector.name")

    class Meta:
        model = SourceRun
        fields = ["connector", "name", "status", "attempts", "record_count", "started_at", "finished_at", "error"]


class JobProgressSerializer(serializers.ModelSerializer):
    sources = SourceProgressSerializer(source="runs", many=True)

    class Meta:
        model = Job
        fields = ["id", "operation", "status", "created_at", "finished_at", "sources"]


class ForwardingSerializer(serializers.Serializer):
    controller_name = serializers.CharField()
    controller_email = serializers.EmailField()
    sent_at = serializers.DateTimeField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    reminders = serializers.IntegerField()
    due_date = serializers.DateField(
        allow_null=True, help_text="The care provider's deadline (Patient Rights Act, 15 days from our receipt)."
    )


# One enum in the schema (settings.ENUM_NAME_OVERRIDES): the decision and its answer.
TRANSMISSION_DECISIONS = [("send", "send"), ("not_feasible", "not_feasible")]


class TransmissionSerializer(serializers.Serializer):
    """A portability request's other organisation (Art. 20(2)) and the DPO's decision."""

    organisation = serializers.CharField(help_text="As the subject named it on the form.")
    requested_email = serializers.CharField(
        allow_blank=True, help_text="The organisation's e-mail address as the subject gave it (may be empty)."
    )
    decision = serializers.ChoiceField(
        choices=TRANSMISSION_DECISIONS,
        allow_null=True,
        help_text="null until a DPO decides (POST .../transmission/); the copy cannot be released before.",
    )
    email = serializers.CharField(allow_blank=True, help_text="Where the link goes, when the decision is send.")
    reason = serializers.CharField(
        allow_blank=True, help_text="Why sending is not technically feasible, as the subject reads it."
    )
    decided_by = serializers.CharField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    sent_at = serializers.DateTimeField(allow_null=True, help_text="When the organisation was e-mailed its link.")
    downloads = serializers.IntegerField(help_text="How many files the organisation downloaded.")


class RetentionHoldSerializer(serializers.Serializer):
    """The active retention hold: the request is kept as evidence, past the retention periods."""

    reason = serializers.ChoiceField(choices=HoldReason.choices)
    explanation = serializers.CharField(
        allow_blank=True, help_text="The DPO's explanation, as typed (an internal note of the request)."
    )
    placed_by = serializers.CharField(allow_null=True, help_text="User name of the DPO who placed it.")
    placed_at = serializers.DateTimeField()


class RequestDetailSerializer(RequestListSerializer):
    national_number = serializers.CharField(
        source="masked_national_number", help_text="Masked; a DPO reveals it in the workspace."
    )
    allowed_actions = serializers.SerializerMethodField(help_text="The actions (POST .../{action}/) you may take now.")
    jobs = serializers.SerializerMethodField(help_text="Gathering and execution per source, newest job first.")
    rejection_reason = serializers.ChoiceField(choices=RejectionReason.choices, allow_blank=True, read_only=True)
    type_details = TypeDetailsField(
        read_only=True, help_text="What the subject asks under the request's type: the schema of its `request_type`."
    )
    forwardings = ForwardingSerializer(
        many=True,
        read_only=True,
        help_text="Where the request was forwarded (Art. 28), and whether it was acknowledged.",
    )
    transmission = serializers.SerializerMethodField(
        help_text="Portability: the other organisation the subject asked us to send the copy to, or null."
    )
    retention_hold = serializers.SerializerMethodField(
        help_text="The active retention hold, or null: while held, the retention periods neither purge nor delete it."
    )
    representative = serializers.SerializerMethodField(
        help_text="Who made the request for the subject, with the mandate and its check; null when they asked themselves."
    )

    class Meta(RequestListSerializer.Meta):
        fields = [
            *RequestListSerializer.Meta.fields,
            "phone",
            "postal_address",
            "customer_number",
            "national_number",
            "details",
            "type_details",
            "verified_at",
            "original_due_date",
            "extended_at",
            "extension_reason",
            "rejection_reason",
            "rejection_details",
            "closed_at",
            "closing_reason",
            "answered_at",
            "forwardings",
            "outcome_summary",
            "purged_at",
            "retention_hold",
            "representative",
            "allowed_actions",
            "jobs",
            "transmission",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=REQUEST_ACTIONS)))
    def get_allowed_actions(self, obj) -> list[str]:
        from requests_app import permissions, workflow
        from requests_app.delivery import selectors as delivery_selectors

        user = self.context["request"].user
        allowed = [WORKFLOW_TO_API[name] for name in workflow.allowed_actions(obj, user) if name in WORKFLOW_TO_API]
        if permissions.can_decide_transmission(user, obj) and delivery_selectors.transmission_decidable(obj):
            allowed.append("transmission")
        if mandate_awaits_check(obj, _representation(obj)) and permissions.can_check_mandate(user, obj):
            allowed.append("mandate-check")
        return allowed

    @extend_schema_field(RepresentationSerializer(allow_null=True))
    def get_representative(self, obj):
        representation = _representation(obj)
        return RepresentationSerializer(representation).data if representation else None

    @extend_schema_field(TransmissionSerializer(allow_null=True))
    def get_transmission(self, obj):
        from requests_app.delivery import selectors as delivery_selectors

        target = delivery_selectors.transmission_target(obj)
        if target is None:
            return None
        decided = delivery_selectors.transmission_of(obj)
        return TransmissionSerializer(
            {
                "organisation": target["organisation"],
                "requested_email": target["email"],
                "decision": decided.decision if decided else None,
                "email": decided.email if decided else "",
                "reason": decided.reason if decided else "",
                "decided_by": decided.decided_by.get_username() if decided and decided.decided_by else None,
                "decided_at": decided.decided_at if decided else None,
                "sent_at": decided.sent_at if decided else None,
                "downloads": sum(link.download_count for link in decided.links.all()) if decided else 0,
            }
        ).data

    @extend_schema_field(RetentionHoldSerializer(allow_null=True))
    def get_retention_hold(self, obj):
        from requests_app import workflow

        hold = workflow.active_hold(obj)
        if hold is None:
            return None
        return RetentionHoldSerializer(
            {
                "reason": hold.reason,
                "explanation": hold.note.body if hold.note else "",
                "placed_by": hold.placed_by.get_username() if hold.placed_by else None,
                "placed_at": hold.placed_at,
            }
        ).data

    @extend_schema_field(JobProgressSerializer(many=True))
    def get_jobs(self, obj):
        jobs = self.context.get("jobs")
        if jobs is None:
            jobs = Job.objects.filter(external_ref=obj.reference).prefetch_related("runs__connector")
        return JobProgressSerializer(jobs, many=True).data


def _representation(obj: SubjectRequest):
    """The request's representative, or None: one query for the whole detail
    (the reverse one-to-one caches a miss as well as a hit)."""
    try:
        return obj.representation
    except ObjectDoesNotExist:
        return None


# Every kind of event the desk records (tests/requests_app/audit/test_event_labels.py
# keeps the list complete): one enum in the schema.
EVENT_KINDS = sorted(event_labels.EVENT_KINDS)


class EventSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=EVENT_KINDS, help_text="Dotted, e.g. `request.approved`.")
    actor = serializers.CharField(source="actor_label")
    status_before = serializers.ChoiceField(
        choices=Status.choices, allow_blank=True, help_text="Empty when the event did not change the status."
    )
    status_after = serializers.ChoiceField(
        choices=Status.choices, allow_blank=True, help_text="Empty when the event did not change the status."
    )
    label = serializers.SerializerMethodField(
        help_text="The kind in words, in the language asked for with Accept-Language (nl, fr, de, en)."
    )

    class Meta:
        model = RequestEvent
        fields = ["seq", "created_at", "kind", "label", "actor", "status_before", "status_after", "details", "public"]

    def get_label(self, obj) -> str:
        return event_labels.label(obj.kind)


class NoteSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = InternalNote
        fields = ["id", "created_at", "author", "body"]
        read_only_fields = ["id", "created_at", "author"]
        extra_kwargs = {"body": {"max_length": 10000}}


class RequestFilterSerializer(serializers.Serializer):
    """The request list's query parameters, as the schema documents them; the
    workspace queue's ``QueueFilterSet`` reads and applies them (a test keeps
    the two lists of names equal)."""

    status = serializers.ChoiceField(
        choices=[("open", "Every open status"), ("all", "Every status"), *Status.choices],
        required=False,
        help_text="Not given: every status.",
    )
    request_type = serializers.ChoiceField(choices=RequestType.choices, required=False)
    type = serializers.ChoiceField(
        choices=RequestType.choices, required=False, help_text="The same as request_type (the workspace's name)."
    )
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    assignee = serializers.CharField(
        required=False,
        max_length=150,
        help_text=(
            'A user name or a user id, "me", or "none" for unassigned requests. A number matches both the user '
            "of that id and a user of that name."
        ),
    )
    overdue = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Open requests past their legal deadline (with false: every other request).",
    )
    due_within = serializers.IntegerField(
        required=False, min_value=0, help_text="Legal deadline within this many days (at most 366)."
    )
    held = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Requests under an active retention hold (or not)."
    )
    q = serializers.CharField(
        required=False, help_text="A reference, an e-mail address, or part of the subject's name."
    )


# ------------------------------------------------------------------------------
# Workflow actions
# ------------------------------------------------------------------------------
class AssignSerializer(serializers.Serializer):
    assignee = UsernameField(allow_null=True, help_text="User name of a DPO or privacy agent; null to unassign.")


class RequestInfoSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=10000, help_text="The message e-mailed to the subject.")
    subject_line = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class RejectSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=RejectionReason.choices)
    details = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class ExtendSerializer(serializers.Serializer):
    months = serializers.IntegerField(min_value=1, max_value=2)
    reason = serializers.CharField(max_length=5000, help_text="Told to the subject (Art. 12(3)).")


class CloseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class ReleaseSerializer(serializers.Serializer):
    # Required while a source could not be searched: the DPO's reason to answer now (audited).
    incomplete_reason = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class ForwardSerializer(serializers.Serializer):
    controller_name = serializers.CharField(max_length=200, help_text="The controller the request belongs to.")
    controller_email = serializers.EmailField(help_text="Receives the request and a link to acknowledge it.")
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class PlaceHoldSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=HoldReason.choices)
    explanation = serializers.CharField(
        max_length=2000,
        help_text="Why the records must be kept, e.g. the authority's or the court's file number. Kept as an "
        "internal note; the audit trail records only the reason's code.",
    )


class LiftHoldSerializer(serializers.Serializer):
    explanation = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why the hold can be lifted (optional, kept as an internal note).",
    )


class TransmissionDecisionSerializer(serializers.Serializer):
    """Art. 20(2): send the copy to the organisation the subject named, or say why that is not feasible."""

    decision = serializers.ChoiceField(choices=TRANSMISSION_DECISIONS)
    email = serializers.EmailField(
        max_length=254,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required to send: the organisation's address (its link and codes go there).",
    )
    reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when not feasible: told to the subject in their e-mail.",
    )

    def validate(self, attrs):
        if attrs["decision"] == "send" and not attrs.get("email", "").strip():
            raise serializers.ValidationError(
                {"email": [_("Enter the other organisation's e-mail address: the link is sent there.")]}
            )
        if attrs["decision"] == "not_feasible" and not attrs.get("reason", "").strip():
            raise serializers.ValidationError(
                {"reason": [_("Say why sending it directly is not technically feasible: the subject will read it.")]}
            )
        return attrs
