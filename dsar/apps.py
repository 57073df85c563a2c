from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DsarConfig(AppConfig):
    name = "dsar"
    verbose_name = _("Data engine")

    def ready(self):
        from dsar import checks  # noqa: F401 (registers the deployment checks)
        from dsar.exports import register

        register.connect()
