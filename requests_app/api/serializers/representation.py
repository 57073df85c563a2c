"""A representative acting for the subject (issue 18): in a submission, in a
request's detail, and the DPO's check of the mandate. The representative's
part of the web form (``representation.forms.RepresentativeForm``) validates
what a submission sends; these serializers document it."""

from __future__ import annotations

from rest_framework import serializers

from requests_app.models import Language
from requests_app.representation.models import AgeBand, Contact, MandateCheck, MandateKind, Relationship

MANDATE_DECISIONS = [("accepted", "accepted"), ("refused", "refused")]


class MandateDocumentSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, help_text="The file's name, e.g. power-of-attorney.pdf.")
    content_base64 = serializers.CharField(
        help_text="The file, base64-encoded: PDF, PNG, JPEG or plain text, recognised by its first bytes."
    )


class RepresentativeInputSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=200)
    email = serializers.EmailField(
        max_length=254,
        required=False,
        allow_blank=True,
        help_text="Required on the public intake: the confirmation link goes to the representative.",
    )
    relationship = serializers.ChoiceField(choices=Relationship.choices)
    minor_age_band = serializers.ChoiceField(
        choices=AgeBand.choices,
        required=False,
        allow_blank=True,
        help_text="Required for a parent: under 13 the parent acts for the child (Art. 8 GDPR; Belgium: 13 years).",
    )
    contact = serializers.ChoiceField(
        choices=Contact.choices,
        required=False,
        help_text="Who receives our e-mails and the answer (default: the representative; always them for a parent).",
    )
    subject_language = serializers.ChoiceField(
        choices=Language.choices,
        required=False,
        allow_blank=True,
        help_text=(
            "The language of the person represented (default: the request's `language`, which is the "
            "representative's): the notice that someone asked in their name is written in it."
        ),
    )
    mandate_statement = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        help_text="A statement signed by the subject, when no document is sent. One of the two is required.",
    )
    mandate_document = MandateDocumentSerializer(required=False)


class RepresentationSerializer(serializers.Serializer):
    full_name = serializers.CharField()
    email = serializers.CharField()
    relationship = serializers.ChoiceField(choices=Relationship.choices)
    minor_age_band = serializers.ChoiceField(choices=AgeBand.choices, allow_blank=True)
    contact = serializers.ChoiceField(choices=Contact.choices)
    subject_language = serializers.CharField(
        help_text="The language of the person represented, when the representative gave it (else empty)."
    )
    mandate_kind = serializers.ChoiceField(choices=MandateKind.choices)
    mandate_statement = serializers.CharField()
    has_document = serializers.SerializerMethodField(help_text="A mandate document was sent (opened in the workspace).")
    check_status = serializers.ChoiceField(choices=MandateCheck.choices)
    check_reason = serializers.CharField(help_text="What is missing, as sent to the representative.")
    checked_at = serializers.DateTimeField(allow_null=True)

    def get_has_document(self, obj) -> bool:
        return bool(obj.mandate_file)


class MandateCheckSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=MANDATE_DECISIONS,
        help_text="`refused` asks the representative for a better mandate; the request is not refused.",
    )
    reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="What is missing, sent to the representative; required with `refused`.",
    )
