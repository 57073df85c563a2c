"""The files the subject sent with their request."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer

from requests_app.api.base import ID, DownloadRenderer, id_parameter
from requests_app.api.serializers.attachments import AttachmentSerializer
from requests_app.workspace import attachments


class AttachmentActionsMixin:
    """GET /api/v1/requests/{reference}/attachments/..."""

    @extend_schema(
        tags=["requests"],
        summary="Files the subject sent",
        description="Names and sizes; the DPO and the request's agent download them.",
        responses=AttachmentSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def attachments(self, request, reference=None):
        obj = self.get_object()
        queryset = attachments.attachments_of(obj)
        page = self.paginate_queryset(queryset)
        context = {"request": request, "reference": obj.reference}
        return self.get_paginated_response(AttachmentSerializer(page, many=True, context=context).data)

    @extend_schema(
        tags=["requests"],
        summary="Download a file the subject sent",
        description=(
            "The DPO and the request's agent, e.g. to check an identity document; each download is recorded in "
            "the audit trail (a refusal too). The file comes with the type it was checked to have when it was sent."
        ),
        # The types the intake accepts (recognised by their first bytes,
        # requests_app.intake.forms); octet-stream for a file stored without one.
        responses={
            (200, media_type): OpenApiResponse(OpenApiTypes.BINARY, description="The file, as it was sent.")
            for media_type in ("application/pdf", "image/png", "image/jpeg", "application/octet-stream")
        },
        parameters=[id_parameter("attachment_id")],
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=rf"attachments/(?P<attachment_id>{ID})/download",
        url_name="attachment-download",
        renderer_classes=[JSONRenderer, DownloadRenderer],
    )
    def attachment_download(self, request, reference=None, attachment_id=None):
        obj = self.get_object()
        attachment = get_object_or_404(attachments.attachments_of(obj), pk=attachment_id)
        content = attachments.open_attachment(obj, actor=request.user, attachment=attachment)
        return attachments.attachment_response(attachment, content)
