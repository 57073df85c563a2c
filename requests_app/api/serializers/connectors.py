"""Connectors: the sources the desk searches and changes (DPO)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from dsar import config_secrets
from dsar.connectors import kinds
from dsar.models import (
    Connector,
    DataCategory,
    IdentityField,
    Operation,
    ProcessingActivity,
)
from requests_app import permissions
from requests_app.api.base import UsernameField


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
        leaks = [".".join(map(str, path)) for path in config_secrets.secret_paths(value)]
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
        data["config"] = config_secrets.redacted(data.get("config") or {})
        return data

    def validate_default_assignee(self, user):
        if user is not None and not permissions.can_handle_requests(user):
            raise serializers.ValidationError(_("Manual tasks go to a DPO or a privacy agent."))
        return user


class ConnectorTestSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    message = serializers.CharField()
