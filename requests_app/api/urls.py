"""/api/v1/: the REST API, its OpenAPI schema and documentation pages."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from config.csp import redoc_view, swagger_view
from requests_app.api.base import not_found
from requests_app.api.views.connectors import ConnectorViewSet
from requests_app.api.views.inbox import InboxViewSet
from requests_app.api.views.me import MeView
from requests_app.api.views.register import DataCategoryViewSet, ProcessingActivityViewSet, RecipientViewSet
from requests_app.api.views.requests import RequestViewSet
from requests_app.api.views.webhooks import WebhookDeliveryViewSet, WebhookSubscriptionViewSet

app_name = "api"

router = SimpleRouter()
router.register("requests", RequestViewSet, basename="request")
router.register("register/categories", DataCategoryViewSet, basename="category")
router.register("register/recipients", RecipientViewSet, basename="recipient")
router.register("register/activities", ProcessingActivityViewSet, basename="activity")
router.register("connectors", ConnectorViewSet, basename="connector")
router.register("inbox", InboxViewSet, basename="inbox")
router.register("webhooks", WebhookSubscriptionViewSet, basename="webhook")
router.register("webhook-deliveries", WebhookDeliveryViewSet, basename="webhook-delivery")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("docs/", swagger_view(url_name="api:schema"), name="docs"),
    path("redoc/", redoc_view(url_name="api:schema"), name="redoc"),
    path("me/", MeView.as_view(), name="me"),
    path("", include(router.urls)),
    # Anything else under /api/v1/ is a JSON 404, never an HTML page.
    re_path(r"^[\s\S]*$", not_found, name="not-found"),
]
