from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsAppConfig(AppConfig):
    name = "requests_app"
    verbose_name = _("Requests")

    def ready(self):
        # Deployment checks (check --deploy) and the side effects of workflow
        # events register themselves on import.
        # The staff language is remembered at sign-in (access.remember_staff_language).
        from requests_app import access, checks, effects  # noqa: F401
