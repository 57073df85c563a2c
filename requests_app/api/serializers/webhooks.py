"""Webhook subscriptions and their deliveries (DPO)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from requests_app.api.models import WebhookDelivery, WebhookSubscription
from requests_app.api.webhooks import EVENT_KINDS, TargetRefused, check_target

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
