"""Deployment checks of single sign-on (``manage.py check --deploy``)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Warning, register


@register("dsar", deploy=True)
def check_provider_tls(app_configs=None, **kwargs):
    """The client secret, the codes and the tokens that open the workspace
    must not cross the network in clear: security of processing, Art. 32(1)."""
    issuer = settings.DSAR_OIDC_ISSUER
    if not issuer or issuer.lower().startswith("https://"):
        return []
    return [
        Warning(
            f"Single sign-on is configured without TLS ({issuer}): the client secret, the sign-in codes and "
            "the tokens cross the network in clear.",
            hint="Set DSAR_OIDC_ISSUER to the provider's https:// address.",
            id="requests_app.W201",
        )
    ]
