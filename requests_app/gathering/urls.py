"""Workspace actions on gathering (mounted under /workspace/processing/)."""

from django.urls import path

from requests_app.gathering import views

app_name = "processing"
urlpatterns = [
    path("<str:reference>/runs/<int:run_id>/retry", views.retry_source, name="retry_source"),
    path("<str:reference>/tasks/<int:task_id>/complete", views.complete_task, name="complete_task"),
    path("<str:reference>/files/<int:file_id>", views.task_file, name="task_file"),
    path("connectors/<slug:code>/test", views.test_connection, name="test_connection"),
]
