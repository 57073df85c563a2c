"""The public acknowledgement link of a forwarded request, at /forwarded/."""

from django.urls import path

from requests_app.forwarding import views

app_name = "forwarding"

urlpatterns = [
    path("<str:token>/", views.acknowledge_view, name="acknowledge"),
]
