"""The requests: the public intake, the queue, a request's detail and events, the
workflow's actions, retention holds and internal notes. The actions on a
request's panels come from the mixins of the other modules of this package."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from config import after_response
from dsar.models import Job, SourceRun
from requests_app import permissions, workflow
from requests_app.api.base import (
    ERROR_DESCRIPTIONS,
    ApiMixin,
    BadRequest,
    Conflict,
    EmptySerializer,
    ErrorSerializer,
    PublicSubmitThrottle,
    paginated,
)
from requests_app.api.serializers.intake import (
    ChangeTypeSerializer,
    PublicRequestCreatedSerializer,
    PublicRequestReceivedSerializer,
    PublicRequestSerializer,
    StaffRequestSerializer,
)
from requests_app.api.serializers.requests import (
    AssignSerializer,
    CloseSerializer,
    EventSerializer,
    ExtendSerializer,
    ForwardSerializer,
    LiftHoldSerializer,
    NoteSerializer,
    PlaceHoldSerializer,
    RejectSerializer,
    ReleaseSerializer,
    RequestDetailSerializer,
    RequestFilterSerializer,
    RequestInfoSerializer,
    RequestListSerializer,
    TransmissionDecisionSerializer,
)
from requests_app.api.views.attachments import AttachmentActionsMixin
from requests_app.api.views.checks import CheckActionsMixin
from requests_app.api.views.evidence import EvidenceActionsMixin
from requests_app.api.views.exports import ExportActionsMixin
from requests_app.api.views.manual_tasks import ManualTaskActionsMixin
from requests_app.api.views.plan import PlanActionsMixin
from requests_app.api.views.representation import RepresentationActionsMixin
from requests_app.api.views.sources import SourcesActionsMixin
from requests_app.delivery import selectors as delivery_selectors
from requests_app.delivery import services as delivery_services
from requests_app.models import SubjectRequest
from requests_app.workspace.selectors import QueueFilterSet

REFERENCE_PATTERN = r"DSAR-[0-9]{4}-[0-9]{5,}"


@extend_schema(tags=["requests"])
class RequestViewSet(
    PlanActionsMixin,
    SourcesActionsMixin,
    ExportActionsMixin,
    EvidenceActionsMixin,
    ManualTaskActionsMixin,
    AttachmentActionsMixin,
    CheckActionsMixin,
    RepresentationActionsMixin,
    ApiMixin,
    viewsets.GenericViewSet,
):
    """Data-subject requests: the public intake, and the staff's queue and actions."""

    lookup_field = "reference"
    lookup_value_regex = REFERENCE_PATTERN
    serializer_class = RequestDetailSerializer
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
        return permissions.get_request_for_user(self.request.user, self.kwargs["reference"])

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
            serializers=[PublicRequestSerializer, StaffRequestSerializer],
            resource_type_field_name=None,
        ),
        responses={
            201: PolymorphicProxySerializer(
                component_name="RequestSubmitted",
                serializers=[PublicRequestCreatedSerializer, RequestDetailSerializer],
                resource_type_field_name=None,
            ),
            202: OpenApiResponse(
                PublicRequestReceivedSerializer, description="Received (a submission the intake drops is told no more)."
            ),
            401: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS["401"] + " (with a token only)"),
            403: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS["403"] + " (with a token only)"),
        },
        # No authentication required: without a token it is the public intake; a
        # staff token (logged by staff) is optional. Declared as optional
        # security ([{bearerAuth}, {}]), generators (openapi-python-client)
        # would demand a token from the public.
        auth=[],
    )
    def create(self, request):
        from requests_app.api.intake import staff_create

        if request.user is not None and request.user.is_authenticated:
            subject_request = staff_create(request)
            return Response(self._detail(subject_request), status=status.HTTP_201_CREATED)
        return self._public_submission(request)

    @after_response.answer_first  # the reference first, then the e-mail handed to the broker and the effects
    def _public_submission(self, request):
        from requests_app.api.intake import submit

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
        parameters=[RequestFilterSerializer],
        responses=RequestListSerializer(many=True),
    )
    def list(self, request):
        # The workspace queue's own filters: the same filter gives the same requests here and on the page.
        filters = QueueFilterSet(
            request.query_params,
            SubjectRequest.objects.select_related("assignee").order_by("due_date", "pk"),
            request=request,
        )
        if not filters.is_valid():
            raise exceptions.ValidationError(filters.errors)
        return paginated(self, filters.qs, RequestListSerializer)

    @extend_schema(summary="Read a request", responses=RequestDetailSerializer)
    def retrieve(self, request, reference=None):
        return Response(self._detail(self.get_object()))

    def _detail(self, obj) -> dict:
        jobs = Job.objects.filter(external_ref=obj.reference).prefetch_related(
            Prefetch("runs", queryset=SourceRun.objects.select_related("connector"))
        )
        return RequestDetailSerializer(obj, context={"request": self.request, "jobs": jobs}).data

    @extend_schema(summary="A request's audit trail", responses=EventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def events(self, request, reference=None):
        obj = self.get_object()
        return paginated(self, obj.events.order_by("seq"), EventSerializer)

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
        summary="Assign (or claim, or unassign)", request=AssignSerializer, responses=RequestDetailSerializer
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, reference=None):
        return self._action_response(
            "assign",
            AssignSerializer,
            lambda obj, d: workflow.assign(obj, actor=request.user, assignee=d["assignee"]),
        )

    @extend_schema(
        summary="Ask the subject for information", request=RequestInfoSerializer, responses=RequestDetailSerializer
    )
    @action(detail=True, methods=["post"], url_path="request-info")
    def request_info(self, request, reference=None):
        return self._action_response(
            "request_info",
            RequestInfoSerializer,
            lambda obj, d: workflow.request_info(
                obj, actor=request.user, body=d["body"], subject_line=d.get("subject_line", "")
            ),
        )

    @extend_schema(summary="Approve", request=EmptySerializer, responses=RequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, reference=None):
        return self._action_response(
            "approve", EmptySerializer, lambda obj, d: workflow.approve(obj, actor=request.user)
        )

    @extend_schema(summary="Reject (Art. 12(4))", request=RejectSerializer, responses=RequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, reference=None):
        return self._action_response(
            "reject",
            RejectSerializer,
            lambda obj, d: workflow.reject(obj, actor=request.user, reason=d["reason"], details=d.get("details", "")),
        )

    @extend_schema(
        summary="Extend the deadline (Art. 12(3))", request=ExtendSerializer, responses=RequestDetailSerializer
    )
    @action(detail=True, methods=["post"])
    def extend(self, request, reference=None):
        return self._action_response(
            "extend",
            ExtendSerializer,
            lambda obj, d: workflow.extend(obj, actor=request.user, months=d["months"], reason=d["reason"]),
        )

    @extend_schema(summary="Close", request=CloseSerializer, responses=RequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, reference=None):
        return self._action_response(
            "close",
            CloseSerializer,
            lambda obj, d: workflow.close(obj, actor=request.user, reason=d.get("reason", "")),
        )

    @extend_schema(
        summary="Forward to the controller the request belongs to",
        description=(
            "For data processed on behalf of a customer (Art. 28), such as a care provider's patient data: the "
            "controller is e-mailed the request with a link to acknowledge it, the subject is told who will "
            "answer. The request stays `forwarded`, with the provider's due date of the Patient Rights Act "
            "(15 days from receipt, `forwardings[].due_date`), until the controller acknowledges it; then it closes."
        ),
        request=ForwardSerializer,
        responses=RequestDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def forward(self, request, reference=None):
        from requests_app.forwarding.services import forward_request

        return self._action_response(
            "forward",
            ForwardSerializer,
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
            "request's other organisation awaits the `transmission` decision, and while a source could not be "
            "searched unless `incomplete_reason` says why the answer goes out now (the subject is told which "
            "systems could not be searched). When the controller requires a second DPO's approval of each "
            "release of a copy (four eyes), answers 409 until another DPO approves it: ask with "
            "`release/request`, approve with `release/approve`."
        ),
        request=ReleaseSerializer,
        responses=RequestDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def release(self, request, reference=None):

        # As the page does: refused while the files are being (re)generated.
        return self._action_response(
            "fulfil",
            ReleaseSerializer,
            lambda obj, d: delivery_services.release(
                obj, actor=request.user, incomplete_reason=d.get("incomplete_reason", "")
            ),
        )

    @extend_schema(
        summary="Decide on sending the copy to the other organisation (DPO, Art. 20(2))",
        description=(
            "For a portability request that names another organisation (`transmission` in the request). "
            "`send`: on release that organisation is e-mailed a download link of its own at `email`. "
            "`not_feasible`: the subject's e-mail gives the `reason`. Required before `release`; "
            "may be changed until then."
        ),
        request=TransmissionDecisionSerializer,
        responses=RequestDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def transmission(self, request, reference=None):

        obj = self.get_object()
        serializer = TransmissionDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            delivery_services.decide_transmission(
                obj, actor=request.user, decision=data["decision"], email=data["email"], reason=data["reason"]
            )
        except workflow.ActionForbidden:
            raise
        except workflow.WorkflowError as exc:
            obj.refresh_from_db(fields=["status"])
            if obj.status not in delivery_selectors.TRANSMISSION_STATUSES:
                raise Conflict(str(exc)) from exc
            raise BadRequest(str(exc)) from exc
        return Response(self._detail(self.get_object()))

    @extend_schema(
        summary="Change the type",
        description=(
            "The new type with what the subject asks under it, in the web form's type-specific fields (validated "
            "as there): they replace the old type's. `reason` is kept as an internal note."
        ),
        request=ChangeTypeSerializer,
        responses=RequestDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="change-type")
    def change_type(self, request, reference=None):
        from requests_app.api.intake import change_type_form

        obj = self.get_object()
        form = change_type_form(request, obj)
        return self._action_response(
            "change_type",
            EmptySerializer,
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
        request=PlaceHoldSerializer,
        responses=RequestDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="retention-hold", url_name="retention-hold")
    def place_hold(self, request, reference=None):
        return self._hold_response(
            PlaceHoldSerializer,
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
        request=LiftHoldSerializer,
        responses=RequestDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="retention-hold/lift", url_name="retention-hold-lift")
    def lift_hold(self, request, reference=None):
        return self._hold_response(
            LiftHoldSerializer,
            lambda obj, d: workflow.lift_retention_hold(obj, actor=request.user, explanation=d["explanation"]),
        )

    @extend_schema(methods=["GET"], summary="Internal notes", request=None, responses=NoteSerializer(many=True))
    @extend_schema(
        methods=["POST"], summary="Add an internal note", request=NoteSerializer, responses={201: NoteSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def notes(self, request, reference=None):
        if request.method == "GET":
            obj = self.get_object()
            return paginated(self, obj.notes.select_related("author").order_by("created_at", "pk"), NoteSerializer)
        _obj, note = self._act(
            "add_note", NoteSerializer, lambda obj, d: workflow.add_note(obj, actor=request.user, body=d["body"])
        )
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)
