from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DownloadsConfig(AppConfig):
    name = "requests_app.delivery.downloads"
    label = "requests_downloads"
    verbose_name = _("Download links")
