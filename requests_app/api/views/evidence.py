"""GET /api/v1/requests/{reference}/evidence/: the request's evidence pack for the supervisory authority."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from requests_app import permissions
from requests_app.api.base import DownloadRenderer


class EvidenceActionsMixin:
    """The same pack as the workspace's link (requests_app.audit.evidence), for the DPO and the auditor."""

    @extend_schema(
        summary="Download the request's evidence pack",
        description=(
            "A PDF for the supervisory authority (Art. 5(2), 31): the request and its deadlines, every decision "
            "and its reason, the audit trail in words and the result of verifying its hash chain now. It names "
            "the subject but holds none of the data gathered. DPO and auditor only; making it is recorded in "
            "the audit trail. 503 when the server cannot make PDFs (the answer names the missing library)."
        ),
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF."),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="evidence",
        url_name="evidence",
        renderer_classes=[JSONRenderer, DownloadRenderer],
    )
    def evidence(self, request, reference=None):
        from dsar.exports.pdf_export import PdfUnavailable
        from requests_app.audit import evidence

        obj = self.get_object()
        if not permissions.can_export_evidence(request.user, obj):
            raise exceptions.PermissionDenied(_("Only a DPO or an auditor may make the evidence pack."))
        try:
            pdf = evidence.make_pack(obj, user=request.user)
        except PdfUnavailable as exc:
            return Response(
                {
                    "detail": _(
                        "The PDF cannot be made on this server: %(library)s cannot be loaded. "
                        "Ask whoever manages it to run: %(command)s"
                    )
                    % {"library": exc.missing, "command": exc.apt_line}
                },
                status=503,
            )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{evidence.filename(obj)}"'
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
