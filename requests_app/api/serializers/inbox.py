"""The privacy mailbox in the API: e-mails to triage and the three decisions."""

from __future__ import annotations

from rest_framework import serializers

from requests_app.inbox.models import InboxItem, InboxSource, InboxState
from requests_app.models import IdentityCheck, Language, RequestType


class InboxAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()


class InboxItemSerializer(serializers.ModelSerializer):
    source = serializers.ChoiceField(choices=InboxSource.choices)
    state = serializers.ChoiceField(choices=InboxState.choices)
    guessed_type = serializers.ChoiceField(
        choices=RequestType.choices, allow_blank=True, help_text="The right guessed from the words; empty if none."
    )
    language = serializers.ChoiceField(choices=Language.choices, allow_blank=True)
    request = serializers.SlugRelatedField(slug_field="reference", read_only=True, allow_null=True)

    class Meta:
        model = InboxItem
        fields = [
            "code",
            "source",
            "state",
            "sender",
            "sender_name",
            "subject",
            "received_at",
            "received_on",
            "guessed_type",
            "language",
            "request",
        ]
        read_only_fields = fields


class InboxItemDetailSerializer(InboxItemSerializer):
    text = serializers.CharField(help_text="The mail as text; HTML mail was sanitised to text (nh3).")
    attachments = InboxAttachmentSerializer(many=True)
    suggested_request = serializers.CharField(
        allow_null=True, help_text="A request this mail seems to reply to (reference in the subject, thread headers)."
    )
    dismiss_reason = serializers.CharField()

    class Meta(InboxItemSerializer.Meta):
        fields = [*InboxItemSerializer.Meta.fields, "text", "attachments", "suggested_request", "dismiss_reason"]
        read_only_fields = fields


class InboxFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=InboxState.choices, required=False)


class InboxConvertSerializer(serializers.Serializer):
    request_type = serializers.ChoiceField(choices=RequestType.choices, help_text="The right, confirmed by staff.")
    full_name = serializers.CharField(max_length=200)
    language = serializers.ChoiceField(choices=Language.choices)
    identity_check = serializers.ChoiceField(choices=IdentityCheck.choices)
    identity_note = serializers.CharField(required=False, allow_blank=True, default="")


class InboxAttachSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=20, help_text="The request the mail belongs to.")


class InboxDismissSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, help_text="Why this mail is not a request (kept, audited).")
