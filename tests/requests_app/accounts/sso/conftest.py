"""A real OpenID Connect provider for the SSO tests: oidc-provider-mock
(authlib's authorization server in Flask) served on a thread, with the desk's
settings pointed at it. The desk talks to it over HTTP exactly as to a
production provider: discovery, authorization, token, JWKS and userinfo."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from oidc_provider_mock import run_server_in_thread

from requests_app.accounts.sso.models import SsoEvent


class Provider:
    def __init__(self, base_url: str):
        self.base_url = base_url

    def set_person(self, sub: str, *, groups: list[str], email: str = "", name: str = "") -> None:
        claims: dict[str, object] = {
            "groups": groups,
            "email": email or f"{sub}@example.org",
            "preferred_username": sub,
        }
        if name:
            given, family = name.split(" ", 1)
            claims.update({"given_name": given, "family_name": family})
        response = requests.put(f"{self.base_url}/users/{sub}", json=claims, timeout=5)
        response.raise_for_status()

    def revoke_tokens(self, sub: str) -> None:
        requests.post(f"{self.base_url}/users/{sub}/revoke-tokens", timeout=5).raise_for_status()

    def sign_in(self, client, sub: str, *, next_url: str = "", start_query: str = ""):
        """The browser's round trip: the desk's start page, the provider's
        authorization form (the person "authenticates" as ``sub``), and the
        desk's callback with the code. Returns the callback's response and the
        authorization request's parameters."""
        start = "/workspace/sso/start/" + (f"?next={next_url}" if next_url else start_query)
        to_provider = client.get(start)
        assert to_provider.status_code == 302, to_provider
        authorize_url = to_provider.url
        assert authorize_url.startswith(self.base_url + "/oauth2/authorize?")
        params = {key: values[0] for key, values in parse_qs(urlsplit(authorize_url).query).items()}
        answer = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=5)
        assert answer.status_code == 302, answer.text
        back = urlsplit(answer.headers["Location"])
        assert back.path == "/workspace/sso/callback/"
        return client.get(f"{back.path}?{back.query}"), params


@pytest.fixture(scope="session")
def _oidc_server() -> Iterator[str]:
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def oidc(_oidc_server, settings) -> Provider:
    settings.DSAR_OIDC_ISSUER = _oidc_server
    settings.DSAR_OIDC_PROVIDER_NAME = "Example ID"
    settings.OIDC_RP_CLIENT_ID = "dsar-desk"
    settings.OIDC_RP_CLIENT_SECRET = "test-client-secret"
    settings.DSAR_OIDC_ROLE_DPO = ["privacy-dpo"]
    settings.DSAR_OIDC_ROLE_AGENT = ["privacy-agents", "helpdesk-privacy"]
    settings.DSAR_OIDC_ROLE_AUDITOR = ["internal-audit"]
    settings.DSAR_OIDC_RECHECK_SECONDS = 0
    # The test provider signs its ID tokens without a "kid" header (one key).
    settings.OIDC_VERIFY_KID = False
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "requests_app.accounts.sso.backend.SsoBackend",
    ]
    return Provider(_oidc_server)


@pytest.fixture
def sso_events():
    def kinds(username: str) -> list[str]:
        return list(SsoEvent.objects.filter(username=username).order_by("at", "pk").values_list("kind", flat=True))

    return kinds
