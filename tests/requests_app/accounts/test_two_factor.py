"""Authenticator apps: the seed encrypted at rest, each code accepted once,
wrong codes slowed down, and a lost phone removed by the DPO in the admin."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.contrib import admin
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_otp.forms import OTPAuthenticationForm
from django_otp.plugins.otp_totp.models import TOTPDevice as PlainTextDevice

from dsar.core.crypto import decrypt_str
from requests_app.accounts.two_factor.models import AuthenticatorApp
from tests.factories import PASSWORD
from tests.fixtures.workspace import current_code as code
from tests.fixtures.workspace import signed_in

pytestmark = pytest.mark.django_db
LOGIN = reverse("workspace:login")
TWO_FACTOR = reverse("workspace:two_factor")
QUEUE = reverse("workspace:queue")
# On a time step boundary (a multiple of 30 seconds), so that a few seconds later the code is the same.
MORNING = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def _raw_key(device) -> str:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote('key')} FROM {quote(AuthenticatorApp._meta.db_table)} WHERE id = %s",  # noqa: S608
            [device.pk],
        )
        return cursor.fetchone()[0]


def _after_password(username: str = "dpo") -> Client:
    client = Client()
    assert client.post(LOGIN, {"username": username, "password": PASSWORD}).url == TWO_FACTOR
    return client


def _wrong(device) -> str:
    return "000000" if code(device) != "000000" else "111111"


def test_the_seed_is_not_in_the_database_in_plain_text(dpo):
    device = AuthenticatorApp.objects.create(user=dpo, name="Authenticator app")
    raw = _raw_key(device)
    seed = AuthenticatorApp.objects.get().key
    assert len(seed) == 40 and seed == device.key
    assert seed.lower() not in raw.lower()
    assert device.base32_key.rstrip("=") not in raw.upper()
    assert decrypt_str(raw) == seed


def test_the_enrolment_page_shows_the_decrypted_seed_to_its_owner(agent):
    client = signed_in(agent)
    page = client.get(TWO_FACTOR, {"start": "1"}).content.decode()
    device = AuthenticatorApp.objects.get(user=agent, confirmed=False)
    secret = device.base32_key
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page
    assert device.config_url.startswith("otpauth://totp/DSAR%20desk%3Aagent?secret=" + secret)


def test_seeds_still_work_after_a_new_encryption_key_is_put_first(dpo, settings):
    device = AuthenticatorApp.objects.create(user=dpo, name="Authenticator app")
    settings.DSAR_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.DSAR_ENCRYPTION_KEYS]
    client = _after_password()
    assert client.post(TWO_FACTOR, {"token": code(AuthenticatorApp.objects.get(pk=device.pk))}).url == QUEUE


def test_a_code_signs_in_once_and_never_again(dpo):
    with time_machine.travel(MORNING, tick=False) as traveller:
        device = AuthenticatorApp.objects.create(user=dpo, name="Authenticator app")
        used = code(device)
        client = _after_password()
        assert client.post(TWO_FACTOR, {"token": used}).url == QUEUE

        # Someone who saw the code over the DPO's shoulder, and has the password.
        traveller.shift(5)
        other = _after_password()
        response = other.post(TWO_FACTOR, {"token": used})
        assert "That code is not right" in response.content.decode()
        assert other.get(QUEUE).status_code == 302

        # The next code, a time step later, is accepted.
        traveller.shift(60)
        device.refresh_from_db()
        again = _after_password()
        assert again.post(TWO_FACTOR, {"token": code(device)}).url == QUEUE


def test_wrong_codes_make_the_next_try_wait_longer_each_time(dpo):
    with time_machine.travel(MORNING, tick=False) as traveller:
        device = AuthenticatorApp.objects.create(user=dpo, name="Authenticator app")
        client = _after_password()
        assert "That code is not right" in client.post(TWO_FACTOR, {"token": _wrong(device)}).content.decode()

        # Even the right code is refused a second after a wrong one.
        response = client.post(TWO_FACTOR, {"token": code(device)})
        assert "Too many wrong codes" in response.content.decode()
        assert client.get(QUEUE).status_code == 302

        traveller.shift(1)
        assert "That code is not right" in client.post(TWO_FACTOR, {"token": _wrong(device)}).content.decode()
        traveller.shift(1)  # two wrong codes: two seconds to wait
        assert "Too many wrong codes" in client.post(TWO_FACTOR, {"token": code(device)}).content.decode()
        traveller.shift(1)
        assert client.post(TWO_FACTOR, {"token": code(device)}).url == QUEUE
    device.refresh_from_db()
    assert device.throttling_failure_count == 0 and device.last_used_at == MORNING + dt.timedelta(seconds=3)


def test_a_dpo_removes_a_lost_phone_in_the_admin_without_seeing_the_seed(
    dpo, agent, django_capture_on_commit_callbacks
):
    device = AuthenticatorApp.objects.create(user=agent, name="Authenticator app")
    client = signed_in(dpo)
    listing = client.get("/admin/requests_two_factor/authenticatorapp/").content.decode()
    assert "agent" in listing

    page = client.get(f"/admin/requests_two_factor/authenticatorapp/{device.pk}/change/")
    assert page.status_code == 200
    shown = page.content.decode()
    assert "Authenticator app" in shown
    for secret in (device.key, device.base32_key, _raw_key(device)):
        assert secret not in shown
    assert client.get("/admin/requests_two_factor/authenticatorapp/add/").status_code == 403

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/requests_two_factor/authenticatorapp/{device.pk}/delete/", {"post": "yes"})
    assert not AuthenticatorApp.objects.exists()
    # The owner hears of it at once: a removal they did not ask for leaves the password alone.
    (notice,) = mail.outbox
    assert notice.to == [agent.email]
    assert notice.subject == "Your two-factor sign-in app was removed"
    assert '"Authenticator app" was removed from your workspace account by dpo' in notice.body
    assert "/workspace/two-factor/" in notice.body and "tell your DPO at once" in notice.body
    # The agent's password alone signs them in again, to enrol a new phone.
    assert Client().post(LOGIN, {"username": "agent", "password": PASSWORD}).url == QUEUE


def test_the_plain_text_devices_of_django_otp_are_not_in_the_admin():
    assert not admin.site.is_registered(PlainTextDevice)


def test_the_admin_sign_in_of_django_otp_takes_a_code_from_the_same_app(rf, dpo):
    device = AuthenticatorApp.objects.create(user=dpo, name="Authenticator app")
    data = {"username": "dpo", "password": PASSWORD, "otp_device": device.persistent_id, "otp_token": code(device)}
    form = OTPAuthenticationForm(rf.post("/admin/login/"), data=data)
    assert form.is_valid(), form.errors
    assert form.get_user().otp_device == device


def test_migrating_creates_the_role_groups_with_their_admin_rights(db):
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    Group.objects.all().delete()
    # A production database, where the demo commands never run.
    call_command("migrate", verbosity=0)
    dpo_group = Group.objects.get(name="DPO")
    assert dpo_group.permissions.filter(codename="delete_authenticatorapp").exists()
    assert dpo_group.permissions.filter(codename="change_processingactivity").exists()
    assert Group.objects.get(name="Auditor").permissions.filter(codename="view_authenticatorapp").exists()
    assert Group.objects.filter(name="Privacy agent").exists()
