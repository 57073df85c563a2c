"""/api/v1/inbox/: the privacy mailbox, triaged as on the page (requests_app.inbox)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from requests_app import workflow
from requests_app.api.base import ApiMixin, Conflict, paginated
from requests_app.api.serializers.inbox import (
    InboxAttachSerializer,
    InboxConvertSerializer,
    InboxDismissSerializer,
    InboxFilterSerializer,
    InboxItemDetailSerializer,
    InboxItemSerializer,
)
from requests_app.api.serializers.requests import RequestListSerializer
from requests_app.inbox import selectors, services
from requests_app.inbox.models import InboxItem
from requests_app.permissions import get_request_for_user, refuse_read_only


@extend_schema(tags=["inbox"])
class InboxViewSet(ApiMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Everyone in the workspace reads the inbox; DPOs and agents triage it."""

    serializer_class = InboxItemSerializer
    lookup_field = "code"
    queryset = InboxItem.objects.select_related("request").order_by("-received_at", "-pk")

    @extend_schema(parameters=[InboxFilterSerializer])
    def list(self, request, *args, **kwargs):
        filters = InboxFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        items = selectors.recent_items(state=filters.validated_data.get("state", ""))
        return paginated(self, items, InboxItemSerializer)

    @extend_schema(responses=InboxItemDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        item = self.get_object()
        match = selectors.matching_request(item)
        item.suggested_request = match.reference if match else None
        return Response(InboxItemDetailSerializer(item).data)

    def _decide(self, action):
        refuse_read_only(self.request.user)
        try:
            return action()
        except workflow.NotPossibleNow as exc:
            raise Conflict(str(exc)) from exc

    @extend_schema(request=InboxConvertSerializer, responses={201: RequestListSerializer})
    @action(detail=True, methods=["post"])
    def convert(self, request, code=None):
        item = self.get_object()
        data = InboxConvertSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        made = self._decide(lambda: services.convert_to_request(item, actor=request.user, **data.validated_data))
        return Response(RequestListSerializer(made, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=InboxAttachSerializer, responses=InboxItemSerializer)
    @action(detail=True, methods=["post"])
    def attach(self, request, code=None):
        item = self.get_object()
        data = InboxAttachSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            target = get_request_for_user(request.user, data.validated_data["reference"].strip().upper())
        except Http404 as exc:
            raise exceptions.ValidationError({"reference": ["No request has this reference."]}) from exc
        self._decide(lambda: services.attach_to_request(item, actor=request.user, request=target))
        item.refresh_from_db()
        return Response(InboxItemSerializer(item).data)

    @extend_schema(request=InboxDismissSerializer, responses=InboxItemSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, code=None):
        item = self.get_object()
        data = InboxDismissSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = self._decide(lambda: services.dismiss(item, actor=request.user, reason=data.validated_data["reason"]))
        return Response(InboxItemSerializer(item).data)
