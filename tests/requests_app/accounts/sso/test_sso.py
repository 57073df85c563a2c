"""Single sign-on against a real OpenID Connect provider (conftest.py): the
redirect flow with PKCE, accounts made at the first sign-in with the role of
the person's group, access lost at the next request once the group is gone,
and a clear refusal for a person in no mapped group."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from axes.models import AccessLog
from django.contrib.auth import get_user_model
from django.urls import reverse

from requests_app.accounts import roles
from requests_app.accounts.sso.models import SsoAccount, SsoEvent

pytestmark = pytest.mark.django_db
QUEUE = reverse("workspace:queue")
LOGIN = reverse("workspace:login")


def test_it_offers_the_provider_on_the_sign_in_page_only_when_configured(client, settings, oidc):
    assert "Sign in with Example ID" in client.get(LOGIN).content.decode()
    settings.DSAR_OIDC_ISSUER = ""
    assert "Sign in with" not in client.get(LOGIN).content.decode()
    assert client.get(reverse("workspace:sso_start")).status_code == 404


def test_it_makes_an_account_with_the_groups_role_at_the_first_sign_in(client, oidc, sso_events):
    oidc.set_person("anna", groups=["privacy-dpo", "all-staff"], email="anna@example.org", name="Anna Peeters")

    response, params = oidc.sign_in(client, "anna", next_url="/workspace/dashboard/")

    # Authorization code flow with PKCE (RFC 7636) and a nonce.
    assert params["response_type"] == "code" and params["code_challenge_method"] == "S256"
    assert params["code_challenge"] and params["nonce"] and params["client_id"] == "dsar-desk"
    assert "client_secret" not in params
    assert response.status_code == 302 and response.url == "/workspace/dashboard/"
    user = get_user_model().objects.get(sso_account__subject="anna")
    assert (user.username, user.email, user.get_full_name()) == ("anna", "anna@example.org", "Anna Peeters")
    assert roles.role_of(user) == roles.DPO and not user.has_usable_password()
    assert SsoAccount.objects.get(user=user).issuer == oidc.base_url
    assert sso_events("anna") == [SsoEvent.Kind.ACCOUNT_CREATED, SsoEvent.Kind.SIGNED_IN]
    # The tokens are kept encrypted in the session, never in clear.
    assert "access" in client.session["sso"] and "eyJ" not in str(client.session["sso"])
    assert client.get(QUEUE).status_code == 200
    # Like a password sign-in, it is in django-axes' access log too.
    assert AccessLog.objects.filter(username="anna").exists()


def test_it_skips_the_desks_totp_for_an_sso_account_where_two_factors_are_required(client, oidc, settings):
    settings.DSAR_REQUIRE_2FA = True
    oidc.set_person("ben", groups=["privacy-agents"])
    oidc.sign_in(client, "ben")

    assert client.get(QUEUE).status_code == 200  # not sent to the TOTP page
    assert client.get(reverse("workspace:two_factor")).url == QUEUE
    # "Confirm your second factor again" sends the person to the provider anew.
    again = client.get(reverse("workspace:two_factor") + "?again=1&next=/workspace/")
    assert again.url.startswith(reverse("workspace:sso_start") + "?fresh=1")
    assert "prompt=login" in client.get(again.url).url


def test_a_person_removed_from_the_group_loses_access_at_the_next_request(client, oidc, sso_events):
    oidc.set_person("carla", groups=["privacy-agents"])
    oidc.sign_in(client, "carla")
    assert client.get(QUEUE).status_code == 200

    oidc.set_person("carla", groups=["all-staff"])  # removed at the provider

    response = client.get(QUEUE)
    assert response.status_code == 302 and response.url == reverse("workspace:sso_ended") + "?reason=no_role"
    page = client.get(response.url).content.decode()
    assert "You have no role in the DSAR desk" in page
    assert client.get(QUEUE).url.startswith(LOGIN)  # signed out
    user = get_user_model().objects.get(sso_account__subject="carla")
    assert roles.role_of(user) is None  # and the roles are gone (API tokens stop too)
    assert sso_events("carla")[-1] == SsoEvent.Kind.ACCESS_LOST


def test_a_role_changed_at_the_provider_changes_at_the_next_request(client, oidc, sso_events):
    oidc.set_person("dirk", groups=["privacy-agents"])
    oidc.sign_in(client, "dirk")
    oidc.set_person("dirk", groups=["internal-audit"])

    assert client.get(QUEUE).status_code == 200
    user = get_user_model().objects.get(sso_account__subject="dirk")
    assert roles.role_of(user) == roles.AUDITOR
    event = SsoEvent.objects.filter(user=user).latest("at")
    assert (event.kind, event.detail) == (SsoEvent.Kind.ROLE_CHANGED, "Privacy agent -> Auditor")


def test_an_expired_access_token_is_renewed_with_the_refresh_token(client, oidc):
    oidc.set_person("femke", groups=["privacy-agents"])
    oidc.sign_in(client, "femke")
    before = client.session["sso"]["access"]

    # The provider's access tokens live an hour; the refresh token renews it.
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(hours=2), tick=True):
        assert client.get(QUEUE).status_code == 200

    assert client.session["sso"]["access"] != before


def test_a_sso_dpo_opens_the_admin_without_the_desks_totp(client, oidc, settings):
    settings.DSAR_REQUIRE_2FA = True
    oidc.set_person("greet", groups=["privacy-dpo"])
    oidc.sign_in(client, "greet")
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/requests_sso/ssoevent/").status_code == 200


def test_with_a_recheck_interval_the_provider_is_asked_again_only_after_it(client, oidc, settings, sso_events):
    settings.DSAR_OIDC_RECHECK_SECONDS = 60
    oidc.set_person("hans", groups=["privacy-agents"])
    oidc.sign_in(client, "hans")
    oidc.set_person("hans", groups=[])

    assert client.get(QUEUE).status_code == 200  # the last answer is under a minute old
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(seconds=61), tick=True):
        assert client.get(QUEUE).url == reverse("workspace:sso_ended") + "?reason=no_role"
    assert sso_events("hans")[-1] == SsoEvent.Kind.ACCESS_LOST


def test_revoked_tokens_sign_the_person_out(client, oidc, sso_events):
    oidc.set_person("eva", groups=["privacy-dpo"])
    oidc.sign_in(client, "eva")
    oidc.revoke_tokens("eva")  # access and refresh tokens both

    response = client.get(QUEUE)
    assert response.url == reverse("workspace:sso_ended") + "?reason=expired"
    assert "Example ID no longer confirms your sign-in" in client.get(response.url).content.decode()
    assert client.get(QUEUE).url.startswith(LOGIN)


def test_a_person_in_no_mapped_group_is_refused_with_a_clear_page(client, oidc, sso_events):
    oidc.set_person("frank", groups=["all-staff", "sales"])

    response, _params = oidc.sign_in(client, "frank")

    assert response.status_code == 403
    page = response.content.decode()
    assert "You have no role in the DSAR desk" in page and "Example ID confirmed who you are" in page
    assert not get_user_model().objects.filter(username="frank").exists()  # no account made
    assert client.get(QUEUE).url.startswith(LOGIN)
    assert sso_events("frank") == [SsoEvent.Kind.REFUSED]


def test_a_deactivated_account_is_refused(client, oidc):
    oidc.set_person("gert", groups=["privacy-dpo"])
    oidc.sign_in(client, "gert")
    client.logout()
    get_user_model().objects.filter(username="gert").update(is_active=False)

    response, _params = oidc.sign_in(client, "gert")

    assert response.status_code == 403 and "Your desk account is switched off" in response.content.decode()


def test_the_page_is_translated(client, oidc):
    oidc.set_person("ilse", groups=["sales"])
    client.cookies["django_language"] = "nl"
    response, _params = oidc.sign_in(client, "ilse")
    assert "U hebt geen rol in de DSAR-desk" in response.content.decode()
