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


@register("dsar", deploy=True)
def check_role_mapping(app_configs=None, **kwargs):
    """Without a mapped group every SSO sign-in is refused: say so before staff find out."""
    if not settings.DSAR_OIDC_ISSUER or any(
        (settings.DSAR_OIDC_ROLE_DPO, settings.DSAR_OIDC_ROLE_AGENT, settings.DSAR_OIDC_ROLE_AUDITOR)
    ):
        return []
    return [
        Warning(
            "Single sign-on is configured but no group of the identity provider is mapped to a role: "
            "every sign-in through it will be refused.",
            hint="Set DSAR_OIDC_ROLE_DPO, DSAR_OIDC_ROLE_AGENT and/or DSAR_OIDC_ROLE_AUDITOR to the provider's groups.",
            id="requests_app.W202",
        )
    ]
