"""/api/v1/: the REST API, its OpenAPI schema and documentation pages."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from config.csp import redoc_view, swagger_view
from requests_app.api import views

app_name = "api"

router = SimpleRouter()
router.register("requests", views.RequestViewSet, basename="request")
router.register("register/categories", views.DataCategoryViewSet, basename="category")
router.register("register/recipients", views.RecipientViewSet, basename="recipient")
router.register("register/activities", views.ProcessingActivityViewSet, basename="activity")
router.register("connectors", views.ConnectorViewSet, basename="connector")
router.register("webhooks", views.WebhookSubscriptionViewSet, basename="webhook")
router.register("webhook-deliveries", views.WebhookDeliveryViewSet, basename="webhook-delivery")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("docs/", swagger_view(url_name="api:schema"), name="docs"),
    path("redoc/", redoc_view(url_name="api:schema"), name="redoc"),
    path("me/", views.MeView.as_view(), name="me"),
    path("", include(router.urls)),
    # Anything else under /api/v1/ is a JSON 404, never an HTML page.
    re_path(r"^[\s\S]*$", views.not_found, name="not-found"),
]
