"""What the API reads and writes, with a clear message per field."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dsar import configuration
from dsar.connectors import kinds
from dsar.models import (
    Connector,
    DataCategory,
    IdentityField,
    Job,
    LegalBasis,
    Operation,
    ProcessingActivity,
    Recipient,
    SourceRun,
)
from requests_app import deadlines, event_labels, roles
from requests_app.api.models import WebhookDelivery, WebhookSubscription
from requests_app.api.webhooks import EVENT_KINDS, TargetRefused, check_target
from requests_app.intake.details import MAX_CORRECTIONS, RestrictionGround
from requests_app.models import (
    OPEN_STATUSES,
    Channel,
    HoldReason,
    IdentityCheck,
    InternalNote,
    Language,
    RejectionReason,
    RequestEvent,
    RequestType,
    Status,
    SubjectRequest,
)

User = get_user_model()

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
}
WORKFLOW_TO_API = {value: key for key, value in API_ACTIONS.items()}


class UsernameField(serializers.SlugRelatedField):
    """A staff member named by user name."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "username")
        kwargs.setdefault("queryset", User.objects.filter(is_active=True))
        super().__init__(**kwargs)


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


class TransmissionSerializer(serializers.Serializer):
    """A portability request's other organisation (Art. 20(2)) and the DPO's decision."""

    organisation = serializers.CharField(help_text="As the subject named it on the form.")
    requested_email = serializers.CharField(
        allow_blank=True, help_text="The organisation's e-mail address as the subject gave it (may be empty)."
    )
    decision = serializers.ChoiceField(
        choices=[("send", "send"), ("not_feasible", "not_feasible")],
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
            "allowed_actions",
            "jobs",
            "transmission",
        ]
        read_only_fields = fields

    def get_allowed_actions(self, obj) -> list[str]:
        from requests_app import delivery, workflow

        user = self.context["request"].user
        allowed = [WORKFLOW_TO_API[name] for name in workflow.allowed_actions(obj, user) if name in WORKFLOW_TO_API]
        if delivery.can_decide_transmission(user, obj):
            allowed.append("transmission")
        return allowed

    @extend_schema_field(TransmissionSerializer(allow_null=True))
    def get_transmission(self, obj):
        from requests_app import delivery

        target = delivery.transmission_target(obj)
        if target is None:
            return None
        decided = delivery.transmission_of(obj)
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


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_label")
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
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    request_type = serializers.ChoiceField(choices=RequestType.choices, required=False)
    assignee = serializers.CharField(
        required=False, max_length=150, help_text='A user name, "me", or "none" for unassigned requests.'
    )
    overdue = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Open requests past their legal deadline."
    )
    held = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Requests under an active retention hold (or not)."
    )


# ------------------------------------------------------------------------------
# Workflow actions
# ------------------------------------------------------------------------------
class AssignSerializer(serializers.Serializer):
    assignee = UsernameField(allow_null=True, help_text="User name of a DPO or privacy agent; null to unassign.")


class RequestInfoSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=10000, help_text="The message e-mailed to the subject.")
    subject_line = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class EmptySerializer(serializers.Serializer):
    pass


class RejectSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=RejectionReason.choices)
    details = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class ExtendSerializer(serializers.Serializer):
    months = serializers.IntegerField(min_value=1, max_value=2)
    reason = serializers.CharField(max_length=5000, help_text="Told to the subject (Art. 12(3)).")


class CloseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


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

    decision = serializers.ChoiceField(choices=[("send", "send"), ("not_feasible", "not_feasible")])
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


# ------------------------------------------------------------------------------
# Public intake
# ------------------------------------------------------------------------------
class CorrectionSerializer(serializers.Serializer):
    field = serializers.CharField(max_length=200, help_text="Which data is wrong.")
    current = serializers.CharField(
        max_length=1000, required=False, allow_blank=True, help_text="What the controller has now, if known."
    )
    correct = serializers.CharField(max_length=1000, help_text="What is correct.")


class PublicRequestSerializer(serializers.Serializer):
    """Documents the fields of the web form; RequestForm validates them."""

    request_type = serializers.ChoiceField(choices=RequestType.choices)
    full_name = serializers.CharField(max_length=200)
    email = serializers.EmailField(max_length=254)
    language = serializers.ChoiceField(choices=Language.choices)
    details = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    customer_number = serializers.CharField(max_length=64, required=False, allow_blank=True)
    postal_address = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    national_number = serializers.CharField(
        max_length=20, required=False, allow_blank=True, help_text="Only where the controller asks for it."
    )
    rectification_field = serializers.CharField(max_length=200, required=False, allow_blank=True)
    rectification_current = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    rectification_correct = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    rectification_items = serializers.ListField(
        child=CorrectionSerializer(),
        required=False,
        max_length=MAX_CORRECTIONS,
        help_text=(
            f"Rectification: up to {MAX_CORRECTIONS} corrections. Either this list or the single"
            " rectification_field/rectification_current/rectification_correct, not both."
        ),
    )
    rectification_restrict = serializers.BooleanField(
        required=False, help_text="Rectification: restrict the data while the correction is checked (Art. 18(1)(a))."
    )
    restriction_ground = serializers.ChoiceField(
        choices=RestrictionGround.choices,
        required=False,
        help_text="Restriction: the ground of Art. 18(1), required for a restriction. Explain more in `details`.",
    )
    restriction_contested_categories = serializers.ListField(
        child=serializers.CharField(max_length=60),
        required=False,
        help_text=(
            'Restriction on ground "contested_accuracy" (Art. 18(1)(a)), optional: the codes of the data categories'
            " of the processing register whose accuracy the subject contests. In SQL sources only the tables"
            " holding them are then restricted; none sent, all the subject's data is. An unknown code is refused;"
            " with any other ground the list is ignored (those grounds concern all the subject's data)."
        ),
    )
    rectification_tell_recipients = serializers.BooleanField(
        required=False, help_text="Rectification: the subject asks which recipients were informed (Art. 19)."
    )
    restriction_tell_recipients = serializers.BooleanField(
        required=False, help_text="Restriction: the subject asks which recipients were informed (Art. 19)."
    )
    erasure_tell_recipients = serializers.BooleanField(
        required=False, help_text="Erasure: the subject asks which recipients were informed (Art. 19)."
    )
    erasure_scope = serializers.ChoiceField(choices=[("all", "all"), ("specific", "specific")], required=False)
    erasure_categories = serializers.ListField(
        child=serializers.CharField(max_length=60),
        required=False,
        help_text=(
            'Erasure of specific data (erasure_scope "specific"): the codes of the data categories of the'
            " processing register to erase; required then when the register lists categories."
        ),
    )
    erasure_specific = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text="Erasure of specific data: more about the data, in the subject's words (optional with categories).",
    )
    objection_activities = serializers.ListField(child=serializers.CharField(max_length=60), required=False)
    withdrawal_consents = serializers.ListField(child=serializers.CharField(max_length=60), required=False)
    portability_format = serializers.ChoiceField(choices=[("json", "json"), ("csv", "csv")], required=False)
    portability_target = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="Portability: the organisation the subject wants the data sent to directly (Art. 20(2)).",
    )
    portability_target_email = serializers.EmailField(
        max_length=254,
        required=False,
        allow_blank=True,
        help_text="Portability: that organisation's e-mail address, if the subject knows it.",
    )


class ChangeTypeSerializer(PublicRequestSerializer):
    """Documents the change of type: the new type with the type-specific fields of
    the web form, which replace the old type's; the workspace's form validates them."""

    reason = serializers.CharField(max_length=500, help_text="Why the type changes (kept as an internal note).")
    # The subject's identity and words are not changed with the type.
    full_name = email = language = details = phone = customer_number = postal_address = national_number = None


# The channels staff log a request from (the web form and the API's public intake record themselves).
STAFF_CHANNELS = [value for value in Channel.values if value not in (Channel.WEB, Channel.API)]


class StaffRequestSerializer(PublicRequestSerializer):
    """Documents a request logged by staff with a token; the workspace's form validates it."""

    channel = serializers.ChoiceField(choices=STAFF_CHANNELS, help_text="How the request reached us.")
    identity_check = serializers.ChoiceField(
        choices=IdentityCheck.choices,
        help_text="How staff checked who the subject is (Art. 12(6)); the code is kept in the audit trail.",
    )
    identity_note = serializers.CharField(
        max_length=1000,
        required=False,
        allow_blank=True,
        help_text='What was checked, kept as an internal note (not in the audit trail); required for "other".',
    )
    received_at = serializers.DateTimeField(
        required=False,
        help_text="When it reached us (default: now). The legal deadline runs from this day (Art. 12(3)).",
    )
    email = serializers.EmailField(
        max_length=254,
        required=False,
        allow_blank=True,
        help_text=(
            "Required, except for a letter (then postal_address is required) or a call (then phone is): "
            "the subject is then answered by post."
        ),
    )


class PublicRequestCreatedSerializer(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.CharField(help_text='"unverified" until the subject confirms their e-mail address.')
    request_type = serializers.CharField()
    language = serializers.CharField()
    message = serializers.CharField()


# ------------------------------------------------------------------------------
# Exports
# ------------------------------------------------------------------------------
class ExportSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    format = serializers.ChoiceField(choices=[("json", "json"), ("pdf", "pdf"), ("csv", "csv")])
    filename = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField(help_text="Bytes, as downloaded.")
    sha256 = serializers.CharField(help_text="Of the file as downloaded, for integrity.")
    record_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    download_url = serializers.SerializerMethodField(help_text="Fetch it with your token (the download is recorded).")

    def get_download_url(self, obj) -> str:
        from django.urls import reverse

        url = reverse("api:request-export-download", args=[obj.job.external_ref, obj.format])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


# ------------------------------------------------------------------------------
# Manual tasks
# ------------------------------------------------------------------------------
class ManualTaskFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()


class ManualTaskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    connector = serializers.CharField(source="run.connector.code")
    source = serializers.CharField(source="run.connector.name")
    operation = serializers.CharField(source="run.job.operation")
    instructions = serializers.CharField()
    assignee = serializers.CharField(source="assignee.username", allow_null=True, default=None)
    created_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)
    completed_by = serializers.CharField(source="completed_by.username", allow_null=True, default=None)
    findings = serializers.CharField(help_text="What the person found or did (empty while open).")
    files = ManualTaskFileSerializer(many=True)


class CompleteTaskSerializer(serializers.Serializer):
    """The same limits as the request page's forms (``plan_task`` in the context: the plan panel's)."""

    findings = serializers.CharField(
        max_length=20000,
        required=False,
        allow_blank=True,
        default="",
        help_text=(
            "What you found, or that nothing was found and what you searched; for a task of an execution plan, "
            "what you did (required)."
        ),
    )
    files = serializers.ListField(
        child=serializers.FileField(max_length=200, allow_empty_file=False),
        required=False,
        default=list,
        help_text="Files found (a task of a gathering only).",
    )

    def validate_files(self, files):
        from requests_app.processing_views import MAX_FILE_BYTES, MAX_FILES

        if len(files) > MAX_FILES or any(upload.size > MAX_FILE_BYTES for upload in files):
            raise serializers.ValidationError(_("Attach at most 20 files of at most 25 MB each."))
        return files

    def validate(self, attrs):
        attrs["findings"] = attrs.get("findings", "").strip()
        if self.context.get("plan_task"):
            # As on the plan panel: what was done, in words. A file would outlive the erasure
            # (service.forget_subject empties the task's texts only).
            if attrs.get("files"):
                raise serializers.ValidationError(
                    {"files": [_("A manual task of an execution plan takes no files: say in findings what you did.")]}
                )
            if not attrs["findings"]:
                raise serializers.ValidationError({"findings": [_("Say what you did.")]})
            return attrs
        if not attrs["findings"] and not attrs.get("files"):
            raise serializers.ValidationError(
                {"findings": [_("Enter what you found or attach a file: an empty task cannot be completed.")]}
            )
        return attrs


# ------------------------------------------------------------------------------
# The register and connectors (DPO)
# ------------------------------------------------------------------------------
LANGUAGE_CODES = {code for code, _label in Language.choices}


class TranslatedTextField(serializers.JSONField):
    """{"en": "...", "nl": "...", "fr": "...", "de": "..."}."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise serializers.ValidationError(_('Give the text per language, e.g. {"en": "...", "nl": "..."}.'))
        unknown = set(value) - LANGUAGE_CODES
        if unknown:
            raise serializers.ValidationError(
                _("Unknown language codes: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
            )
        return value


class TranslatedTextSchema(serializers.Serializer):
    en = serializers.CharField(required=False, allow_blank=True)
    nl = serializers.CharField(required=False, allow_blank=True)
    fr = serializers.CharField(required=False, allow_blank=True)
    de = serializers.CharField(required=False, allow_blank=True)


TranslatedTextField = extend_schema_field(TranslatedTextSchema)(TranslatedTextField)


class RegisterModelSerializer(serializers.ModelSerializer):
    """Texts in several languages are validated as such."""

    def build_standard_field(self, field_name, model_field):
        from dsar.models import TranslatedText

        if isinstance(model_field, TranslatedText):
            return TranslatedTextField, {"required": False}
        return super().build_standard_field(field_name, model_field)


class DataCategorySerializer(RegisterModelSerializer):
    class Meta:
        model = DataCategory
        fields = ["code", "names", "descriptions", "sensitive", "portable"]


class RecipientSerializer(RegisterModelSerializer):
    categories = serializers.SlugRelatedField(
        slug_field="code",
        queryset=DataCategory.objects.all(),
        many=True,
        required=False,
        help_text="The data categories it receives (Art. 19 notices name only these); "
        "empty: every category of its processing activities.",
    )

    class Meta:
        model = Recipient
        fields = [
            "code",
            "name",
            "kind",
            "descriptions",
            "contact_email",
            "address",
            "country",
            "outside_eea",
            "transfer_safeguards",
            "notify_changes",
            "categories",
        ]


class TranslatedNameField(TranslatedTextField):
    """A name in at least one language."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not value or not all(value.values()):
            raise serializers.ValidationError(_('Give the name in at least one language, e.g. {"en": "Customers"}.'))
        return value


class ProcessingActivitySerializer(RegisterModelSerializer):
    data_subjects = serializers.ListField(
        child=TranslatedNameField(),
        required=False,
        help_text="The categories of data subjects (Art. 30(1)(c)), each by its name per language.",
    )
    categories = serializers.SlugRelatedField(
        slug_field="code", queryset=DataCategory.objects.all(), many=True, required=False
    )
    recipients = serializers.SlugRelatedField(
        slug_field="code", queryset=Recipient.objects.all(), many=True, required=False
    )
    legal_basis = serializers.ChoiceField(choices=LegalBasis.choices)

    class Meta:
        model = ProcessingActivity
        fields = [
            "code",
            "names",
            "purposes",
            "legal_basis",
            "legitimate_interests",
            "data_subjects",
            "categories",
            "recipients",
            "retention",
            "legal_hold_years",
            "legal_hold_reason",
            "sources",
            "automated_decisions",
            "security_measures",
            "direct_marketing",
            "active",
        ]

    def validate(self, attrs):
        basis = attrs.get("legal_basis", getattr(self.instance, "legal_basis", None))
        interests = attrs.get("legitimate_interests", getattr(self.instance, "legitimate_interests", {}))
        if basis == LegalBasis.LEGITIMATE_INTERESTS and not any((interests or {}).values()):
            # Art. 13(1)(d), 14(2)(b): the interests pursued are told to the subject.
            raise serializers.ValidationError(
                {"legitimate_interests": [_("Say which legitimate interests are pursued (Art. 13(1)(d)).")]}
            )
        return attrs


class ConnectorSerializer(serializers.ModelSerializer):
    categories = serializers.SlugRelatedField(
        slug_field="code", queryset=DataCategory.objects.all(), many=True, required=False
    )
    activities = serializers.SlugRelatedField(
        slug_field="code", queryset=ProcessingActivity.objects.all(), many=True, required=False
    )
    identity_fields = serializers.ListField(
        child=serializers.ChoiceField(choices=IdentityField.choices), required=False
    )
    operations = serializers.ListField(child=serializers.ChoiceField(choices=Operation.choices), required=False)
    default_assignee = UsernameField(allow_null=True, required=False)
    config = serializers.DictField(
        required=False,
        help_text="Kind-specific settings. Never a secret: name the environment variable instead (password_env).",
    )

    class Meta:
        model = Connector
        fields = [
            "code",
            "name",
            "kind",
            "config",
            "categories",
            "activities",
            "identity_fields",
            "operations",
            "timeout_seconds",
            "max_rows",
            "enabled",
            "default_assignee",
        ]
        extra_kwargs = {"timeout_seconds": {"min_value": 1, "max_value": 3600}, "max_rows": {"min_value": 1}}

    def validate_config(self, value):
        # The same rule as the admin and `dsar_config load` (dsar.configuration).
        leaks = [".".join(map(str, path)) for path in configuration.secret_paths(value)]
        if leaks:
            raise serializers.ValidationError(
                _(
                    "Secrets do not go in the configuration (%(keys)s): put them in an environment "
                    "variable and name it, e.g. password_env."
                )
                % {"keys": ", ".join(leaks)}
            )
        return value

    def validate(self, attrs):
        # The kind's own checks, as in the admin and `dsar_config load`: among
        # them where the connector may connect (dsar.netpolicy) and which
        # environment variables it may read (DSAR_SOURCE_ only).
        attrs = super().validate(attrs)
        kind_code = attrs.get("kind", getattr(self.instance, "kind", None))
        config = attrs.get("config", getattr(self.instance, "config", None)) or {}
        kind = kinds().get(kind_code)
        problems = [f"{path}: {message}" for path, message in kind.validate_config(config)] if kind else []
        if problems:
            raise serializers.ValidationError({"config": problems})
        return attrs

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # A row written before the checks existed (or past them) never shows its secret.
        data["config"] = configuration.redacted(data.get("config") or {})
        return data

    def validate_default_assignee(self, user):
        if user is not None and not (roles.is_dpo(user) or roles.is_agent(user)):
            raise serializers.ValidationError(_("Manual tasks go to a DPO or a privacy agent."))
        return user


class ConnectorTestSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    message = serializers.CharField()


# ------------------------------------------------------------------------------
# Webhooks (DPO)
# ------------------------------------------------------------------------------
EVENT_PATTERN = r"^(\*|[a-z_]+\.(\*|[a-z_]+))$"


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    events = serializers.ListField(
        child=serializers.RegexField(
            EVENT_PATTERN,
            max_length=60,
            error_messages={"invalid": _('Name an event kind ("request.approve"), a family ("export.*") or "*".')},
        ),
        min_length=1,
        max_length=50,
        help_text='Event kinds to receive ("request.approve"), families ("export.*"), or ["*"] for every event. '
        "Known kinds: " + ", ".join(EVENT_KINDS) + ".",
    )

    class Meta:
        model = WebhookSubscription
        fields = ["id", "name", "url", "events", "active", "created_at"]
        read_only_fields = ["id", "created_at"]

    def validate_url(self, url):
        try:
            check_target(url)
        except TargetRefused as exc:
            raise serializers.ValidationError(str(exc)) from exc
        return url

    def validate_events(self, events):
        return list(dict.fromkeys(events))


class WebhookSubscriptionCreatedSerializer(WebhookSubscriptionSerializer):
    secret = serializers.CharField(
        read_only=True, help_text="Shown once: keep it to verify the X-DSAR-Signature header."
    )

    class Meta(WebhookSubscriptionSerializer.Meta):
        fields = [*WebhookSubscriptionSerializer.Meta.fields, "secret"]


class WebhookSecretSerializer(serializers.Serializer):
    secret = serializers.CharField(read_only=True, help_text="The new signing secret, shown once.")


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "subscription",
            "event_kind",
            "reference",
            "status",
            "attempts",
            "last_status_code",
            "last_error",
            "created_at",
            "last_attempt_at",
            "next_retry_at",
            "delivered_at",
            "payload",
        ]
        read_only_fields = fields


class DeliveryFilterSerializer(serializers.Serializer):
    # Bounded as the database's integers are: a larger id was a server error on SQLite (schemathesis).
    subscription = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    status = serializers.ChoiceField(choices=WebhookDelivery.Status.choices, required=False)


# ------------------------------------------------------------------------------
# Who am I
# ------------------------------------------------------------------------------
class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.CharField(allow_null=True)
    token = serializers.CharField(help_text="The name of the token in use.")
    token_expires_at = serializers.DateTimeField(allow_null=True)
