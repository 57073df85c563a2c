"""URLs of the delivery: the staff's review under /workspace/exports/, the
subject's download page under /download/ (see config/urls.py)."""

from django.urls import path

from requests_app.delivery import views

workspace_urlpatterns = [
    path("<str:reference>/records/", views.records, name="records"),
    path("<str:reference>/records/reveal/", views.records_reveal, name="records_reveal"),
    path("<str:reference>/exclude/", views.exclude, name="exclude"),
    path("<str:reference>/regenerate/", views.regenerate, name="regenerate"),
    path("<str:reference>/release/", views.release, name="release"),
    path("<str:reference>/transmission/", views.transmission, name="transmission"),
    path("<str:reference>/preview/json/tree/", views.preview_json, name="preview_json"),
    path("<str:reference>/preview/<str:fmt>/", views.preview, name="preview"),
]
download_urlpatterns = [
    path("<str:token>/", views.download_page, name="page"),
    path("<str:token>/file/<str:fmt>/", views.download_file, name="file"),
]

workspace = (workspace_urlpatterns, "exports")
download = (download_urlpatterns, "download")
