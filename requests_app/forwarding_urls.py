"""The public acknowledgement link of a forwarded request."""

from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from requests_app import forwarding

app_name = "forwarding"

urlpatterns = [
    path(
        "<str:token>/",
        never_cache(require_http_methods(["GET", "POST"])(forwarding.acknowledge_view)),
        name="acknowledge",
    ),
]
