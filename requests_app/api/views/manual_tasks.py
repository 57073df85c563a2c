"""The manual tasks of a request's gathering or execution plan."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from dsar.connectors.base import ConnectorError
from dsar.models import ManualTask
from requests_app import permissions
from requests_app.api.base import BadRequest, Conflict, paginated
from requests_app.api.serializers.manual_tasks import CompleteTaskSerializer, ManualTaskSerializer
from requests_app.execution import selectors as execution_selectors
from requests_app.execution import services as execution_services
from requests_app.gathering import services as gathering_services


class ManualTaskActionsMixin:
    """GET/POST /api/v1/requests/{reference}/tasks/..."""

    def _tasks(self, obj):
        return (
            ManualTask.objects.filter(run__job__external_ref=obj.reference)
            .select_related("run__connector", "run__job", "assignee", "completed_by")
            .prefetch_related("files")
            .order_by("created_at", "pk")
        )

    @extend_schema(summary="The request's manual tasks", responses=ManualTaskSerializer(many=True))
    @action(detail=True, methods=["get"])
    def tasks(self, request, reference=None):
        return paginated(self, self._tasks(self.get_object()), ManualTaskSerializer)

    @extend_schema(
        summary="Complete a manual task",
        description=(
            "A task of a gathering (access, portability): by the staff member it is assigned to, the request's "
            "agent or a DPO, with what was found in `findings` and/or `files` (multipart/form-data); the source "
            "is then done and the gathering goes on.\n\n"
            "A task of an execution plan (erasure, rectification, restriction, objection, withdrawal): as on the "
            "plan panel, by a DPO or the request's agent only, with what was done in `findings` and no files. "
            "The plan's items of that source are then done, the plan completes when it was the last open step "
            "(recipients are notified, an erasure already released is purged), and `plan.task_completed` is "
            "recorded in the audit trail."
        ),
        # Files are sent, so multipart only in the contract; the view still
        # parses JSON and forms for the clients that already send them.
        request={"multipart/form-data": CompleteTaskSerializer},
        responses=ManualTaskSerializer,
        parameters=[OpenApiParameter("task_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"tasks/(?P<task_id>[0-9]+)/complete",
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def complete_task(self, request, reference=None, task_id=None):
        obj = self.get_object()
        task = get_object_or_404(self._tasks(obj), pk=task_id)
        user = request.user
        plan_task = execution_selectors.is_plan_task(task)
        if plan_task:
            # A step of the plan: the plan's rule (not the task's assignee as such).
            if permissions.is_read_only(user) or not permissions.can_change_plan(user, obj):
                raise exceptions.PermissionDenied(_("Your role does not allow this action."))
        else:
            if not permissions.can_complete_task(user, obj, task):
                raise exceptions.PermissionDenied(
                    _("Only the DPO, the request's agent or the task's assignee can complete this task.")
                )
        if hasattr(request.data, "getlist"):  # multipart or form-encoded
            data = {
                "findings": request.data.get("findings", ""),
                "files": request.FILES.getlist("files"),
                "nothing_found": request.data.get("nothing_found", False),
            }
        else:
            data = request.data
        serializer = CompleteTaskSerializer(data=data, context={"plan_task": plan_task})
        serializer.is_valid(raise_exception=True)
        if task.status != ManualTask.Status.OPEN:
            raise Conflict(_("This task was already completed."))
        if plan_task:
            # The same path as the plan panel: the plan's items, the plan's end and its event.
            try:
                execution_services.complete_task(obj, task, user=user, findings=serializer.validated_data["findings"])
            except execution_services.ExecutionError as exc:
                raise BadRequest(str(exc)) from exc
            return Response(ManualTaskSerializer(self._tasks(obj).get(pk=task.pk)).data)
        try:
            gathering_services.complete_manual_task(
                obj,
                task,
                findings=serializer.validated_data["findings"],
                files=serializer.validated_data["files"],
                user=user,
                nothing_found=serializer.validated_data["nothing_found"],
            )
        except ConnectorError as exc:
            raise Conflict(str(exc)) from exc
        return Response(ManualTaskSerializer(self._tasks(obj).get(pk=task.pk)).data)
