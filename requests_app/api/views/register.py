"""The processing register (Art. 30): data categories, recipients, activities."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from dsar.models import DataCategory, ProcessingActivity, Recipient
from requests_app.api.base import ApiMixin
from requests_app.api.serializers.register import (
    DataCategorySerializer,
    ProcessingActivitySerializer,
    RecipientSerializer,
)
from requests_app.permissions import StaffReadDpoWrite


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
    serializer_class = DataCategorySerializer


@extend_schema(tags=["register"])
class RecipientViewSet(RegisterViewSet):
    queryset = Recipient.objects.prefetch_related("categories").order_by("name", "pk")
    serializer_class = RecipientSerializer


@extend_schema(tags=["register"])
class ProcessingActivityViewSet(RegisterViewSet):
    queryset = ProcessingActivity.objects.prefetch_related("categories", "recipients").order_by("code")
    serializer_class = ProcessingActivitySerializer
