"""The register under /workspace/register/ and the sources under /workspace/sources/ (config/urls.py)."""

from django.urls import path

from requests_app.register import views

register_urlpatterns = [
    path("", views.register, name="register"),
    path("load/", views.load, name="load"),
    path("load/confirm/", views.load_confirm, name="load_confirm"),
]
sources_urlpatterns = [
    path("", views.sources, name="list"),
    path("<slug:code>/", views.source, name="source"),
    path("<slug:code>/test/", views.test_connection, name="test"),
    path("<slug:code>/preview/", views.preview, name="preview"),
]

register = (register_urlpatterns, "register")
sources = (sources_urlpatterns, "sources")
