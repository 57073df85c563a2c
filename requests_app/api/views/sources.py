"""The sources searched for an access or portability request, and their retry."""

from __future__ import annotations

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.response import Response

from dsar.connectors.base import translate
from dsar.models import SourceRecord, SourceRun
from requests_app import permissions, workflow
from requests_app.api.base import Conflict, EmptySerializer
from requests_app.api.serializers.sources import SourceSerializer
from requests_app.gathering import panel as gathering_panel
from requests_app.gathering import selectors as gathering_selectors
from requests_app.gathering import services as gathering_services

# A source's code in a URL path, as the register allows it.
SOURCE_CODE = r"[-a-zA-Z0-9_]+"


class SourcesActionsMixin:
    """GET/POST /api/v1/requests/{reference}/sources/...: the gathering panel's sources."""

    def _source_rows(self, subject_request) -> list[dict]:
        job = gathering_selectors.current_job(subject_request)
        if job is None:
            return []
        runs = list(job.runs.select_related("connector", "job").order_by("connector__name", "pk"))
        counts = {
            row["run"]: row
            for row in SourceRecord.objects.filter(run__job=job)
            .values("run")
            .annotate(total=Count("id"), withheld=Count("id", filter=Q(excluded=True)))
        }
        panel = gathering_panel.panel_context(subject_request, self.request.user)
        may_retry = panel.get("can_retry", False) and not permissions.is_read_only(self.request.user)
        rows = []
        for run in runs:
            summary = run.summary or {}
            if "error" in summary and run.error:
                run.error = translate(summary["error"])
            rows.append(
                {
                    "run": run,
                    "total": counts.get(run.pk, {}).get("total", 0),
                    "withheld": counts.get(run.pk, {}).get("withheld", 0),
                    "can_retry": may_retry and run.status == SourceRun.Status.FAILED,
                }
            )
        return rows

    @extend_schema(
        tags=["sources"],
        summary="The sources searched for the request",
        description=(
            "Access and portability: each source of the latest gathering, its progress, how many records it "
            "gave and how many of those are left out of the copy. (The plan's sources are in `plan`.)"
        ),
        responses=SourceSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def sources(self, request, reference=None):
        obj = self.get_object()
        rows = self._source_rows(obj)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(SourceSerializer(page, many=True).data)

    @extend_schema(
        tags=["sources"],
        summary="Search a failed source again",
        description="By the DPO or the request's agent; the request goes back to processing until the source answers.",
        request=EmptySerializer,
        responses=SourceSerializer,
        parameters=[OpenApiParameter("source", str, OpenApiParameter.PATH, pattern=SOURCE_CODE)],
    )
    @action(
        detail=True, methods=["post"], url_path=rf"sources/(?P<source>{SOURCE_CODE})/retry", url_name="source-retry"
    )
    def source_retry(self, request, reference=None, source=None):
        obj = self.get_object()
        job = gathering_selectors.current_job(obj)
        run = get_object_or_404(SourceRun.objects.select_related("connector", "job"), job=job, connector__code=source)
        permissions.refuse_read_only(request.user)
        if not permissions.can_work_on(request.user, obj):
            raise exceptions.PermissionDenied(
                _("Only the DPO or the agent assigned to this request can retry a source.")
            )
        try:
            gathering_services.retry_source(obj, run, actor=request.user)
        except workflow.WorkflowError as exc:
            raise Conflict(str(exc)) from exc
        row = next(r for r in self._source_rows(obj) if r["run"].pk == run.pk)
        return Response(SourceSerializer(row).data)
