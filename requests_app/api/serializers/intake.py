"""The public intake and staff-logged requests through the API: the fields of
the web form, documented here; the intake's forms validate them."""

from __future__ import annotations

from rest_framework import serializers

from requests_app.api.serializers.representation import RepresentativeInputSerializer
from requests_app.api.serializers.type_details import ERASURE_SCOPES, PORTABILITY_FORMATS
from requests_app.intake.details import MAX_CORRECTIONS, RestrictionGround
from requests_app.models import Channel, IdentityCheck, Language, RequestType, Status


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
    email = serializers.EmailField(
        max_length=254, required=False, help_text="The subject's; optional only when a representative asks for them."
    )
    representative = RepresentativeInputSerializer(
        required=False, help_text="Someone asking for the subject: a lawyer, a parent of a minor, a guardian..."
    )
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
    erasure_scope = serializers.ChoiceField(choices=ERASURE_SCOPES, required=False)
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
    portability_format = serializers.ChoiceField(choices=PORTABILITY_FORMATS, required=False)
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


class PublicRequestReceivedSerializer(serializers.Serializer):
    """The calm answer to a submission the intake drops (a bot caught by the honeypot)."""

    status = serializers.ChoiceField(choices=[("received", "received")])
    message = serializers.CharField()


class PublicRequestCreatedSerializer(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.ChoiceField(
        choices=Status.choices, help_text='"unverified" until the subject confirms their e-mail address.'
    )
    request_type = serializers.ChoiceField(choices=RequestType.choices)
    language = serializers.ChoiceField(choices=Language.choices)
    message = serializers.CharField()
