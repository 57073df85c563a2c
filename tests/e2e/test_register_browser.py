"""The register in a real browser (issue 15, point 8): the DPO loads a
configuration file from the workspace, sees what it changes, confirms, and
reads the register it made."""

from __future__ import annotations

import pytest

from dsar.models import ProcessingActivity
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REGISTER = """\
version: 2
categories:
  - code: identification
    names: {en: Identification data, nl: Identificatiegegevens, fr: Données d'identification, de: Identifikationsdaten}
activities:
  - code: accounting
    names: {en: Accounting, nl: Boekhouding, fr: Comptabilité, de: Buchhaltung}
    purposes: {en: To keep the accounts the law requires, nl: Om de wettelijke boekhouding te voeren}
    legal_basis: legal_obligation
    legal_hold_years: 7
    categories: [identification]
"""


def test_a_dpo_loads_a_register_file_after_seeing_what_it_changes(page, dpo, profile, settings, tmp_path):
    settings.DSAR_REQUIRE_2FA = False
    path = tmp_path / "register.yaml"
    path.write_text(REGISTER, encoding="utf-8")

    page.goto("/workspace/")
    page.get_by_label("Username").fill("dpo")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Register").click()
    page.get_by_role("link", name="Load a configuration file").click()
    page.get_by_label("Configuration file (YAML)").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()

    page.get_by_text("register.yaml passed every check").wait_for()
    changes = page.locator("#check-changes table").inner_text()
    assert "Processing activity" in changes and "accounting" in changes
    assert not ProcessingActivity.objects.exists()

    page.get_by_role("button", name="Load it").click()
    page.get_by_text("register.yaml is loaded: 2 created, 0 updated, 0 no longer declared.").wait_for()
    activity = page.locator("#activity-accounting")
    assert "To keep the accounts the law requires" in activity.inner_text()
    assert "Legal obligation (Art. 6(1)(c))" in activity.inner_text()
