"""The identity provider: its discovery document, its answers about a person,
and the mapping of its groups to the desk's roles."""

from __future__ import annotations

import logging
from typing import Any

import requests
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from mozilla_django_oidc.utils import import_from_settings
from requests.auth import HTTPBasicAuth

from requests_app.accounts import roles

log = logging.getLogger(__name__)

DISCOVERY_CACHE_SECONDS = 3600
# mozilla-django-oidc's endpoint settings, read from the discovery document
# (OpenID Connect Discovery 1.0, §3) instead of five more variables to set.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


class ProviderUnavailable(Exception):
    """The identity provider did not answer, or answered something unusable."""


def enabled() -> bool:
    return bool(settings.DSAR_OIDC_ISSUER)


def provider_name() -> str:
    return settings.DSAR_OIDC_PROVIDER_NAME


def discovery() -> dict[str, Any]:
    issuer = settings.DSAR_OIDC_ISSUER
    if not issuer:
        raise ImproperlyConfigured("Single sign-on is not configured (DSAR_OIDC_ISSUER is empty).")
    key = f"sso:discovery:{issuer}"
    document = cache.get(key)
    if document is None:
        try:
            response = requests.get(issuer + "/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise ProviderUnavailable(f"The discovery document of {issuer} could not be read: {exc}") from exc
        # Discovery §4.3: the issuer in the document must be the one asked, or
        # another server could name endpoints for the desk to trust.
        if document.get("issuer", "").rstrip("/") != issuer or not all(
            document.get(name) for name in ENDPOINTS.values()
        ):
            raise ProviderUnavailable(f"The discovery document of {issuer} names another issuer or lacks endpoints.")
        cache.set(key, document, DISCOVERY_CACHE_SECONDS)
    return document


def uses_basic_auth() -> bool:
    """The client authenticates at the token endpoint with HTTP Basic unless
    the provider supports only posting the secret in the body: Basic is the
    method every provider must support (RFC 6749 §2.3.1), and the default of
    ``token_endpoint_auth_methods_supported`` (Discovery §3)."""
    methods = discovery().get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    return "client_secret_basic" in methods or "client_secret_post" not in methods


def get_setting(attr: str, *default: Any) -> Any:
    """mozilla-django-oidc's ``get_settings``, with the endpoints discovered."""
    if attr in ENDPOINTS:
        return discovery()[ENDPOINTS[attr]]
    if attr == "OIDC_TOKEN_USE_BASIC_AUTH":
        return uses_basic_auth()
    return import_from_settings(attr, *default)


def role_mapping() -> dict[str, list[str]]:
    return {
        roles.DPO: settings.DSAR_OIDC_ROLE_DPO,
        roles.AGENT: settings.DSAR_OIDC_ROLE_AGENT,
        roles.AUDITOR: settings.DSAR_OIDC_ROLE_AUDITOR,
    }


def roles_from_claims(claims: dict[str, Any]) -> set[str]:
    """The desk's roles for a person, from the groups claim; none if the claim
    is missing or holds no mapped group (fail closed)."""
    groups = claims.get(settings.DSAR_OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    if not isinstance(groups, list):
        return set()
    names = {str(group) for group in groups}
    return {role for role, mapped in role_mapping().items() if names.intersection(mapped)}


def fetch_userinfo(access_token: str) -> dict[str, Any] | None:
    """The person's claims now; None when the provider no longer accepts the
    token (expired or revoked: HTTP 401). Raises ProviderUnavailable otherwise."""
    try:
        response = requests.get(
            discovery()["userinfo_endpoint"],
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=settings.OIDC_TIMEOUT,
        )
    except requests.RequestException as exc:
        raise ProviderUnavailable(f"The userinfo endpoint did not answer: {type(exc).__name__}") from exc
    if response.status_code in (400, 401, 403):
        return None
    if response.status_code != 200:
        raise ProviderUnavailable(f"The userinfo endpoint answered HTTP {response.status_code}.")
    try:
        claims = response.json()
    except ValueError as exc:
        raise ProviderUnavailable("The userinfo endpoint's answer is not JSON.") from exc
    return claims if isinstance(claims, dict) else None


def refresh(refresh_token: str) -> dict[str, Any] | None:
    """New tokens for a refresh token; None when the provider refuses it."""
    data = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": settings.OIDC_RP_CLIENT_ID}
    auth = None
    if uses_basic_auth():
        auth = HTTPBasicAuth(settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET)
    else:
        data["client_secret"] = settings.OIDC_RP_CLIENT_SECRET
    try:
        response = requests.post(discovery()["token_endpoint"], data=data, auth=auth, timeout=settings.OIDC_TIMEOUT)
    except requests.RequestException as exc:
        raise ProviderUnavailable(f"The token endpoint did not answer: {type(exc).__name__}") from exc
    if response.status_code != 200:
        return None
    try:
        tokens = response.json()
    except ValueError:
        return None
    return tokens if isinstance(tokens, dict) and tokens.get("access_token") else None
