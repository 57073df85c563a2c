"""Connectors: the sources the desk searches and changes."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from dsar import gathering
from dsar.models import Connector
from requests_app.api.base import EmptySerializer
from requests_app.api.serializers.connectors import ConnectorSerializer, ConnectorTestSerializer
from requests_app.api.views.register import RegisterViewSet
from requests_app.permissions import ConnectorsScopeForChanges, IsDpo


@extend_schema(tags=["connectors"])
class ConnectorViewSet(RegisterViewSet):
    queryset = (
        Connector.objects.select_related("default_assignee")
        .prefetch_related("categories", "activities")
        .order_by("name", "pk")
    )
    serializer_class = ConnectorSerializer
    permission_classes = [ConnectorsScopeForChanges]

    @extend_schema(summary="Test the connection (DPO)", request=EmptySerializer, responses=ConnectorTestSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsDpo])
    def test(self, request, code=None):
        ok, message = gathering.test_connection(self.get_object())
        return Response({"ok": ok, "message": message})
