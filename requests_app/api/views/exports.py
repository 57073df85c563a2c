"""A request's export files and the records gathered for them (Art. 15(4))."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from dsar.core.national_number import mask_record_data
from dsar.exports.content import record_data
from dsar.models import Job, SourceRecord, WithheldField
from requests_app import permissions, workflow
from requests_app.api.base import Conflict, DownloadRenderer, EmptySerializer, paginated
from requests_app.api.serializers.exports import (
    ExcludeRecordsSerializer,
    ExcludeResultSerializer,
    ExportSerializer,
    GiveBackFieldsSerializer,
    RecordFilterSerializer,
    RecordSerializer,
    WithheldResultSerializer,
    WithholdFieldsSerializer,
)
from requests_app.api.serializers.requests import ReleaseSerializer, RequestDetailSerializer
from requests_app.delivery import release as release_steps
from requests_app.delivery import selectors as delivery_selectors
from requests_app.delivery import services as delivery_services


def _withheld_fields(record_ids: list[int]) -> dict[int, list[dict]]:
    """The fields withheld from the copy, per record (one query for a page)."""
    withheld: dict[int, list[dict]] = {}
    for item in WithheldField.objects.filter(record_id__in=record_ids).order_by("record_id", "column"):
        withheld.setdefault(item.record_id, []).append({"field": item.column, "reason": item.note})
    return withheld


class ExportActionsMixin:
    """GET/POST /api/v1/requests/{reference}/exports/... and .../records/."""

    @extend_schema(
        summary="The request's export files",
        description="The files of the latest gathering, once generated (in review and after).",
        responses=ExportSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def exports(self, request, reference=None):
        obj = self.get_object()
        files = delivery_selectors.export_files(obj)
        jobs = {job.pk: job for job in Job.objects.filter(pk__in={f.job_id for f in files})}
        for export in files:
            export.job = jobs[export.job_id]
        return paginated(self, files, ExportSerializer)

    @extend_schema(
        summary="Download an export file",
        description="Streams the file. Staff looking at a subject's data is recorded in the audit trail.",
        # The file's own type (dsar.exports.models.ExportFile.content_type):
        # a PDF, the CSV files in a ZIP archive, or a JSON document. JSON last:
        # a generator that reads the first type it knows then treats the
        # answer as a file (clients/python/openapi-python-client.yaml).
        responses={
            (200, media_type): OpenApiResponse(OpenApiTypes.BINARY, description="The file.")
            for media_type in ("application/pdf", "application/zip", "application/json")
        },
        parameters=[OpenApiParameter("file_format", str, OpenApiParameter.PATH, enum=["json", "pdf", "csv"])],
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"exports/(?P<file_format>json|pdf|csv)/download",
        url_name="export-download",
        renderer_classes=[JSONRenderer, DownloadRenderer],
    )
    def export_download(self, request, reference=None, file_format=None):
        from dsar.exports import service

        obj = self.get_object()
        delivery_services.check_may_read_copy(obj, actor=request.user, action="preview_export")
        export = next((f for f in delivery_selectors.export_files(obj) if f.format == file_format), None)
        if export is None:
            raise exceptions.NotFound(_("This file has not been generated."))
        try:
            content = service.iter_file(export)
        except service.ExportCorrupted:
            return Response(
                {
                    "detail": _(
                        "This file failed its integrity check and was not sent: it no longer matches its SHA-256."
                    )
                },
                status=500,
            )
        delivery_services.record_preview(obj, actor=request.user, export=export)
        response = StreamingHttpResponse(content, content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        response["Content-Length"] = str(export.size)
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response

    @extend_schema(
        tags=["exports"],
        summary="The records gathered",
        description=(
            "Every record of the latest gathering, to review what the copy contains. With `data=true` each "
            "record's data comes too: that is the subject's personal data, and your reading it is recorded in "
            "the audit trail as a preview of the copy."
        ),
        parameters=[RecordFilterSerializer],
        responses=RecordSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def records(self, request, reference=None):
        obj = self.get_object()
        delivery_services.check_may_read_copy(obj, actor=request.user, action="read_records")
        filters = RecordFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        job = delivery_selectors.latest_job(obj)
        queryset = SourceRecord.objects.none()
        if job is not None:
            queryset = (
                SourceRecord.objects.filter(run__job=job).select_related("run__connector").order_by("run", "seq", "pk")
            )
            if wanted.get("source"):
                queryset = queryset.filter(run__connector__code=wanted["source"])
            if wanted.get("excluded") is not None:
                queryset = queryset.filter(excluded=wanted["excluded"])
        if not wanted["data"]:
            queryset = queryset.defer("data")
        page = self.paginate_queryset(queryset)
        withheld = _withheld_fields([record.pk for record in page])
        rows = []
        for record in page:
            row = {"record": record, "withheld_fields": withheld.get(record.pk, [])}
            if wanted["data"]:
                # Masked as on the records page; a DPO reveals the full number in the workspace (audited).
                row["data"] = mask_record_data(record, record_data(record))
            rows.append(row)
        if wanted["data"] and rows:
            delivery_services.record_records_read(obj, actor=request.user, count=len(rows))
        return self.get_paginated_response(RecordSerializer(rows, many=True).data)

    @extend_schema(
        tags=["exports"],
        summary="Leave records out of the copy, or put them back (Art. 15(4))",
        description=(
            "While the request is in review, by the DPO or the request's agent: records about other people are "
            "left out with a `note` (kept for the DPO, not sent to the subject); the files are generated again."
        ),
        request=ExcludeRecordsSerializer,
        responses=ExcludeResultSerializer,
    )
    @action(detail=True, methods=["post"], url_path="exports/exclude", url_name="exports-exclude")
    def exports_exclude(self, request, reference=None):
        obj = self.get_object()
        serializer = ExcludeRecordsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        permissions.refuse_read_only(request.user)
        if data["excluded"] and not data["note"].strip():
            # The same words as the page; a field of its own here.
            raise exceptions.ValidationError(
                {"note": [_("Say why these records are left out (for example: they concern another person).")]}
            )
        try:
            changed = delivery_services.set_excluded(
                obj, actor=request.user, record_ids=data["records"], excluded=data["excluded"], note=data["note"]
            )
        except workflow.ActionForbidden:
            raise
        except workflow.WorkflowError as exc:
            raise Conflict(str(exc)) from exc
        return Response({"changed": changed})

    # -- four eyes (ControllerProfile.release_needs_second_approval, delivery.release) --
    @extend_schema(
        summary="Ask for the release of a copy (four eyes, DPO)",
        description=(
            "When the controller requires a second DPO's approval of each release of a copy, the first DPO asks "
            "here (the `release.requested` event); `release` answers 409 until another DPO approves. "
            "`incomplete_reason` as for `release`. 409 when a release is already asked for, or the request is "
            "not in review; 400 while the files are being generated."
        ),
        request=ReleaseSerializer,
        responses=RequestDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="release/request")
    def release_request(self, request, reference=None):
        return self._action_response(
            "fulfil",
            ReleaseSerializer,
            lambda obj, d: release_steps.request_release(
                obj, actor=request.user, incomplete_reason=d.get("incomplete_reason", "")
            ),
        )

    @extend_schema(
        summary="Approve a release another DPO asked for (four eyes, DPO)",
        description=(
            "A second DPO, never the one who asked, approves the release asked for with `release/request`: the "
            "copy goes out now, as with `release` (events `release.approved`, `request.fulfilled`). 403 for the "
            "DPO who asked; 409 when no release waits for approval (or the files were made again since it was "
            "asked for: ask again)."
        ),
        request=EmptySerializer,
        responses=RequestDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="release/approve")
    def release_approve(self, request, reference=None):
        return self._action_response(
            "fulfil", EmptySerializer, lambda obj, d: release_steps.approve_release(obj, actor=request.user)
        )

    @extend_schema(
        tags=["exports"],
        summary="Withhold single fields of a record from the copy (Art. 15(4))",
        description=(
            "As on the review page: while the request is in review, the DPO or the request's agent withholds the "
            "fields of a record that concern another person (a colleague named in a note) and keeps the rest of "
            "the record in the copy, which says in their place that a value was withheld. `reason` is required "
            "and kept for the DPO, not sent to the subject; the audit trail records how many fields. The files "
            "are generated again. 400 names the fields the record does not have; 404 when the record is not one "
            "of the request's latest gathering; 409 when the request is not in review."
        ),
        request=WithholdFieldsSerializer,
        responses=WithheldResultSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"records/(?P<record_id>[0-9]+)/withhold",
        url_name="record-withhold",
    )
    def record_withhold(self, request, reference=None, record_id=None):
        return self._set_withheld(request, record_id, WithholdFieldsSerializer, withheld=True)

    @extend_schema(
        tags=["exports"],
        summary="Give withheld fields of a record back to the copy",
        description=(
            "Undoes `withholdRecordFields` for the fields named, with the same rules (the DPO or the request's "
            "agent, while the request is in review); recorded in the audit trail, the files generated again."
        ),
        request=GiveBackFieldsSerializer,
        responses=WithheldResultSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"records/(?P<record_id>[0-9]+)/give-back",
        url_name="record-give-back",
    )
    def record_give_back(self, request, reference=None, record_id=None):
        return self._set_withheld(request, record_id, GiveBackFieldsSerializer, withheld=False)

    def _set_withheld(self, request, record_id, serializer_class, *, withheld: bool):
        permissions.refuse_read_only(request.user)
        obj = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        columns = list(dict.fromkeys(data["fields"]))
        # Who may not change the copy is refused by the service (and recorded)
        # before learning anything about the record.
        if permissions.can_work_on(request.user, obj):
            job = delivery_selectors.latest_job(obj)
            record = SourceRecord.objects.filter(run__job=job, pk=record_id).only("id", "data").first() if job else None
            if record is None:
                raise exceptions.NotFound(_("This record is not one of this request's latest gathering."))
            unknown = [column for column in columns if column not in record.values]
            if unknown:
                raise exceptions.ValidationError(
                    {"fields": [_("This record has no field %(fields)s.") % {"fields": ", ".join(unknown)}]}
                )
        try:
            changed = delivery_services.set_withheld(
                obj,
                actor=request.user,
                fields=[(int(record_id), column) for column in columns],
                withheld=withheld,
                note=data.get("reason", ""),
            )
        except workflow.ActionForbidden:
            raise
        except workflow.WorkflowError as exc:
            raise Conflict(str(exc)) from exc
        return Response(
            {"changed": changed, "withheld_fields": _withheld_fields([int(record_id)]).get(int(record_id), [])}
        )
