"""The REST API, version 1. Every change goes through requests_app.workflow,
with the same role rules as the workspace pages."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from dsar import gathering
from dsar.connectors.base import ConnectorError
from dsar.models import Connector, DataCategory, Job, ManualTask, ProcessingActivity, Recipient, SourceRun
from requests_app import access, deadlines, execution, processing, roles, workflow
from requests_app.api import serializers as s
from requests_app.api import webhooks
from requests_app.api.base import ApiMixin, BadRequest, Conflict, DownloadRenderer, PublicSubmitThrottle
from requests_app.api.models import WebhookDelivery, WebhookSubscription, new_webhook_secret
from requests_app.api.permissions import ConnectorsScopeForChanges, IsDpo, StaffReadDpoWrite
from requests_app.api.views_plan import PlanActionsMixin, SourcesActionsMixin
from requests_app.models import OPEN_STATUSES, SubjectRequest

REFERENCE_PATTERN = r"DSAR-[0-9]{4}-[0-9]{5,}"


@csrf_exempt  # an API path: no cookies, so no CSRF; answer 404 whatever the method
def not_found(request, *args, **kwargs):
    return JsonResponse({"detail": _("Not found.")}, status=404)


def _paginated(view, queryset, serializer_class, **context):
    page = view.paginate_queryset(queryset)
    data = serializer_class(page, many=True, context={"request": view.request, **context}).data
    return view.get_paginated_response(data)


@extend_schema(tags=["requests"])
class RequestViewSet(PlanActionsMixin, SourcesActionsMixin, ApiMixin, viewsets.GenericViewSet):
    """Data-subject requests: the public intake, and the staff's queue and actions."""

    lookup_field = "reference"
    lookup_value_regex = REFERENCE_PATTERN
    serializer_class = s.RequestDetailSerializer
    queryset = SubjectRequest.objects.none()

    # -- the public intake needs neither a token nor a role; with a staff token
    # the same URL logs a request received by e-mail, letter, phone... ---------
    def _is_create(self) -> bool:
        request = getattr(self, "request", None)
        return request is not None and request.method == "POST" and self.action_map.get("post") == "create"

    def _is_public_create(self) -> bool:
        # Decided on the header alone, before any authentication: a call
        # without a token is the public intake, exactly as it always was.
        return self._is_create() and not self.request.META.get("HTTP_AUTHORIZATION")

    def get_authenticators(self):
        if self._is_public_create():
            return []
        return super().get_authenticators()

    def get_permissions(self):
        if self._is_create():
            # Anonymous: the public intake. With a token: staff_create checks the role.
            return [AllowAny()]
        return super().get_permissions()

    def get_throttles(self):
        # Throttles run after authentication: whoever is not signed in by a
        # token (no header, or another scheme) gets the public flood guard.
        if self._is_create() and not (self.request.user and self.request.user.is_authenticated):
            return [PublicSubmitThrottle()]
        return super().get_throttles()

    def get_object(self) -> SubjectRequest:
        return access.get_request_for_user(self.request.user, self.kwargs["reference"])

    @extend_schema(
        summary="Submit a request (public), or log one received by staff",
        description=(
            "Without authentication (`PublicRequest`): the public intake. The same validation and rate limits as "
            "the web form; the subject receives the same e-mail to confirm their address, and the request stays "
            "`unverified` until they do. Every accepted submission answers 201 with a new reference, a repeat of "
            "an open request too, so that the answer never tells a stranger whether someone already asked; the DPO "
            "sees the subject's other requests beside each one.\n\n"
            "With a staff token (`StaffRequest`): a request received by e-mail, letter, phone or in person, logged "
            "as the workspace's page does. `channel` is required, `received_at` is the real moment of receipt "
            "(default now; not in the future, at most a year ago) from which the legal deadline runs. The type-"
            "specific fields are validated as on the web form. `email` may be left out for a letter (then "
            "`postal_address` is required) or a call (then `phone`): nothing is e-mailed, the subject is answered "
            "by post. `identity_check` says how staff checked who the subject is (`identity_note` for the details; "
            "required with `other`): the identity counts as checked by staff, the request starts as `new`, and the answer is 201 "
            "with the full request. A DPO or a privacy agent may do this; an auditor is refused (403)."
        ),
        request=PolymorphicProxySerializer(
            component_name="RequestSubmission",
            serializers=[s.PublicRequestSerializer, s.StaffRequestSerializer],
            resource_type_field_name=None,
        ),
        responses={
            201: PolymorphicProxySerializer(
                component_name="RequestSubmitted",
                serializers=[s.PublicRequestCreatedSerializer, s.RequestDetailSerializer],
                resource_type_field_name=None,
            )
        },
        # Either no authentication (the public intake) or a staff token (logged by staff).
        auth=[{"bearerAuth": []}, {}],
    )
    def create(self, request):
        from requests_app.api.intake import staff_create, submit

        if request.user is not None and request.user.is_authenticated:
            subject_request = staff_create(request)
            return Response(self._detail(subject_request), status=status.HTTP_201_CREATED)
        submission = submit(request)
        if submission is None:
            # A bot caught by the honeypot: a calm answer, and nothing recorded.
            language = request.data.get("language") if hasattr(request.data, "get") else None
            with translation.override(language if language in ("nl", "fr", "de", "en") else "en"):
                message = _("Check your mailbox: we sent the links to your request to this address.")
            return Response({"status": "received", "message": message}, status=status.HTTP_202_ACCEPTED)
        subject_request = submission.request
        with translation.override(subject_request.language):
            message = _("Check your mailbox: confirm your e-mail address with the link we sent you.")
        body = {
            "reference": subject_request.reference,
            "status": subject_request.status,
            "request_type": subject_request.request_type,
            "language": subject_request.language,
            "message": message,
        }
        return Response(body, status=status.HTTP_201_CREATED)

    # -- reading ----------------------------------------------------------------
    @extend_schema(
        summary="List requests",
        parameters=[s.RequestFilterSerializer],
        responses=s.RequestListSerializer(many=True),
    )
    def list(self, request):
        filters = s.RequestFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        queryset = SubjectRequest.objects.select_related("assignee").order_by("due_date", "pk")
        if wanted.get("status"):
            queryset = queryset.filter(status=wanted["status"])
        if wanted.get("request_type"):
            queryset = queryset.filter(request_type=wanted["request_type"])
        assignee = wanted.get("assignee")
        if assignee == "me":
            queryset = queryset.filter(assignee=request.user)
        elif assignee == "none":
            queryset = queryset.filter(assignee__isnull=True)
        elif assignee:
            queryset = queryset.filter(assignee__username=assignee)
        overdue = wanted.get("overdue")
        if overdue is not None:
            late = {"status__in": OPEN_STATUSES, "due_date__lt": deadlines.today()}
            queryset = queryset.filter(**late) if overdue else queryset.exclude(**late)
        held = wanted.get("held")
        if held is not None:
            queryset = queryset.held() if held else queryset.not_held()
        return _paginated(self, queryset, s.RequestListSerializer)

    @extend_schema(summary="Read a request", responses=s.RequestDetailSerializer)
    def retrieve(self, request, reference=None):
        return Response(self._detail(self.get_object()))

    def _detail(self, obj) -> dict:
        jobs = Job.objects.filter(external_ref=obj.reference).prefetch_related(
            Prefetch("runs", queryset=SourceRun.objects.select_related("connector"))
        )
        return s.RequestDetailSerializer(obj, context={"request": self.request, "jobs": jobs}).data

    @extend_schema(summary="A request's audit trail", responses=s.EventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def events(self, request, reference=None):
        obj = self.get_object()
        return _paginated(self, obj.events.order_by("seq"), s.EventSerializer)

    # -- the workflow -------------------------------------------------------------
    def _act(self, action_name: str, serializer_class, perform):
        obj = self.get_object()
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        try:
            result = perform(obj, serializer.validated_data)
        except workflow.ActionForbidden:
            raise
        except workflow.WorkflowError as exc:
            obj.refresh_from_db(fields=["status", "extended_at"])
            transition = workflow.TRANSITIONS[action_name]
            stale = obj.status not in transition.sources or (action_name == "extend" and obj.extended_at)
            if stale or isinstance(exc, workflow.NotPossibleNow):
                raise Conflict(str(exc)) from exc
            raise BadRequest(str(exc)) from exc
        return obj, result

    def _action_response(self, action_name, serializer_class, perform):
        obj, _result = self._act(action_name, serializer_class, perform)
        return Response(self._detail(self.get_object()))

    @extend_schema(
        summary="Assign (or claim, or unassign)", request=s.AssignSerializer, responses=s.RequestDetailSerializer
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, reference=None):
        return self._action_response(
            "assign",
            s.AssignSerializer,
            lambda obj, d: workflow.assign(obj, actor=request.user, assignee=d["assignee"]),
        )

    @extend_schema(
        summary="Ask the subject for information", request=s.RequestInfoSerializer, responses=s.RequestDetailSerializer
    )
    @action(detail=True, methods=["post"], url_path="request-info")
    def request_info(self, request, reference=None):
        return self._action_response(
            "request_info",
            s.RequestInfoSerializer,
            lambda obj, d: workflow.request_info(
                obj, actor=request.user, body=d["body"], subject_line=d.get("subject_line", "")
            ),
        )

    @extend_schema(summary="Approve", request=s.EmptySerializer, responses=s.RequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, reference=None):
        return self._action_response(
            "approve", s.EmptySerializer, lambda obj, d: workflow.approve(obj, actor=request.user)
        )

    @extend_schema(summary="Reject (Art. 12(4))", request=s.RejectSerializer, responses=s.RequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, reference=None):
        return self._action_response(
            "reject",
            s.RejectSerializer,
            lambda obj, d: workflow.reject(obj, actor=request.user, reason=d["reason"], details=d.get("details", "")),
        )

    @extend_schema(
        summary="Extend the deadline (Art. 12(3))", request=s.ExtendSerializer, responses=s.RequestDetailSerializer
    )
    @action(detail=True, methods=["post"])
    def extend(self, request, reference=None):
        return self._action_response(
            "extend",
            s.ExtendSerializer,
            lambda obj, d: workflow.extend(obj, actor=request.user, months=d["months"], reason=d["reason"]),
        )

    @extend_schema(summary="Close", request=s.CloseSerializer, responses=s.RequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, reference=None):
        return self._action_response(
            "close",
            s.CloseSerializer,
            lambda obj, d: workflow.close(obj, actor=request.user, reason=d.get("reason", "")),
        )

    @extend_schema(
        summary="Forward to the controller the request belongs to",
        description=(
            "For data processed on behalf of a customer (Art. 28), such as a care provider's patient data: the "
            "controller is e-mailed the request with a link to acknowledge it, the subject is told who will "
            "answer, and the request ends here."
        ),
        request=s.ForwardSerializer,
        responses=s.RequestDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def forward(self, request, reference=None):
        from requests_app.forwarding import forward_request

        return self._action_response(
            "forward",
            s.ForwardSerializer,
            lambda obj, d: forward_request(
                obj,
                actor=request.user,
                controller_name=d["controller_name"],
                controller_email=d["controller_email"],
                note=d.get("note", ""),
            ),
        )

    @extend_schema(
        summary="Release to the subject (DPO)",
        description=(
            "Marks the request fulfilled and e-mails the subject their download link (and the other "
            "organisation its own, when the DPO decided to send it there). Refused while a portability "
            "request's other organisation awaits the `transmission` decision."
        ),
        request=s.EmptySerializer,
        responses=s.RequestDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def release(self, request, reference=None):
        from requests_app import delivery

        # As the page does: refused while the files are being (re)generated.
        return self._action_response(
            "fulfil", s.EmptySerializer, lambda obj, d: delivery.release(obj, actor=request.user)
        )

    @extend_schema(
        summary="Decide on sending the copy to the other organisation (DPO, Art. 20(2))",
        description=(
            "For a portability request that names another organisation (`transmission` in the request). "
            "`send`: on release that organisation is e-mailed a download link of its own at `email`. "
            "`not_feasible`: the subject's e-mail gives the `reason`. Required before `release`; "
            "may be changed until then."
        ),
        request=s.TransmissionDecisionSerializer,
        responses=s.RequestDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def transmission(self, request, reference=None):
        from requests_app import delivery

        obj = self.get_object()
        serializer = s.TransmissionDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            delivery.decide_transmission(
                obj, actor=request.user, decision=data["decision"], email=data["email"], reason=data["reason"]
            )
        except workflow.ActionForbidden:
            raise
        except workflow.WorkflowError as exc:
            obj.refresh_from_db(fields=["status"])
            if obj.status not in delivery.TRANSMISSION_STATUSES:
                raise Conflict(str(exc)) from exc
            raise BadRequest(str(exc)) from exc
        return Response(self._detail(self.get_object()))

    @extend_schema(
        summary="Change the type",
        description=(
            "The new type with what the subject asks under it, in the web form's type-specific fields (validated "
            "as there): they replace the old type's. `reason` is kept as an internal note."
        ),
        request=s.ChangeTypeSerializer,
        responses=s.RequestDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="change-type")
    def change_type(self, request, reference=None):
        from requests_app.api.intake import change_type_form

        obj = self.get_object()
        form = change_type_form(request, obj)
        return self._action_response(
            "change_type",
            s.EmptySerializer,
            lambda obj, d: workflow.change_type(
                obj,
                actor=request.user,
                request_type=form.cleaned_data["request_type"],
                type_details=form.cleaned_data["type_details"],
                reason=form.cleaned_data["reason"],
            ),
        )

    # -- retention holds ------------------------------------------------------------
    def _hold_response(self, serializer_class, perform):
        obj = self.get_object()
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        try:
            perform(obj, serializer.validated_data)
        except workflow.ActionForbidden:
            raise
        except workflow.WorkflowError as exc:
            # The input was checked above: what is left is the request's state
            # (already held, not held, records already deleted).
            raise Conflict(str(exc)) from exc
        return Response(self._detail(self.get_object()))

    @extend_schema(
        summary="Place a retention hold (DPO)",
        description=(
            "Keeps the request as evidence (a complaint with the supervisory authority, court proceedings...): "
            "while held, the retention periods neither purge its personal data nor delete its records, however "
            "long ago it ended. `explanation` is kept as an internal note; the audit trail records the reason's "
            "code only. 409 when the request is already held or its records were already deleted. Only a DPO; "
            "anyone else is refused (403) and the attempt is recorded."
        ),
        request=s.PlaceHoldSerializer,
        responses=s.RequestDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="retention-hold", url_name="retention-hold")
    def place_hold(self, request, reference=None):
        return self._hold_response(
            s.PlaceHoldSerializer,
            lambda obj, d: workflow.place_retention_hold(
                obj, actor=request.user, reason=d["reason"], explanation=d["explanation"]
            ),
        )

    @extend_schema(
        summary="Lift the retention hold (DPO)",
        description=(
            "The retention periods apply again, counted from the end of the request as before: one that ended "
            "long ago is purged (or its records deleted) at the next retention run. 409 when the request is not "
            "held. Only a DPO; anyone else is refused (403) and the attempt is recorded."
        ),
        request=s.LiftHoldSerializer,
        responses=s.RequestDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="retention-hold/lift", url_name="retention-hold-lift")
    def lift_hold(self, request, reference=None):
        return self._hold_response(
            s.LiftHoldSerializer,
            lambda obj, d: workflow.lift_retention_hold(obj, actor=request.user, explanation=d["explanation"]),
        )

    @extend_schema(methods=["GET"], summary="Internal notes", request=None, responses=s.NoteSerializer(many=True))
    @extend_schema(
        methods=["POST"], summary="Add an internal note", request=s.NoteSerializer, responses={201: s.NoteSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def notes(self, request, reference=None):
        if request.method == "GET":
            obj = self.get_object()
            return _paginated(self, obj.notes.select_related("author").order_by("created_at", "pk"), s.NoteSerializer)
        _obj, note = self._act(
            "add_note", s.NoteSerializer, lambda obj, d: workflow.add_note(obj, actor=request.user, body=d["body"])
        )
        return Response(s.NoteSerializer(note).data, status=status.HTTP_201_CREATED)

    # -- exports --------------------------------------------------------------------
    @extend_schema(
        summary="The request's export files",
        description="The files of the latest gathering, once generated (in review and after).",
        responses=s.ExportSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def exports(self, request, reference=None):
        from requests_app import delivery

        obj = self.get_object()
        files = delivery.export_files(obj)
        jobs = {job.pk: job for job in Job.objects.filter(pk__in={f.job_id for f in files})}
        for export in files:
            export.job = jobs[export.job_id]
        return _paginated(self, files, s.ExportSerializer)

    @extend_schema(
        summary="Download an export file",
        description="Streams the file. Staff looking at a subject's data is recorded in the audit trail.",
        responses={
            (200, "application/json"): OpenApiTypes.BINARY,
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "application/zip"): OpenApiTypes.BINARY,
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
        from requests_app import delivery

        obj = self.get_object()
        export = next((f for f in delivery.export_files(obj) if f.format == file_format), None)
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
        delivery.record_preview(obj, actor=request.user, export=export)
        response = StreamingHttpResponse(content, content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        response["Content-Length"] = str(export.size)
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response

    # -- manual tasks -------------------------------------------------------------
    def _tasks(self, obj):
        return (
            ManualTask.objects.filter(run__job__external_ref=obj.reference)
            .select_related("run__connector", "run__job", "assignee", "completed_by")
            .prefetch_related("files")
            .order_by("created_at", "pk")
        )

    @extend_schema(summary="The request's manual tasks", responses=s.ManualTaskSerializer(many=True))
    @action(detail=True, methods=["get"])
    def tasks(self, request, reference=None):
        return _paginated(self, self._tasks(self.get_object()), s.ManualTaskSerializer)

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
        request={
            "multipart/form-data": s.CompleteTaskSerializer,
            "application/json": s.CompleteTaskSerializer,
        },
        responses=s.ManualTaskSerializer,
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
        plan_task = execution.is_plan_task(task)
        if plan_task:
            # The plan panel's rule: its write views refuse auditors, then execution.complete_task
            # takes a DPO or the request's agent (not the task's assignee as such).
            if (roles.is_auditor(user) and not roles.is_dpo(user)) or not execution.can_change(user, obj):
                raise exceptions.PermissionDenied(_("Your role does not allow this action."))
        else:
            may_complete = roles.can_work_on(user, obj) or task.assignee_id == user.pk
            if not may_complete or (roles.is_auditor(user) and not roles.is_dpo(user)):
                raise exceptions.PermissionDenied(
                    _("Only the DPO, the request's agent or the task's assignee can complete this task.")
                )
        if hasattr(request.data, "getlist"):  # multipart or form-encoded
            data = {"findings": request.data.get("findings", ""), "files": request.FILES.getlist("files")}
        else:
            data = request.data
        serializer = s.CompleteTaskSerializer(data=data, context={"plan_task": plan_task})
        serializer.is_valid(raise_exception=True)
        if task.status != ManualTask.Status.OPEN:
            raise Conflict(_("This task was already completed."))
        if plan_task:
            # The same path as the plan panel: the plan's items, the plan's end and its event.
            try:
                execution.complete_task(obj, task, user=user, findings=serializer.validated_data["findings"])
            except execution.ExecutionError as exc:
                raise BadRequest(str(exc)) from exc
            return Response(s.ManualTaskSerializer(self._tasks(obj).get(pk=task.pk)).data)
        try:
            processing.complete_manual_task(
                obj,
                task,
                findings=serializer.validated_data["findings"],
                files=serializer.validated_data["files"],
                user=user,
            )
        except ConnectorError as exc:
            raise Conflict(str(exc)) from exc
        return Response(s.ManualTaskSerializer(self._tasks(obj).get(pk=task.pk)).data)


# ------------------------------------------------------------------------------
# The processing register and connectors
# ------------------------------------------------------------------------------
class RegisterViewSet(ApiMixin, viewsets.ModelViewSet):
    """Everyone in the workspace reads; a DPO changes."""

    permission_classes = [StaffReadDpoWrite]
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"


@extend_schema_view(
    list=extend_schema(summary="List data categories"),
    retrieve=extend_schema(summary="Read a data category"),
)
@extend_schema(tags=["register"])
class DataCategoryViewSet(RegisterViewSet):
    queryset = DataCategory.objects.order_by("code")
    serializer_class = s.DataCategorySerializer


@extend_schema(tags=["register"])
class RecipientViewSet(RegisterViewSet):
    queryset = Recipient.objects.prefetch_related("categories").order_by("name", "pk")
    serializer_class = s.RecipientSerializer


@extend_schema(tags=["register"])
class ProcessingActivityViewSet(RegisterViewSet):
    queryset = ProcessingActivity.objects.prefetch_related("categories", "recipients").order_by("code")
    serializer_class = s.ProcessingActivitySerializer


@extend_schema(tags=["connectors"])
class ConnectorViewSet(RegisterViewSet):
    queryset = (
        Connector.objects.select_related("default_assignee")
        .prefetch_related("categories", "activities")
        .order_by("name", "pk")
    )
    serializer_class = s.ConnectorSerializer
    permission_classes = [ConnectorsScopeForChanges]

    @extend_schema(summary="Test the connection (DPO)", request=s.EmptySerializer, responses=s.ConnectorTestSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsDpo])
    def test(self, request, code=None):
        ok, message = gathering.test_connection(self.get_object())
        return Response({"ok": ok, "message": message})


# ------------------------------------------------------------------------------
# Webhooks (DPO)
# ------------------------------------------------------------------------------
@extend_schema(tags=["webhooks"])
class WebhookSubscriptionViewSet(ApiMixin, viewsets.ModelViewSet):
    permission_classes = [IsDpo]
    queryset = WebhookSubscription.objects.order_by("pk")
    serializer_class = s.WebhookSubscriptionSerializer

    @extend_schema(summary="Subscribe", responses={201: s.WebhookSubscriptionCreatedSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        subscription = serializer.save(created_by=request.user)
        return Response(s.WebhookSubscriptionCreatedSerializer(subscription).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Replace the signing secret", request=s.EmptySerializer, responses=s.WebhookSecretSerializer)
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        subscription = self.get_object()
        subscription.secret = new_webhook_secret()
        subscription.save(update_fields=["secret"])
        return Response({"secret": subscription.secret})

    @extend_schema(summary="Deliveries of this subscription", responses=s.WebhookDeliverySerializer(many=True))
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        subscription = self.get_object()
        return _paginated(self, subscription.deliveries.order_by("-created_at", "pk"), s.WebhookDeliverySerializer)


@extend_schema(tags=["webhooks"])
class WebhookDeliveryViewSet(ApiMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Every attempt to deliver an event, for the DPO to check."""

    permission_classes = [IsDpo]
    serializer_class = s.WebhookDeliverySerializer
    queryset = WebhookDelivery.objects.order_by("-created_at", "pk")

    @extend_schema(parameters=[s.DeliveryFilterSerializer])
    def list(self, request, *args, **kwargs):
        filters = s.DeliveryFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        queryset = self.get_queryset()
        if "subscription" in filters.validated_data:
            queryset = queryset.filter(subscription_id=filters.validated_data["subscription"])
        if "status" in filters.validated_data:
            queryset = queryset.filter(status=filters.validated_data["status"])
        return _paginated(self, queryset, s.WebhookDeliverySerializer)

    @extend_schema(
        summary="Send this event again", request=s.EmptySerializer, responses={201: s.WebhookDeliverySerializer}
    )
    @action(detail=True, methods=["post"])
    def redeliver(self, request, pk=None):
        with transaction.atomic():
            copy = webhooks.redeliver(self.get_object())
        return Response(s.WebhookDeliverySerializer(copy).data, status=status.HTTP_201_CREATED)


# ------------------------------------------------------------------------------
# Who am I
# ------------------------------------------------------------------------------
@extend_schema(tags=["tokens"])
class MeView(ApiMixin, APIView):
    """The user and role behind the token in use: a quick check that it works."""

    @extend_schema(summary="The token's user and role", responses=s.MeSerializer)
    def get(self, request):
        token = request.auth
        return Response(
            {
                "username": request.user.get_username(),
                "role": roles.role_of(request.user),
                "token": token.name,
                "token_expires_at": token.expires_at,
            }
        )
