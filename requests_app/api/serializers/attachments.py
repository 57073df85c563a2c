"""The files the subject sent with their request."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    message = serializers.IntegerField(source="message_id")
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    download_url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField())
    def get_download_url(self, obj) -> str:
        request = self.context["request"]
        reference = self.context["reference"]
        return request.build_absolute_uri(reverse("api:request-attachment-download", args=[reference, obj.pk]))
