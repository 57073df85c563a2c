"""POST /api/v1/requests/{reference}/identity-check/ and .../fee/: the same
workflow actions as the workspace's page (``workflow.record_identity_check``,
``workflow.announce_fee``), with the same rules and the same audit events."""

from __future__ import annotations

from collections.abc import Callable

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from requests_app import workflow
from requests_app.api.serializers.checks import FeeSerializer, IdentityCheckSerializer
from requests_app.api.serializers.requests import RequestDetailSerializer


class CheckActionsMixin:
    """Identity checks and fees, for the request view set (``_action_response``)."""

    # Provided by RequestViewSet: validates, runs the action, answers the request's detail.
    _action_response: Callable[..., Response]

    @extend_schema(
        tags=["requests"],
        summary="Record how the identity was checked (Art. 12(6))",
        description=(
            "Staff say how they confirmed who the subject is (a code; what was seen goes in `note`, an internal "
            "note, required with `other`). Checks must be proportionate (EDPB Guidelines 01/2022): no identity "
            "document by default. Where the desk is set to, the files the subject sent are deleted once the "
            "check is recorded, each deletion in the audit trail. 409 when the request is no longer open."
        ),
        request=IdentityCheckSerializer,
        responses=RequestDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="identity-check", url_name="identity-check")
    def identity_check(self, request, reference=None):
        return self._action_response(
            "record_identity_check",
            IdentityCheckSerializer,
            lambda obj, d: workflow.record_identity_check(obj, actor=request.user, method=d["method"], note=d["note"]),
        )

    @extend_schema(
        tags=["requests"],
        summary="Announce a fee (Art. 12(5))",
        description=(
            "For a manifestly unfounded or excessive request, the subject is told first the amount and the "
            "reasons (EDPB Guidelines 01/2022): nothing is charged yet; they may maintain, narrow or withdraw "
            "the request. The request waits for their answer (`awaiting_subject`); the legal deadline does not "
            "move. 409 when the request is not new or awaiting the subject."
        ),
        request=FeeSerializer,
        responses=RequestDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="fee", url_name="fee")
    def fee(self, request, reference=None):
        return self._action_response(
            "announce_fee",
            FeeSerializer,
            lambda obj, d: workflow.announce_fee(
                obj, actor=request.user, amount=str(d["amount"]), reasons=d["reasons"], reason=d["reason"]
            ),
        )
