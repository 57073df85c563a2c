"""What the subject asks under each type of request (``SubjectRequest.type_details``),
one schema per type, selected by ``request_type``."""

from __future__ import annotations

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from requests_app.intake.details import MAX_CORRECTIONS, RestrictionGround

ERASURE_SCOPES = [("all", "all"), ("specific", "specific")]
PORTABILITY_FORMATS = [("json", "json"), ("csv", "csv")]


class _TellRecipients(serializers.Serializer):
    tell_recipients = serializers.BooleanField(
        required=False, help_text="The subject asks which recipients were told (Art. 19)."
    )


class CorrectionAskedSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="Which data is wrong, in the subject's words.")
    current = serializers.CharField(help_text="What the controller has now, if the subject knows (may be empty).")
    correct = serializers.CharField(help_text="What is correct.")


class RectificationDetailsSerializer(_TellRecipients):
    """Rectification (Art. 16)."""

    items = CorrectionAskedSerializer(many=True, help_text=f"1 to {MAX_CORRECTIONS} corrections.")
    restrict_meanwhile = serializers.BooleanField(
        required=False, help_text="Restrict the data while the correction is checked (Art. 18(1)(a))."
    )


class RestrictionDetailsSerializer(_TellRecipients):
    """Restriction (Art. 18)."""

    ground = serializers.ChoiceField(choices=RestrictionGround.choices, help_text="The ground of Art. 18(1).")
    contested_categories = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="On (a): data category codes contested."
    )
    contested_fields = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="On (a): the fields contested, in the subject's words."
    )


class ErasureDetailsSerializer(_TellRecipients):
    """Erasure (Art. 17)."""

    scope = serializers.ChoiceField(choices=ERASURE_SCOPES)
    specific = serializers.CharField(required=False, help_text="The data to erase, in the subject's words.")
    categories = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Data category codes (scope `specific`)."
    )


class ObjectionDetailsSerializer(serializers.Serializer):
    """Objection (Art. 21)."""

    activities = serializers.ListField(child=serializers.CharField(), help_text="Processing activity codes.")


class WithdrawalDetailsSerializer(serializers.Serializer):
    """Withdrawal of consent (Art. 7(3))."""

    consents = serializers.ListField(
        child=serializers.CharField(), help_text="Codes of the processing activities based on consent."
    )


class PortabilityDetailsSerializer(serializers.Serializer):
    """Portability (Art. 20)."""

    format = serializers.ChoiceField(choices=PORTABILITY_FORMATS)
    target_controller = serializers.CharField(
        help_text="The organisation to send the data to directly (Art. 20(2)); empty when none."
    )
    target_controller_email = serializers.CharField(required=False, help_text="That organisation's address, if given.")


class AccessDetailsSerializer(serializers.Serializer):
    """Access (Art. 15), or any request whose type asks nothing more: an empty object."""


@extend_schema_field(
    PolymorphicProxySerializer(
        component_name="TypeDetails",
        # The request's ``request_type`` says which one applies (the object
        # itself does not carry it); the one without required fields is last,
        # so that a client trying them in order finds the right one.
        serializers=[
            RectificationDetailsSerializer,
            RestrictionDetailsSerializer,
            ErasureDetailsSerializer,
            ObjectionDetailsSerializer,
            WithdrawalDetailsSerializer,
            PortabilityDetailsSerializer,
            AccessDetailsSerializer,
        ],
        resource_type_field_name=None,
    )
)
class TypeDetailsField(serializers.JSONField):
    """What the subject asks under the request's type, in the shape of that type."""
