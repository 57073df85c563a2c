"""The processing register (Art. 30): data categories, recipients and processing
activities, with their texts in several languages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dsar.models import (
    DataCategory,
    LegalBasis,
    ProcessingActivity,
    Recipient,
)
from requests_app.models import (
    Language,
)

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
        # ``active: false`` retires a category: off the forms, still named on old requests.
        fields = ["code", "names", "descriptions", "sensitive", "portable", "active"]


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
            "automated_significance",
            "automated_consequences",
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
