"""The export files of a request and the records gathered for them (Art. 15(4):
records left out, single fields withheld)."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

# One enum in the schema (settings.ENUM_NAME_OVERRIDES), also the download's path parameter.
EXPORT_FORMATS = [("json", "json"), ("pdf", "pdf"), ("csv", "csv")]


class ExportSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    format = serializers.ChoiceField(choices=EXPORT_FORMATS)
    filename = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField(help_text="Bytes, as downloaded.")
    sha256 = serializers.CharField(help_text="Of the file as downloaded, for integrity.")
    record_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    download_url = serializers.SerializerMethodField(help_text="Fetch it with your token (the download is recorded).")

    def get_download_url(self, obj) -> str:

        url = reverse("api:request-export-download", args=[obj.job.external_ref, obj.format])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class RecordFilterSerializer(serializers.Serializer):
    source = serializers.CharField(required=False, help_text="A source's code.")
    excluded = serializers.BooleanField(required=False, allow_null=True, default=None)
    data = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Include each record's data (personal data: your reading is recorded in the audit trail).",
    )


class WithheldFieldSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The field (the key in the record's `data`).")
    reason = serializers.CharField(help_text="Why it is withheld: kept for the DPO, not sent to the subject.")


class RecordSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="record.pk")
    source = serializers.CharField(source="record.run.connector.code")
    entity = serializers.CharField(source="record.entity", help_text="The table or resource.")
    category = serializers.CharField(source="record.category")
    excluded = serializers.BooleanField(source="record.excluded")
    exclusion_note = serializers.CharField(source="record.exclusion_note")
    matched_on = serializers.ListField(
        source="record.matched_on",
        child=serializers.CharField(),
        help_text="The identifiers the source found the record by (email, phone, customer_number, national_number, "
        "full_name; unknown when they could not be compared). Found only by unverified ones, it is left out of the "
        "copy until the DPO puts it back.",
    )
    withheld_fields = WithheldFieldSerializer(
        many=True,
        help_text="The record's fields withheld from the copy (Art. 15(4)); the rest of the record stays in it.",
    )
    data = serializers.DictField(
        required=False, help_text="The record's data, only when asked with `data=true`.", child=serializers.JSONField()
    )


class ExcludeRecordsSerializer(serializers.Serializer):
    records = serializers.ListField(
        # Bounded as the database's integers are (a larger number is no record).
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        min_length=1,
        max_length=1000,
        help_text="The ids of the records (from `records/`).",
    )
    excluded = serializers.BooleanField(
        help_text="`true`: leave these records out of the copy (Art. 15(4)); `false`: put them back."
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        default="",
        help_text="Why they are left out (required with `excluded`): kept for the DPO, not sent to the subject.",
    )


class ExcludeResultSerializer(serializers.Serializer):
    changed = serializers.IntegerField(help_text="How many records changed (the others already were so).")


class WithholdFieldsSerializer(serializers.Serializer):
    fields = serializers.ListField(
        child=serializers.CharField(max_length=200),
        min_length=1,
        max_length=200,
        help_text="The record's fields to withhold (keys of its `data`, from `records/?data=true`).",
    )
    reason = serializers.CharField(
        max_length=500,
        help_text="Why (for example: they name another person); kept for the DPO, not sent to the subject.",
    )


class GiveBackFieldsSerializer(serializers.Serializer):
    fields = serializers.ListField(
        child=serializers.CharField(max_length=200),
        min_length=1,
        max_length=200,
        help_text="The record's withheld fields to put back in the copy.",
    )


class WithheldResultSerializer(serializers.Serializer):
    changed = serializers.IntegerField(help_text="How many fields changed (the others already were so).")
    withheld_fields = WithheldFieldSerializer(many=True, help_text="The record's fields withheld now.")
