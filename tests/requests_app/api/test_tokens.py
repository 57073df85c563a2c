"""API tokens: shown once, stored hashed, expiring, revocable."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from requests_app.api.models import ApiToken

ME = "/api/v1/me/"


def test_it_stores_only_the_hash_of_a_token(dpo):
    token, clear = ApiToken.issue(user=dpo, name="help desk", days=30)
    stored = ApiToken.objects.values().get(pk=token.pk)
    assert clear.startswith("dsar_")
    assert stored["token_hash"] == hashlib.sha256(clear.encode()).hexdigest()
    assert not any(clear in str(value) for value in stored.values())
    assert clear.startswith("dsar_" + stored["prefix"])


def test_it_answers_who_the_token_belongs_to(api, agent):
    response = api(agent, "get", ME)
    assert response.status_code == 200
    assert response.json()["username"] == "agent"
    assert response.json()["role"] == "Privacy agent"


def test_it_asks_anonymous_callers_for_a_bearer_token(api, db):
    response = api(None, "get", ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_it_refuses_an_expired_token_with_a_clear_message(api, expired_token):
    response = api(expired_token, "get", ME)
    assert response.status_code == 401
    assert response.json() == {"detail": "This token has expired."}


def test_it_refuses_a_revoked_token(api, revoked_token):
    response = api(revoked_token, "get", ME)
    assert response.status_code == 401
    assert response.json() == {"detail": "This token was revoked."}


def test_it_refuses_an_unknown_token(api, db):
    assert api("dsar_made-up", "get", ME).status_code == 401


def test_it_refuses_the_token_of_a_disabled_account(api, agent, make_token):
    clear = make_token(agent)
    agent.is_active = False
    agent.save()
    assert api(clear, "get", ME).status_code == 401


def test_it_refuses_a_user_without_a_role(api, outsider):
    response = api(outsider, "get", ME)
    assert response.status_code == 403
    assert "no role" in response.json()["detail"]


def test_it_records_when_a_token_was_last_used(api, agent, make_token):
    clear = make_token(agent)
    api(clear, "get", ME)
    assert ApiToken.objects.get(user=agent).last_used_at is not None


def test_the_command_prints_the_token_alone_on_its_last_line(dpo, api):
    out = io.StringIO()
    call_command("create_api_token", "dpo", "--name", "ci", "--days", "7", stdout=out)
    last_line = out.getvalue().strip().splitlines()[-1]
    assert last_line.startswith("dsar_") and " " not in last_line
    token = ApiToken.objects.get(user=dpo)
    assert token.name == "ci"
    assert (token.expires_at - token.created_at).days == 7
    assert api(last_line, "get", ME).json()["username"] == "dpo"


def test_the_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user"):
        call_command("create_api_token", "nobody", stdout=io.StringIO())


# -- the workspace pages ---------------------------------------------------------
def test_a_staff_member_makes_a_token_and_sees_it_once(client, agent):
    client.force_login(agent)
    response = client.post(reverse("api_tokens:list"), {"name": "help desk", "days": "30"})
    assert response.status_code == 200
    clear = response.context["new_token"]
    assert clear in response.content.decode()
    assert ApiToken.objects.get(user=agent).token_hash == hashlib.sha256(clear.encode()).hexdigest()
    again = client.get(reverse("api_tokens:list"))
    assert clear not in again.content.decode()
    assert "help desk" in again.content.decode()


def test_the_token_page_explains_a_missing_name(client, agent):
    client.force_login(agent)
    response = client.post(reverse("api_tokens:list"), {"name": "", "days": "30"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_staff_member_revokes_their_token(client, api, agent, make_token):
    clear = make_token(agent)
    client.force_login(agent)
    token = ApiToken.objects.get(user=agent)
    response = client.post(reverse("api_tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    assert api(clear, "get", ME).status_code == 401


def test_an_agent_cannot_revoke_someone_elses_token(client, agent, other_agent, make_token):
    make_token(other_agent)
    client.force_login(agent)
    token = ApiToken.objects.get(user=other_agent)
    assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_dpo_sees_and_revokes_other_peoples_tokens(client, dpo, agent, make_token):
    make_token(agent, name="agent's script")
    client.force_login(dpo)
    assert "agent&#x27;s script" in client.get(reverse("api_tokens:list")).content.decode()
    token = ApiToken.objects.get(user=agent)
    client.post(reverse("api_tokens:revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_token_page_is_for_staff_only(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("api_tokens:list")).status_code == 403
