"""The DPO's day in a real browser: sign in with two factors, filter the
queue, open a request, approve it."""

from __future__ import annotations

import pytest

from requests_app.accounts.two_factor.models import AuthenticatorApp
from requests_app.models import Status
from tests.factories import PASSWORD
from tests.fixtures.workspace import current_code, logged_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_dpo_signs_in_filters_the_queue_opens_a_request_and_approves_it(page, dpo, settings):
    settings.DSAR_REQUIRE_2FA = True
    device = AuthenticatorApp.objects.create(user=dpo, name="phone", confirmed=True)
    letter = logged_request(dpo, channel="letter", full_name="Lotte Peeters", email="lotte.peeters@example.be")
    logged_request(dpo, channel="phone", full_name="Jan Janssens", email="jan@example.be")

    page.goto("/workspace/")
    page.get_by_label("Username").fill("dpo")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Six-digit code from your authenticator app").fill(current_code(device))
    page.get_by_role("button", name="Verify").click()

    page.get_by_role("heading", name="Queue").wait_for()
    page.get_by_label("Channel").select_option("letter")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**channel=letter**")
    rows = page.locator("table.queue tbody tr")
    assert rows.count() == 1
    assert "Lotte Peeters" in rows.first.inner_text()

    page.get_by_role("link", name=letter.reference).click()
    page.get_by_role("heading", name=letter.reference).wait_for()
    page.get_by_role("button", name="Approve").click()
    page.get_by_text("Request approved.").wait_for()
    letter.refresh_from_db()
    assert letter.status == Status.APPROVED
