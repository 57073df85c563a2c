"""POST /api/v1/requests/{reference}/mandate-check/: the DPO's check of a
representative's mandate, as on the request page (``representation.services``)."""

from __future__ import annotations

from collections.abc import Callable

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from requests_app import workflow
from requests_app.api.base import BadRequest, Conflict
from requests_app.api.serializers.representation import MandateCheckSerializer
from requests_app.api.serializers.requests import RequestDetailSerializer
from requests_app.models import OPEN_STATUSES, Status
from requests_app.representation import services


class RepresentationActionsMixin:
    # Provided by RequestViewSet.
    get_object: Callable
    _detail: Callable[..., dict]

    @extend_schema(
        tags=["requests"],
        summary="Record the check of a representative's mandate",
        description=(
            "For a request made by a representative (`representative` in the request): `accepted`, or `refused` "
            "with `reason`, which asks the representative by e-mail for a better mandate; the request itself is "
            "not refused. Proportionate, like the identity check (Art. 12(6), EDPB Guidelines 01/2022). The DPO "
            "or the request's agent. 400 when the request has no representative; 409 when it is no longer open."
        ),
        request=MandateCheckSerializer,
        responses=RequestDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="mandate-check", url_name="mandate-check")
    def mandate_check(self, request, reference=None):
        obj = self.get_object()
        serializer = MandateCheckSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            services.record_mandate_check(
                obj, actor=request.user, accepted=data["decision"] == "accepted", reason=data["reason"]
            )
        except workflow.ActionForbidden:
            raise
        except workflow.WorkflowError as exc:
            obj.refresh_from_db(fields=["status"])
            if obj.status not in (Status.UNVERIFIED, *OPEN_STATUSES):
                raise Conflict(str(exc)) from exc
            raise BadRequest(str(exc)) from exc
        return Response(self._detail(self.get_object()))
