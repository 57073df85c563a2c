"""Single sign-on in a real browser against a real OpenID Connect provider
(tests/fixtures/oidc.py): the button, the provider's page, back in the queue;
then the person is taken out of the group and the next click shows why they
are out."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agent_signs_in_through_the_provider_and_is_out_once_removed_from_the_group(page, oidc, settings):
    settings.DSAR_REQUIRE_2FA = True  # skipped for SSO: the provider does the second factor
    oidc.set_person("sofie", groups=["privacy-agents"], name="Sofie Claes")

    page.goto("/workspace/")
    page.get_by_role("link", name="Sign in with Example ID").click()
    page.wait_for_url(oidc.base_url + "/oauth2/authorize**")
    page.get_by_placeholder("sub").fill("sofie")
    page.get_by_role("button", name="Authorize").click()
    page.get_by_role("heading", name="Queue").wait_for()

    oidc.set_person("sofie", groups=["all-staff"])
    page.reload()
    page.get_by_role("heading", name="You have no role in the DSAR desk").wait_for()
    page.goto("/workspace/")
    page.get_by_role("link", name="Sign in with Example ID").wait_for()  # signed out
