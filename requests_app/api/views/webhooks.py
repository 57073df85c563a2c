"""Webhook subscriptions and deliveries (DPO)."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from requests_app.api import webhooks
from requests_app.api.base import ApiMixin, EmptySerializer, paginated
from requests_app.api.models import WebhookDelivery, WebhookSubscription, new_webhook_secret
from requests_app.api.serializers.webhooks import (
    DeliveryFilterSerializer,
    WebhookDeliverySerializer,
    WebhookSecretSerializer,
    WebhookSubscriptionCreatedSerializer,
    WebhookSubscriptionSerializer,
)
from requests_app.permissions import IsDpo


@extend_schema(tags=["webhooks"])
class WebhookSubscriptionViewSet(ApiMixin, viewsets.ModelViewSet):
    permission_classes = [IsDpo]
    queryset = WebhookSubscription.objects.order_by("pk")
    serializer_class = WebhookSubscriptionSerializer

    @extend_schema(summary="Subscribe", responses={201: WebhookSubscriptionCreatedSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        subscription = serializer.save(created_by=request.user)
        return Response(WebhookSubscriptionCreatedSerializer(subscription).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Replace the signing secret", request=EmptySerializer, responses=WebhookSecretSerializer)
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        subscription = self.get_object()
        subscription.secret = new_webhook_secret()
        subscription.save(update_fields=["secret"])
        return Response({"secret": subscription.secret})

    @extend_schema(summary="Deliveries of this subscription", responses=WebhookDeliverySerializer(many=True))
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        subscription = self.get_object()
        return paginated(self, subscription.deliveries.order_by("-created_at", "pk"), WebhookDeliverySerializer)


@extend_schema(tags=["webhooks"])
class WebhookDeliveryViewSet(ApiMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Every attempt to deliver an event, for the DPO to check."""

    permission_classes = [IsDpo]
    serializer_class = WebhookDeliverySerializer
    queryset = WebhookDelivery.objects.order_by("-created_at", "pk")

    @extend_schema(parameters=[DeliveryFilterSerializer])
    def list(self, request, *args, **kwargs):
        filters = DeliveryFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        queryset = self.get_queryset()
        if "subscription" in filters.validated_data:
            queryset = queryset.filter(subscription_id=filters.validated_data["subscription"])
        if "status" in filters.validated_data:
            queryset = queryset.filter(status=filters.validated_data["status"])
        return paginated(self, queryset, WebhookDeliverySerializer)

    @extend_schema(summary="Send this event again", request=EmptySerializer, responses={201: WebhookDeliverySerializer})
    @action(detail=True, methods=["post"])
    def redeliver(self, request, pk=None):
        with transaction.atomic():
            copy = webhooks.redeliver(self.get_object())
        return Response(WebhookDeliverySerializer(copy).data, status=status.HTTP_201_CREATED)
