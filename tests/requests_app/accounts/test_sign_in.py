"""Sign-in: password, lockout after repeated failures, and the second factor."""

from __future__ import annotations

import importlib

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.urls import clear_url_caches, reverse

from requests_app.accounts.two_factor.models import AuthenticatorApp
from tests.factories import PASSWORD
from tests.fixtures.workspace import current_code as code

pytestmark = pytest.mark.django_db
LOGIN = reverse("workspace:login")
TWO_FACTOR = reverse("workspace:two_factor")
QUEUE = reverse("workspace:queue")


def test_it_signs_a_dpo_in_with_a_password_when_two_factors_are_optional(client, dpo):
    response = client.post(LOGIN, {"username": "dpo", "password": PASSWORD})
    assert response.status_code == 302 and response.url == QUEUE
    assert client.get(QUEUE).status_code == 200


def test_it_signs_out_with_a_post(client, dpo):
    client.force_login(dpo)
    client.post(reverse("workspace:logout"))
    assert client.get(QUEUE).status_code == 302


def test_it_enrols_and_then_requires_the_second_factor(client, dpo, settings):
    settings.DSAR_REQUIRE_2FA = True
    response = client.post(LOGIN, {"username": "dpo", "password": PASSWORD, "next": "/workspace/dashboard/"})
    assert response.url == TWO_FACTOR
    assert client.get(QUEUE).url == TWO_FACTOR  # nothing before the second factor

    page = client.get(TWO_FACTOR).content.decode()
    assert "<svg" in page and "Set up two-factor sign-in" in page
    device = AuthenticatorApp.objects.get(user=dpo, confirmed=False)

    wrong = client.post(TWO_FACTOR, {"token": "000000" if code(device) != "000000" else "111111"})
    assert "That code is not right" in wrong.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the throttle would otherwise make us wait
    device.throttling_failure_timestamp = None
    device.save()

    response = client.post(TWO_FACTOR, {"token": code(device)})
    assert response.url == "/workspace/dashboard/"
    assert AuthenticatorApp.objects.get(user=dpo).confirmed
    assert client.get(QUEUE).status_code == 200

    # The next sign-in asks for a code, without showing the secret again.
    client.post(reverse("workspace:logout"))
    client.post(LOGIN, {"username": "dpo", "password": PASSWORD})
    page = client.get(TWO_FACTOR).content.decode()
    assert "Enter your code" in page and "<svg" not in page


def test_it_signs_nobody_in_on_the_password_alone_once_a_device_is_enrolled(client, dpo, settings):
    settings.DSAR_REQUIRE_2FA = False  # even where two factors are optional
    device = AuthenticatorApp.objects.create(user=dpo, name="phone", confirmed=True)
    response = client.post(LOGIN, {"username": "dpo", "password": PASSWORD})
    assert response.url == TWO_FACTOR
    assert client.get(QUEUE).status_code == 302  # still signed out
    assert client.get(reverse("workspace:dashboard")).url.startswith(LOGIN)

    response = client.post(TWO_FACTOR, {"token": code(device)})
    assert response.url == QUEUE
    assert client.get(QUEUE).status_code == 200


def test_it_sends_a_visitor_without_a_pending_sign_in_to_the_password_page(client):
    assert client.get(TWO_FACTOR).url == LOGIN


def test_it_offers_two_factor_enrolment_when_optional(client, agent):
    client.force_login(agent)
    assert "Set it up" in client.get(TWO_FACTOR).content.decode()
    assert "<svg" in client.get(TWO_FACTOR, {"start": "1"}).content.decode()


def test_it_refuses_the_two_factor_page_to_users_without_a_role(client, outsider):
    client.force_login(outsider)
    assert client.get(TWO_FACTOR).status_code == 403


def test_it_locks_sign_in_after_repeated_failures(client, dpo, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "dpo", "password": "wrong"})
    response = client.post(LOGIN, {"username": "dpo", "password": PASSWORD})
    assert response.status_code in (403, 429)
    assert "Too many failed sign-ins" in response.content.decode()
    assert client.get(QUEUE).status_code == 302


def test_it_protects_the_admin_with_two_factors_when_required(settings):
    import config.urls

    settings.DSAR_REQUIRE_2FA = True
    try:
        importlib.reload(config.urls)
        from django_otp.admin import OTPAdminSite

        assert isinstance(admin.site, OTPAdminSite)
    finally:
        admin.site.__class__ = AdminSite
        settings.DSAR_REQUIRE_2FA = False
        importlib.reload(config.urls)
        clear_url_caches()
