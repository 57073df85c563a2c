from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_role_groups(sender, **kwargs):
    # The role groups and their admin permissions must exist on a production
    # database too, where nobody runs the demo commands. Django creates each
    # app's permissions in that app's own post_migrate, so this runs after
    # every app the roles grant rights on, not only once.
    from requests_app.accounts import roles

    if sender.label in roles.DPO_ADMIN_MODELS:
        roles.ensure_groups()


class TwoFactorConfig(AppConfig):
    name = "requests_app.accounts.two_factor"
    label = "requests_two_factor"
    verbose_name = _("Two-factor sign-in")

    def ready(self):
        post_migrate.connect(_ensure_role_groups, dispatch_uid="requests_app.accounts.roles.ensure_groups")
