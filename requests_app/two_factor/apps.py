from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwoFactorConfig(AppConfig):
    name = "requests_app.two_factor"
    label = "requests_two_factor"
    verbose_name = _("Two-factor sign-in")
