"""The representative's section of the request page, at /workspace/representation/."""

from django.urls import path

from requests_app.representation import views

app_name = "representation"

urlpatterns = [
    path("<str:reference>/mandate-check/", views.check_mandate, name="check"),
    path("<str:reference>/mandate/", views.download_mandate, name="download"),
]
