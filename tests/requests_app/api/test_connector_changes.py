"""Who may create or change a connector: a DPO, through the API only with a
token made with the ``connectors`` scope, in the admin only with a recent
second factor; and what the connector may say is checked on save."""

from __future__ import annotations

import io
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from config import reauth
from dsar.models import Connector
from requests_app.accounts.two_factor.models import AuthenticatorApp
from requests_app.api.models import SCOPE_CONNECTORS, ApiToken

pytestmark = pytest.mark.django_db

URL = "/api/v1/connectors/"
CONNECTOR = {
    "code": "marketing",
    "name": "Marketing",
    "kind": "http",
    "config": {
        "base_url": "https://api.example.org/",
        "secret_headers": {"Authorization": {"env": "DSAR_SOURCE_MARKETING_TOKEN"}},
        "resources": [{"name": "contacts", "path": "contacts?email={email}"}],
    },
}


def _scoped(dpo) -> str:
    return ApiToken.issue(user=dpo, name="sources script", days=30, scopes=[SCOPE_CONNECTORS])[1]


def test_a_plain_dpo_token_reads_connectors_but_cannot_create_or_change_them(api, dpo):
    assert api(dpo, "get", URL).status_code == 200
    refused = api(dpo, "post", URL, CONNECTOR)
    assert refused.status_code == 403
    assert "connectors" in refused.json()["detail"] and "scope" in refused.json()["detail"]
    assert not Connector.objects.exists()


def test_a_token_with_the_connectors_scope_creates_and_changes_them(api, dpo):
    token = _scoped(dpo)
    created = api(token, "post", URL, CONNECTOR)
    assert created.status_code == 201, created.content
    changed = api(token, "patch", f"{URL}marketing/", {"name": "Marketing platform"})
    assert changed.status_code == 200 and Connector.objects.get().name == "Marketing platform"


def test_even_a_scoped_token_cannot_name_the_desks_secrets_or_a_local_address(api, dpo, settings):
    settings.PRODUCTION = True
    token = _scoped(dpo)
    leak = {**CONNECTOR, "config": {**CONNECTOR["config"], "secret_headers": {"Authorization": {"env": "SECRET_KEY"}}}}
    refused = api(token, "post", URL, leak)
    assert refused.status_code == 400 and "DSAR_SOURCE_" in str(refused.json()["config"])
    inside = {**CONNECTOR, "config": {**CONNECTOR["config"], "base_url": "http://169.254.169.254/latest/"}}
    refused = api(token, "post", URL, inside)
    assert refused.status_code == 400 and "metadata" in str(refused.json()["config"])
    assert not Connector.objects.exists()


def test_an_agents_token_has_no_connectors_scope_to_get(dpo, agent):
    with pytest.raises(CommandError, match="Only a DPO"):
        call_command("create_api_token", agent.username, "--scope", "connectors", stdout=io.StringIO())
    out = io.StringIO()
    call_command("create_api_token", dpo.username, "--scope", "connectors", stdout=out)
    assert ApiToken.objects.get(user=dpo).scopes == [SCOPE_CONNECTORS]


def _with_second_factor(user, settings):
    """Someone who set up an authenticator app (so a recent code is asked),
    on a desk where two factors are not forced at every page."""
    settings.DSAR_REQUIRE_2FA = False
    AuthenticatorApp.objects.create(user=user, name="phone", confirmed=True)


def _second_factor_at(client, moment: float) -> None:
    session = client.session
    session[reauth.SESSION_KEY] = int(moment)
    session.save()


def test_the_workspace_makes_a_scoped_token_only_after_a_recent_second_factor(client, dpo, settings):
    _with_second_factor(dpo, settings)
    client.force_login(dpo)
    url = reverse("api_tokens:list")
    _second_factor_at(client, time.time() - 3600)
    stale = client.post(url, {"name": "sources", "days": "30", "connectors": "on"})
    assert stale.status_code == 400
    assert "Confirm your second factor again" in stale.content.decode()
    assert not ApiToken.objects.exists()

    _second_factor_at(client, time.time())
    made = client.post(url, {"name": "sources", "days": "30", "connectors": "on"})
    assert made.status_code == 200 and ApiToken.objects.get().scopes == [SCOPE_CONNECTORS]


def test_an_agent_is_not_offered_the_connectors_scope(client, agent):
    client.force_login(agent)
    page = client.get(reverse("api_tokens:list")).content.decode()
    assert 'name="connectors"' not in page
    client.post(reverse("api_tokens:list"), {"name": "x", "days": "30", "connectors": "on"})
    assert ApiToken.objects.get().scopes == []


def test_the_admin_asks_for_the_second_factor_again_before_a_connector_change(admin_client, admin_user, settings):
    _with_second_factor(admin_user, settings)
    add = reverse("admin:dsar_connector_add")
    _second_factor_at(admin_client, time.time() - (settings.DSAR_RECENT_2FA_MINUTES * 60 + 1))
    response = admin_client.get(add)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("workspace:two_factor") + "?again=1")
    assert admin_client.post(add, {"code": "x"}).status_code == 302
    assert not Connector.objects.exists()
    _second_factor_at(admin_client, time.time())
    assert admin_client.get(add).status_code == 200


def test_the_admin_refuses_a_connector_that_names_the_desks_secrets(admin_client, settings):
    settings.DSAR_REQUIRE_2FA = False
    response = admin_client.post(
        reverse("admin:dsar_connector_add"),
        {
            "code": "crm",
            "name": "CRM",
            "kind": "sql",
            "config": '{"url": "postgresql://reader@db.example.org/crm", "password_env": "DATABASE_URL",'
            ' "tables": {"customers": {"match": {"email": "email"}}}}',
            "identity_fields": "[]",
            "operations": "[]",
            "timeout_seconds": 60,
            "max_rows": 1000,
        },
    )
    assert response.status_code == 200 and "DSAR_SOURCE_" in response.content.decode()
    assert not Connector.objects.exists()
