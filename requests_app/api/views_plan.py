"""The API's side of the request page's panels: the execution plan, the
sources of the gathering, the records gathered (Art. 15(4) exclusions) and
the subject's attachments. Each action calls the same function as the page,
so the rules (and the refusals they record) are the same."""

from __future__ import annotations

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from dsar.connectors.base import translate
from dsar.core.national_number import mask_record_data
from dsar.execution.models import Plan, PlanItem, RecipientNotice
from dsar.exports.content import record_data
from dsar.models import SourceRecord, SourceRun
from requests_app import attachments, delivery, execution, processing, roles, workflow
from requests_app.api import serializers as s
from requests_app.api import serializers_plan as sp
from requests_app.api.base import BadRequest, Conflict, DownloadRenderer
from requests_app.models import RequestType

ID = r"[0-9]+"
SOURCE_CODE = r"[-a-zA-Z0-9_]+"


def _id_parameter(name: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.INT, OpenApiParameter.PATH)


def _refuse_auditor(user) -> None:
    """The pages' write views refuse auditors before anything else (nothing recorded)."""
    if roles.is_auditor(user) and not roles.is_dpo(user):
        raise exceptions.PermissionDenied(_("Your role does not allow this action."))


def _plan_warnings(panel: dict) -> list[dict]:
    """What the plan panel shows in red or as a warning, with the same words."""
    plan = panel["plan"]
    warnings = []
    if plan.error and plan.status == Plan.Status.FAILED:
        warnings.append(
            {"code": "plan_failed", "message": _("The plan could not be computed:") + " " + plan.error, "sources": []}
        )
    elif plan.error:
        warnings.append(
            {
                "code": "sources_unreadable",
                "message": _("Some sources could not be read; see each source."),
                "sources": [e["run"].connector.code for e in panel["runs"] if e["run"].error],
            }
        )
    if panel["restrict_meanwhile"] and panel["meanwhile_by_hand"]:
        warnings.append(
            {
                "code": "restrict_by_hand",
                "message": _(
                    "The subject contests the accuracy of the data and asked that it be restricted while you check "
                    "it (Art. 18(1)(a)). These sources cannot restrict automatically: someone must restrict the data "
                    "by hand now, as the manual task of each source says:"
                ),
                "sources": panel["meanwhile_by_hand"],
            }
        )
    if panel["restrict_meanwhile"] and panel["meanwhile_failed"]:
        warnings.append(
            {
                "code": "restrict_failed",
                "message": _(
                    "The restriction while the accuracy is checked (Art. 18(1)(a)) failed on these sources; restrict "
                    "the data there by hand, or fix the source and compute the plan again:"
                ),
                "sources": panel["meanwhile_failed"],
            }
        )
    if panel["unreachable"]:
        warnings.append(
            {
                "code": "recipients_without_email",
                "message": _(
                    "These recipients have no e-mail address in the register; notify them by other means (Art. 19):"
                ),
                "sources": [entry["recipient"].code for entry in panel["unreachable"]],
            }
        )
    unmatched = [c["field"] for c in panel["corrections"] if not c["matched"]]
    if unmatched:
        warnings.append(
            {
                "code": "correction_unmatched",
                "message": _("No source has a field of this name: say which field it is."),
                "sources": unmatched,
            }
        )
    return warnings


def _plan_actions(panel: dict, subject_request, user) -> list[str]:
    plan = panel["plan"]
    if roles.is_auditor(user) and not roles.is_dpo(user):
        return []
    allowed = []
    can_change = panel["can_change"]
    if plan.editable and can_change:
        allowed.append("items")
        if panel["corrections"]:
            allowed.append("corrections")
    if plan.editable and panel["can_approve"]:
        allowed.append("approve")
    if can_change and plan.status in (Plan.Status.READY, Plan.Status.FAILED):
        allowed.append("recompute")
    if can_change and plan.status == Plan.Status.PARTIAL:
        allowed.append("resume")
    if panel["can_lift"]:
        allowed.append("lift-restriction")
    if can_change and panel["notices"] and not subject_request.purged_at:
        allowed.append("tell-recipients")
        if any(not entry["notice"].acknowledged_at for entry in panel["notices"]):
            allowed.append("remind")
    return allowed


class PlanActionsMixin:
    """GET/POST /api/v1/requests/{reference}/plan/...: the plan panel's forms."""

    def _plan(self, subject_request) -> Plan:
        plan = execution.plan_for(subject_request)
        if plan is None:
            raise exceptions.NotFound(_("This request has no plan (yet)."))
        return plan

    def _plan_body(self, subject_request) -> dict:
        user = self.request.user
        panel = execution._panel_context(subject_request, user)
        if panel["plan"] is None:
            raise exceptions.NotFound(_("This request has no plan (yet)."))
        data = {
            **panel,
            "warnings": _plan_warnings(panel),
            "allowed_actions": _plan_actions(panel, subject_request, user),
        }
        return sp.PlanSerializer(data).data

    def _plan_response(self, subject_request):
        return Response(self._plan_body(subject_request))

    def _plan_call(self, subject_request, *, allowed: bool, call, invalid_input: bool = False):
        """Run a plan action: a refusal is 403 (recorded where the function records it), a
        state that does not allow it 409, input the plan cannot take 400."""
        _refuse_auditor(self.request.user)
        try:
            return call()
        except execution.ExecutionError as exc:
            if not allowed:
                raise exceptions.PermissionDenied(str(exc)) from exc
            if invalid_input:
                raise BadRequest(str(exc)) from exc
            raise Conflict(str(exc)) from exc

    @extend_schema(
        tags=["plan"],
        summary="The execution plan",
        description=(
            "Erasure, rectification, restriction, objection and withdrawal: what will be changed in each source, "
            "what is kept and why, the warnings of the request page, and the recipients to notify or notified "
            "(Art. 19). 404 while no plan was computed."
        ),
        responses=sp.PlanSerializer,
    )
    @action(detail=True, methods=["get"])
    def plan(self, request, reference=None):
        return self._plan_response(self.get_object())

    @extend_schema(
        tags=["plan"],
        summary="Change one item of the plan",
        description=(
            "While the plan is not approved, by the DPO or the request's agent. `keep` a record the plan would "
            "erase (Art. 17(3) ground in `reason`, why in `note`), `leave_out` with a `note`, `include` it again, "
            "or approve the corrected `fields` of a rectification. Answers the whole plan."
        ),
        request=sp.ItemChangeSerializer,
        responses=sp.PlanSerializer,
        parameters=[_id_parameter("item_id")],
    )
    @action(detail=True, methods=["post"], url_path=rf"plan/items/(?P<item_id>{ID})", url_name="plan-item")
    def plan_item(self, request, reference=None, item_id=None):
        obj = self.get_object()
        plan = self._plan(obj)
        item = get_object_or_404(PlanItem, pk=item_id, plan=plan)
        serializer = sp.ItemChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        self._plan_call(
            obj,
            allowed=execution.can_change(request.user, obj),
            invalid_input=plan.editable and item.status in (PlanItem.Status.PLANNED, PlanItem.Status.SKIPPED),
            call=lambda: execution.change_item(
                obj,
                item,
                user=request.user,
                change=data["change"],
                reason=data["reason"],
                note=data["note"],
                fields=data["fields"],
            ),
        )
        return self._plan_response(obj)

    @extend_schema(
        tags=["plan"],
        summary="Approve the plan and change the sources",
        description=(
            "An erasure plan only by a DPO, who names the ground of Art. 17(1) (`erasure_ground`, required for "
            "an erasure); other plans also by the request's agent. The workers then change the sources; a refusal "
            "is recorded in the audit trail."
        ),
        request=sp.ApprovePlanSerializer,
        responses=sp.PlanSerializer,
    )
    @action(detail=True, methods=["post"], url_path="plan/approve", url_name="plan-approve")
    def plan_approve(self, request, reference=None):
        obj = self.get_object()
        plan = self._plan(obj)
        serializer = sp.ApprovePlanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ground = serializer.validated_data["erasure_ground"]
        self._plan_call(
            obj,
            allowed=execution.can_approve(request.user, obj),
            # An erasure without its ground is the caller's to fix (400), not the plan's state (409).
            invalid_input=plan.editable and obj.request_type == RequestType.ERASURE and not ground,
            call=lambda: execution.approve_plan(obj, plan, user=request.user, erasure_ground=ground),
        )
        return self._plan_response(obj)

    @extend_schema(
        tags=["plan"],
        summary="Say which field a correction is about",
        description=(
            "Rectification: a correction in the subject's own words (`index` in `corrections`) is mapped onto a "
            "source field; the plan is computed again."
        ),
        request=sp.MapCorrectionSerializer,
        responses=sp.PlanSerializer,
        parameters=[_id_parameter("index")],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=rf"plan/corrections/(?P<index>{ID})",
        url_name="plan-correction",
    )
    def plan_correction(self, request, reference=None, index=None):
        obj = self.get_object()
        plan = self._plan(obj)
        serializer = sp.MapCorrectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self._plan_call(
            obj,
            allowed=execution.can_change(request.user, obj),
            invalid_input=plan.editable,
            call=lambda: execution.map_correction(
                obj, plan, user=request.user, index=int(index), field=serializer.validated_data["field"]
            ),
        )
        return self._plan_response(obj)

    @extend_schema(
        tags=["plan"],
        summary="Compute the plan again",
        description="A plan not yet approved (or that failed), e.g. after a source's configuration was fixed.",
        request=s.EmptySerializer,
        responses=sp.PlanSerializer,
    )
    @action(detail=True, methods=["post"], url_path="plan/recompute", url_name="plan-recompute")
    def plan_recompute(self, request, reference=None):
        obj = self.get_object()
        plan = self._plan(obj)
        self._plan_call(
            obj,
            allowed=execution.can_change(request.user, obj),
            call=lambda: execution.recompute_plan(obj, plan, user=request.user),
        )
        return self._plan_response(obj)

    @extend_schema(
        tags=["plan"],
        summary="Retry the failed sources",
        description="An execution that partly failed: the sources that failed are changed again.",
        request=s.EmptySerializer,
        responses=sp.PlanSerializer,
    )
    @action(detail=True, methods=["post"], url_path="plan/resume", url_name="plan-resume")
    def plan_resume(self, request, reference=None):
        obj = self.get_object()
        plan = self._plan(obj)
        self._plan_call(
            obj,
            allowed=execution.can_change(request.user, obj),
            call=lambda: execution.resume_plan(obj, plan, user=request.user),
        )
        return self._plan_response(obj)

    @extend_schema(
        tags=["plan"],
        summary="Lift the restriction (Art. 18(3))",
        description=(
            "A restriction carried out: the subject is e-mailed the `reason` first, then the sources lift it and "
            "the recipients told of the restriction hear that it ended."
        ),
        request=sp.LiftRestrictionSerializer,
        responses=sp.PlanSerializer,
    )
    @action(detail=True, methods=["post"], url_path="plan/lift-restriction", url_name="plan-lift-restriction")
    def plan_lift_restriction(self, request, reference=None):
        obj = self.get_object()
        plan = self._plan(obj)
        serializer = sp.LiftRestrictionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self._plan_call(
            obj,
            allowed=execution.can_approve(request.user, obj),
            call=lambda: execution.lift_restriction(
                obj, plan, user=request.user, reason=serializer.validated_data["reason"]
            ),
        )
        return self._plan_response(obj)

    @extend_schema(
        tags=["plan"],
        summary="Send a recipient the notice again (Art. 19)",
        description="A recipient that has not acknowledged the notice; `id` from `recipients_notified` of the plan.",
        request=s.EmptySerializer,
        responses=sp.NoticeSerializer,
        parameters=[_id_parameter("notice_id")],
    )
    @action(detail=True, methods=["post"], url_path=rf"plan/notices/(?P<notice_id>{ID})/remind", url_name="plan-remind")
    def plan_remind(self, request, reference=None, notice_id=None):
        obj = self.get_object()
        plan = self._plan(obj)
        notice = get_object_or_404(RecipientNotice.objects.select_related("recipient"), pk=notice_id, plan=plan)
        notice = self._plan_call(
            obj,
            allowed=execution.can_change(request.user, obj),
            call=lambda: execution.remind_recipient(notice, obj, user=request.user),
        )
        return Response(sp.NoticeSerializer(notice).data)

    @extend_schema(
        tags=["plan"],
        summary="Send the subject the list of recipients (Art. 19)",
        description="When the subject asked who received their data; once the plan is executed.",
        request=s.EmptySerializer,
        responses=sp.PlanSerializer,
    )
    @action(detail=True, methods=["post"], url_path="plan/tell-recipients", url_name="plan-tell-recipients")
    def plan_tell_recipients(self, request, reference=None):
        obj = self.get_object()
        plan = self._plan(obj)
        self._plan_call(
            obj,
            allowed=execution.can_change(request.user, obj),
            call=lambda: execution.tell_subject_recipients(obj, plan, user=request.user),
        )
        return self._plan_response(obj)


class SourcesActionsMixin:
    """The sources of the gathering, the records gathered and the subject's attachments."""

    def _source_rows(self, subject_request) -> list[dict]:
        job = processing.current_job(subject_request)
        if job is None:
            return []
        runs = list(job.runs.select_related("connector", "job").order_by("connector__name", "pk"))
        counts = {
            row["run"]: row
            for row in SourceRecord.objects.filter(run__job=job)
            .values("run")
            .annotate(total=Count("id"), withheld=Count("id", filter=Q(excluded=True)))
        }
        panel = processing._panel_context(subject_request, self.request.user)
        may_retry = panel.get("can_retry", False) and not (
            roles.is_auditor(self.request.user) and not roles.is_dpo(self.request.user)
        )
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
        responses=sp.SourceSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def sources(self, request, reference=None):
        obj = self.get_object()
        rows = self._source_rows(obj)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(sp.SourceSerializer(page, many=True).data)

    @extend_schema(
        tags=["sources"],
        summary="Search a failed source again",
        description="By the DPO or the request's agent; the request goes back to processing until the source answers.",
        request=s.EmptySerializer,
        responses=sp.SourceSerializer,
        parameters=[OpenApiParameter("source", str, OpenApiParameter.PATH, pattern=SOURCE_CODE)],
    )
    @action(
        detail=True, methods=["post"], url_path=rf"sources/(?P<source>{SOURCE_CODE})/retry", url_name="source-retry"
    )
    def source_retry(self, request, reference=None, source=None):
        obj = self.get_object()
        job = processing.current_job(obj)
        run = get_object_or_404(SourceRun.objects.select_related("connector", "job"), job=job, connector__code=source)
        _refuse_auditor(request.user)
        if not roles.can_work_on(request.user, obj):
            raise exceptions.PermissionDenied(
                _("Only the DPO or the agent assigned to this request can retry a source.")
            )
        try:
            processing.retry_source(obj, run, actor=request.user)
        except workflow.WorkflowError as exc:
            raise Conflict(str(exc)) from exc
        row = next(r for r in self._source_rows(obj) if r["run"].pk == run.pk)
        return Response(sp.SourceSerializer(row).data)

    @extend_schema(
        tags=["exports"],
        summary="The records gathered",
        description=(
            "Every record of the latest gathering, to review what the copy contains. With `data=true` each "
            "record's data comes too: that is the subject's personal data, and your reading it is recorded in "
            "the audit trail as a preview of the copy."
        ),
        parameters=[sp.RecordFilterSerializer],
        responses=sp.RecordSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def records(self, request, reference=None):
        obj = self.get_object()
        filters = sp.RecordFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        job = delivery.latest_job(obj)
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
        rows = []
        for record in page:
            row = {"record": record}
            if wanted["data"]:
                # Masked as on the records page; a DPO reveals the full number in the workspace (audited).
                row["data"] = mask_record_data(record, record_data(record))
            rows.append(row)
        if wanted["data"] and rows:
            delivery.record_records_read(obj, actor=request.user, count=len(rows))
        return self.get_paginated_response(sp.RecordSerializer(rows, many=True).data)

    @extend_schema(
        tags=["exports"],
        summary="Leave records out of the copy, or put them back (Art. 15(4))",
        description=(
            "While the request is in review, by the DPO or the request's agent: records about other people are "
            "left out with a `note` (kept for the DPO, not sent to the subject); the files are generated again."
        ),
        request=sp.ExcludeRecordsSerializer,
        responses=sp.ExcludeResultSerializer,
    )
    @action(detail=True, methods=["post"], url_path="exports/exclude", url_name="exports-exclude")
    def exports_exclude(self, request, reference=None):
        obj = self.get_object()
        serializer = sp.ExcludeRecordsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        _refuse_auditor(request.user)
        if data["excluded"] and not data["note"].strip():
            # The same words as the page; a field of its own here.
            raise exceptions.ValidationError(
                {"note": [_("Say why these records are left out (for example: they concern another person).")]}
            )
        try:
            changed = delivery.set_excluded(
                obj, actor=request.user, record_ids=data["records"], excluded=data["excluded"], note=data["note"]
            )
        except workflow.ActionForbidden:
            raise
        except workflow.WorkflowError as exc:
            raise Conflict(str(exc)) from exc
        return Response({"changed": changed})

    # -- the subject's attachments --------------------------------------------------
    @extend_schema(
        tags=["requests"],
        summary="Files the subject sent",
        description="Names and sizes; the DPO and the request's agent download them.",
        responses=sp.AttachmentSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def attachments(self, request, reference=None):
        obj = self.get_object()
        queryset = attachments.attachments_of(obj)
        page = self.paginate_queryset(queryset)
        context = {"request": request, "reference": obj.reference}
        return self.get_paginated_response(sp.AttachmentSerializer(page, many=True, context=context).data)

    @extend_schema(
        tags=["requests"],
        summary="Download a file the subject sent",
        description=(
            "The DPO and the request's agent, e.g. to check an identity document; each download is recorded in "
            "the audit trail (a refusal too). The file comes with the type it was checked to have when it was sent."
        ),
        responses={(200, "*/*"): OpenApiTypes.BINARY},
        parameters=[_id_parameter("attachment_id")],
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
