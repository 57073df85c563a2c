"""The audit pages, mounted under /workspace/audit/."""

from django.urls import path

from requests_app.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_log, name="log"),
    path("log.csv", views.audit_log_csv, name="log_csv"),
    path("verify/", views.verify_chain, name="verify"),
    path("requests/<str:reference>/evidence.pdf", views.evidence_pack, name="evidence_pack"),
]
