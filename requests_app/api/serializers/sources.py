"""The sources searched for a request, as the gathering panel shows them."""

from __future__ import annotations

from rest_framework import serializers

from dsar.models import Operation, SourceRun


class SourceSerializer(serializers.Serializer):
    source = serializers.CharField(source="run.connector.code", help_text="For POST .../sources/{source}/retry/.")
    name = serializers.CharField(source="run.connector.name")
    operation = serializers.ChoiceField(source="run.job.operation", choices=Operation.choices)
    status = serializers.ChoiceField(source="run.status", choices=SourceRun.Status.choices)
    attempts = serializers.IntegerField(source="run.attempts")
    started_at = serializers.DateTimeField(source="run.started_at", allow_null=True)
    finished_at = serializers.DateTimeField(source="run.finished_at", allow_null=True)
    error = serializers.CharField(source="run.error")
    records = serializers.IntegerField(source="total", help_text="Records gathered from this source.")
    excluded = serializers.IntegerField(source="withheld", help_text="Of those, left out of the copy (Art. 15(4)).")
    can_retry = serializers.BooleanField(help_text="Whether you may search this source again now.")
