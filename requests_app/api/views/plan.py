"""The execution plan panel: the plan of an erasure, rectification, restriction,
objection or withdrawal, its warnings and its forms. Each action calls the
same function as the page, so the rules (and the refusals they record) are
the same."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.response import Response

from dsar.execution.models import Plan, PlanItem, RecipientNotice
from requests_app import permissions
from requests_app.api.base import ID, BadRequest, Conflict, EmptySerializer, id_parameter
from requests_app.api.serializers.plan import (
    ApprovePlanSerializer,
    ItemChangeSerializer,
    LiftRestrictionSerializer,
    MapCorrectionSerializer,
    NoticeSerializer,
    PlanSerializer,
    ScheduledLiftSerializer,
    SettleNoticeSerializer,
)
from requests_app.execution import panel as execution_panel
from requests_app.execution import selectors as execution_selectors
from requests_app.execution import services as execution_services
from requests_app.execution.models import RestrictionLift
from requests_app.models import RequestType


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
    if permissions.is_read_only(user):
        return []
    allowed = []
    can_change = panel["can_change"]
    if plan.editable and can_change:
        allowed.append("items")
        if panel["corrections"]:
            allowed.append("corrections")
    # Not while something must be decided first (``approval_blocked`` says what), as the page's disabled button.
    if plan.editable and panel["can_approve"] and not panel["approval_blocked"]:
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
        plan = execution_selectors.plan_for(subject_request)
        if plan is None:
            raise exceptions.NotFound(_("This request has no plan (yet)."))
        return plan

    def _plan_body(self, subject_request) -> dict:
        user = self.request.user
        panel = execution_panel.panel_context(subject_request, user)
        if panel["plan"] is None:
            raise exceptions.NotFound(_("This request has no plan (yet)."))
        data = {
            **panel,
            "warnings": _plan_warnings(panel),
            "allowed_actions": _plan_actions(panel, subject_request, user),
        }
        return PlanSerializer(data).data

    def _plan_response(self, subject_request):
        return Response(self._plan_body(subject_request))

    def _plan_call(self, subject_request, *, allowed: bool, call, invalid_input: bool = False):
        """Run a plan action: a refusal is 403 (recorded where the function records it), a
        state that does not allow it 409, input the plan cannot take 400."""
        permissions.refuse_read_only(self.request.user)
        try:
            return call()
        except execution_services.ExecutionError as exc:
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
        responses=PlanSerializer,
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
        request=ItemChangeSerializer,
        responses=PlanSerializer,
        parameters=[id_parameter("item_id")],
    )
    @action(detail=True, methods=["post"], url_path=rf"plan/items/(?P<item_id>{ID})", url_name="plan-item")
    def plan_item(self, request, reference=None, item_id=None):
        obj = self.get_object()
        plan = self._plan(obj)
        item = get_object_or_404(PlanItem, pk=item_id, plan=plan)
        serializer = ItemChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        self._plan_call(
            obj,
            allowed=permissions.can_change_plan(request.user, obj),
            invalid_input=plan.editable and item.status in (PlanItem.Status.PLANNED, PlanItem.Status.SKIPPED),
            call=lambda: execution_services.change_item(
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
            "is recorded in the audit trail. Refused (409, with the reason) while `approval_blocked` says something "
            "must be decided first. A rectification's records on which no field was approved get every proposed "
            "field approved, as the plan shows them (`fields`, `before`); a restriction while the accuracy was "
            "checked is then lifted on a scheduled date, after telling the subject (Art. 18(3), `scheduled_lift`)."
        ),
        request=ApprovePlanSerializer,
        responses=PlanSerializer,
    )
    @action(detail=True, methods=["post"], url_path="plan/approve", url_name="plan-approve")
    def plan_approve(self, request, reference=None):
        obj = self.get_object()
        plan = self._plan(obj)
        serializer = ApprovePlanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ground = serializer.validated_data["erasure_ground"]
        self._plan_call(
            obj,
            allowed=permissions.can_approve_plan(request.user, obj),
            # An erasure without its ground is the caller's to fix (400), not the plan's state (409).
            invalid_input=plan.editable and obj.request_type == RequestType.ERASURE and not ground,
            call=lambda: execution_services.approve_plan(obj, plan, user=request.user, erasure_ground=ground),
        )
        return self._plan_response(obj)

    @extend_schema(
        tags=["plan"],
        summary="Say which field a correction is about",
        description=(
            "Rectification: a correction in the subject's own words (`index` in `corrections`) is mapped onto a "
            "source field (`field`, with the subject's value), or onto several fields each with its own value "
            "(`fields`: an address as street, postal code and town). Only the sources and tables holding those "
            "fields are changed. The plan is computed again."
        ),
        request=MapCorrectionSerializer,
        responses=PlanSerializer,
        parameters=[id_parameter("index")],
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
        serializer = MapCorrectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self._plan_call(
            obj,
            allowed=permissions.can_change_plan(request.user, obj),
            invalid_input=plan.editable,
            call=lambda: execution_services.map_correction(
                obj,
                plan,
                user=request.user,
                index=int(index),
                field=serializer.validated_data["field"],
                fields=serializer.validated_data["fields"] or None,
            ),
        )
        return self._plan_response(obj)

    @extend_schema(
        tags=["plan"],
        summary="Compute the plan again",
        description="A plan not yet approved (or that failed), e.g. after a source's configuration was fixed.",
        request=EmptySerializer,
        responses=PlanSerializer,
    )
    @action(detail=True, methods=["post"], url_path="plan/recompute", url_name="plan-recompute")
    def plan_recompute(self, request, reference=None):
        obj = self.get_object()
        plan = self._plan(obj)
        self._plan_call(
            obj,
            allowed=permissions.can_change_plan(request.user, obj),
            call=lambda: execution_services.recompute_plan(obj, plan, user=request.user),
        )
        return self._plan_response(obj)

    @extend_schema(
        tags=["plan"],
        summary="Retry the failed sources",
        description="An execution that partly failed: the sources that failed are changed again.",
        request=EmptySerializer,
        responses=PlanSerializer,
    )
    @action(detail=True, methods=["post"], url_path="plan/resume", url_name="plan-resume")
    def plan_resume(self, request, reference=None):
        obj = self.get_object()
        plan = self._plan(obj)
        self._plan_call(
            obj,
            allowed=permissions.can_change_plan(request.user, obj),
            call=lambda: execution_services.resume_plan(obj, plan, user=request.user),
        )
        return self._plan_response(obj)

    @extend_schema(
        tags=["plan"],
        summary="Lift the restriction (Art. 18(3))",
        description=(
            "A restriction carried out: the subject is e-mailed the `reason` and the date now; the lifting is "
            "scheduled and runs once that e-mail was sent and DSAR_RESTRICTION_LIFT_LEAD_WORKING_DAYS working days "
            "passed (Art. 18(3)); then the sources lift it and the recipients told of the restriction hear that it "
            "ended. The DPO may cancel the scheduled lifting on the plan panel."
        ),
        request=LiftRestrictionSerializer,
        responses=PlanSerializer,
    )
    @action(detail=True, methods=["post"], url_path="plan/lift-restriction", url_name="plan-lift-restriction")
    def plan_lift_restriction(self, request, reference=None):
        obj = self.get_object()
        plan = self._plan(obj)
        serializer = LiftRestrictionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self._plan_call(
            obj,
            allowed=permissions.can_approve_plan(request.user, obj),
            call=lambda: execution_services.lift_restriction(
                obj, plan, user=request.user, reason=serializer.validated_data["reason"]
            ),
        )
        return self._plan_response(obj)

    @extend_schema(
        tags=["plan"],
        summary="Send a recipient the notice again (Art. 19)",
        description="A recipient that has not acknowledged the notice; `id` from `recipients_notified` of the plan.",
        request=EmptySerializer,
        responses=NoticeSerializer,
        parameters=[id_parameter("notice_id")],
    )
    @action(detail=True, methods=["post"], url_path=rf"plan/notices/(?P<notice_id>{ID})/remind", url_name="plan-remind")
    def plan_remind(self, request, reference=None, notice_id=None):
        obj = self.get_object()
        plan = self._plan(obj)
        notice = get_object_or_404(RecipientNotice.objects.select_related("recipient"), pk=notice_id, plan=plan)
        notice = self._plan_call(
            obj,
            allowed=permissions.can_change_plan(request.user, obj),
            call=lambda: execution_services.remind_recipient(notice, obj, user=request.user),
        )
        return Response(NoticeSerializer(notice).data)

    @extend_schema(
        tags=["plan"],
        summary="Record that a recipient was told by other means, or why not (Art. 19)",
        description=(
            "For a recipient not e-mailed (no address in the register): `reason` empty when it was told by other "
            "means, otherwise `impossible`, `disproportionate` or `no_longer_recipient` with a `note`. The release "
            "waits until every recipient was notified or has a reason. Only who may approve the plan."
        ),
        request=SettleNoticeSerializer,
        responses=NoticeSerializer,
        parameters=[id_parameter("notice_id")],
    )
    @action(detail=True, methods=["post"], url_path=rf"plan/notices/(?P<notice_id>{ID})/settle", url_name="plan-settle")
    def plan_settle(self, request, reference=None, notice_id=None):
        obj = self.get_object()
        plan = self._plan(obj)
        notice = get_object_or_404(RecipientNotice.objects.select_related("recipient"), pk=notice_id, plan=plan)
        serializer = SettleNoticeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        notice = self._plan_call(
            obj,
            allowed=permissions.can_approve_plan(request.user, obj),
            call=lambda: execution_services.settle_recipient(
                notice, obj, user=request.user, reason=data.get("reason", ""), note=data.get("note", "")
            ),
        )
        return Response(NoticeSerializer(notice).data)

    @extend_schema(
        tags=["plan"],
        summary="Send the subject the list of recipients (Art. 19)",
        description="When the subject asked who received their data; once the plan is executed.",
        request=EmptySerializer,
        responses=PlanSerializer,
    )
    @action(detail=True, methods=["post"], url_path="plan/tell-recipients", url_name="plan-tell-recipients")
    def plan_tell_recipients(self, request, reference=None):
        obj = self.get_object()
        plan = self._plan(obj)
        self._plan_call(
            obj,
            allowed=permissions.can_change_plan(request.user, obj),
            call=lambda: execution_services.tell_subject_recipients(obj, plan, user=request.user),
        )
        return self._plan_response(obj)

    @extend_schema(
        tags=["plan"],
        summary="The scheduled lifting of the restriction (Art. 18(3))",
        description=(
            "A restriction (or a rectification's restriction while the accuracy was checked, Art. 18(1)(a)) whose "
            "lifting was announced to the subject: the date, whether the notice left the outbox, the reason. The "
            "sources lift it only once the notice was sent and the lead time has passed. 404 when none is scheduled."
        ),
        responses=ScheduledLiftSerializer,
    )
    @action(detail=True, methods=["get"], url_path="plan/lift", url_name="plan-lift")
    def plan_lift(self, request, reference=None):
        obj = self.get_object()
        lift = execution_selectors.scheduled_lift(obj)
        if lift is None:
            raise exceptions.NotFound(_("No lifting of a restriction is scheduled for this request."))
        return Response(ScheduledLiftSerializer(lift).data)

    @extend_schema(
        tags=["plan"],
        summary="Cancel a scheduled lifting: the restriction stays (Art. 18(3))",
        description=(
            "Only who may approve the plan; `id` from `scheduled_lift` of the plan (or GET .../plan/lift/). "
            "Recorded in the audit trail. 409 when it is no longer scheduled (it ran, or was cancelled)."
        ),
        request=EmptySerializer,
        responses=ScheduledLiftSerializer,
        parameters=[id_parameter("lift_id")],
    )
    @action(
        detail=True, methods=["post"], url_path=rf"plan/lifts/(?P<lift_id>{ID})/cancel", url_name="plan-lift-cancel"
    )
    def plan_lift_cancel(self, request, reference=None, lift_id=None):
        obj = self.get_object()
        lift = get_object_or_404(RestrictionLift, pk=lift_id, request=obj)
        lift = self._plan_call(
            obj,
            allowed=permissions.can_approve_plan(request.user, obj),
            call=lambda: execution_services.cancel_lift(obj, lift, user=request.user),
        )
        return Response(ScheduledLiftSerializer(lift).data)
