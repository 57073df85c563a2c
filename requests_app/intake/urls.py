"""The public pages of the data subject (issue: subject side)."""

from django.urls import path

from requests_app.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.request_form, name="form"),
    path("submitted/", views.submitted, name="submitted"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("status/<str:token>/", views.status, name="status"),
    path("status/<str:token>/reply/", views.reply, name="reply"),
    path("status/<str:token>/cancel/", views.cancel, name="cancel"),
    path("link/", views.new_link, name="new_link"),
    path("link/sent/", views.new_link_sent, name="new_link_sent"),
]
