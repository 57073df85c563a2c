"""The DPO workspace, at /workspace/."""

from django.urls import include, path

from requests_app.accounts.urls import sign_in_urlpatterns
from requests_app.progress import views as progress_views
from requests_app.workspace import bulk, dashboard, queue, views

app_name = "workspace"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("queue.csv", queue.queue_csv, name="queue_csv"),
    path("bulk/", bulk.bulk_action, name="bulk"),
    path("views/", queue.save_view, name="save_view"),
    path("views/<int:view_id>/delete/", queue.delete_view, name="delete_view"),
    # Sign-in, sign-out and the second factor (requests_app.accounts), named in this namespace.
    path("", include(sign_in_urlpatterns)),
    path("log/", views.log_request, name="log_request"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard.csv", dashboard.dashboard_csv, name="dashboard_csv"),
    path("progress/", progress_views.queue_progress, name="queue_progress"),
    path("requests/<str:reference>/", views.request_detail, name="request"),
    path("requests/<str:reference>/reveal/", views.reveal_national_number, name="reveal_national_number"),
    path(
        "requests/<str:reference>/attachments/<int:attachment_id>/",
        views.download_attachment,
        name="download_attachment",
    ),
    path(
        "requests/<str:reference>/attachments/<int:attachment_id>/delete/",
        views.delete_attachment,
        name="delete_attachment",
    ),
    # Before the actions' pattern, which would take "retention-hold" for an action.
    path("requests/<str:reference>/progress/", progress_views.request_progress, name="progress"),
    path("requests/<str:reference>/retention-hold/", views.place_retention_hold, name="place_hold"),
    path("requests/<str:reference>/retention-hold/lift/", views.lift_retention_hold, name="lift_hold"),
    path("requests/<str:reference>/<slug:action>/", views.request_action, name="action"),
]
