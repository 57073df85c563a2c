from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsAppConfig(AppConfig):
    name = "requests_app"
    verbose_name = _("Requests")

    def ready(self):
        # Deployment checks (check --deploy), the side effects of workflow
        # events and the request page's panels register themselves on import.
        from requests_app import checks, effects  # noqa: F401
        from requests_app.intake import register_cache
        from requests_app.workspace.panels import load_panels

        load_panels()
        # The intake form's per-process copy of the register follows its edits.
        register_cache.connect()
