"""The triage of the privacy mailbox (mounted under /workspace/inbox/)."""

from django.urls import path

from requests_app.inbox import views

app_name = "inbox"
urlpatterns = [
    path("", views.inbox, name="list"),
    path("<str:code>/", views.item_detail, name="item"),
    path("<str:code>/convert/", views.convert, name="convert"),
    path("<str:code>/attach/", views.attach, name="attach"),
    path("<str:code>/dismiss/", views.dismiss, name="dismiss"),
    path("<str:code>/attachments/<int:attachment_id>/", views.download_attachment, name="download_attachment"),
]
