"""Manual tasks: work a person does in a source the desk cannot reach, for a
gathering or an execution plan."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from dsar.models import ManualTask, Operation, SourceRun


class ManualTaskFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()


class ManualTaskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ManualTask.Status.choices)
    connector = serializers.CharField(source="run.connector.code")
    source = serializers.CharField(source="run.connector.name")
    operation = serializers.ChoiceField(source="run.job.operation", choices=Operation.choices)
    instructions = serializers.CharField(source="localized_instructions")
    assignee = serializers.CharField(source="assignee.username", allow_null=True, default=None)
    created_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)
    completed_by = serializers.CharField(source="completed_by.username", allow_null=True, default=None)
    findings = serializers.CharField(help_text="What the person found or did (empty while open).")
    files = ManualTaskFileSerializer(many=True)
    nothing_found = serializers.SerializerMethodField(
        help_text='A search completed with nothing found about the subject (0 records: "searched, nothing found").'
    )

    def get_nothing_found(self, task: ManualTask) -> bool:
        # A gathering's search (an execution plan's task records what was done, not what was found).
        run = task.run
        return (
            task.status == ManualTask.Status.DONE
            and run.job.operation == Operation.ACCESS
            and run.status == SourceRun.Status.DONE
            and not run.record_count
        )


class CompleteTaskSerializer(serializers.Serializer):
    """The same limits as the request page's forms (``plan_task`` in the context: the plan panel's)."""

    findings = serializers.CharField(
        max_length=20000,
        required=False,
        allow_blank=True,
        default="",
        help_text=(
            "What you found, or that nothing was found and what you searched; for a task of an execution plan, "
            "what you did (required)."
        ),
    )
    files = serializers.ListField(
        child=serializers.FileField(max_length=200, allow_empty_file=False),
        required=False,
        default=list,
        help_text="Files found (a task of a gathering only).",
    )
    nothing_found = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "The person searched and found nothing about the subject (a task of a gathering only): the task "
            "is completed with that answer alone, the source has 0 records and the subject's copy says "
            '"searched, nothing found"; findings, if given, stay with the task as the note of what was searched.'
        ),
    )

    def validate_files(self, files):
        from requests_app.gathering.forms import MAX_FILE_BYTES, MAX_FILES

        if len(files) > MAX_FILES or any(upload.size > MAX_FILE_BYTES for upload in files):
            raise serializers.ValidationError(_("Attach at most 20 files of at most 25 MB each."))
        return files

    def validate(self, attrs):
        attrs["findings"] = attrs.get("findings", "").strip()
        if self.context.get("plan_task"):
            # As on the plan panel: what was done, in words. A file would outlive the erasure
            # (service.forget_subject empties the task's texts only).
            if attrs.get("files"):
                raise serializers.ValidationError(
                    {"files": [_("A manual task of an execution plan takes no files: say in findings what you did.")]}
                )
            if not attrs["findings"]:
                raise serializers.ValidationError({"findings": [_("Say what you did.")]})
            return attrs
        if not attrs["findings"] and not attrs.get("files") and not attrs.get("nothing_found"):
            raise serializers.ValidationError(
                {
                    "findings": [
                        _(
                            "Enter what you found, attach a file, or tick “Nothing about the subject was found”: "
                            "an empty task cannot be completed."
                        )
                    ]
                }
            )
        return attrs
