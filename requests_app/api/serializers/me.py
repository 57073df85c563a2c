"""Who am I: the user and role behind a token."""

from __future__ import annotations

from rest_framework import serializers


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.CharField(allow_null=True)
    token = serializers.CharField(help_text="The name of the token in use.")
    token_expires_at = serializers.DateTimeField(allow_null=True)
