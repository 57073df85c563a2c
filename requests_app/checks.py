"""System checks of the deployment, run by ``manage.py check --deploy``
(database checks only there: see dsar.checks)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning, register

from dsar.checks import concerns, migrated
from requests_app.accounts.sso import checks as sso_checks  # noqa: F401 - registers the single sign-on checks
from requests_app.inbox import checks as inbox_checks  # noqa: F401 - registers the mailbox checks
from requests_app.models import ControllerProfile


@register("dsar", deploy=True)
def check_controller_profile(app_configs=None, **kwargs):
    """Without a profile, ``ControllerProfile.current()`` stands in a placeholder:
    acknowledgements and refusals would name no controller, no DPO and an
    authority without its address (Art. 13(1)(a)-(b), 12(4))."""
    if not settings.PRODUCTION or not concerns(app_configs, "requests_app") or not migrated(ControllerProfile):
        return []
    profile = ControllerProfile.objects.order_by("pk").first()
    if profile is None:
        return [
            Error(
                "No controller profile is configured: e-mails and pages would name no controller and no DPO.",
                hint="Enter it in the admin (/admin/, Requests > Controller profiles > Add).",
                id="requests_app.E001",
            )
        ]
    authority_contact = (
        profile.authority_address,
        profile.authority_phone,
        profile.authority_email,
        profile.authority_website,
    )
    if not any(authority_contact):
        return [
            Warning(
                "The controller profile gives no contact for the supervisory authority: "
                "refusals must tell the subject where to complain (Art. 12(4)).",
                hint="Fill in the authority's address, e-mail or website in the admin (Controller profiles).",
                id="requests_app.W001",
            )
        ]
    return []
