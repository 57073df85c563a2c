# ruff: noqa: F811 - pytest fixtures imported from tests.fixtures.execution
"""Issue 15, point 1, in a real browser: the DPO splits an address correction
over the street, the postal code and the town, sees the record before and
after, approves, and the CRM row holds all three new values."""

from __future__ import annotations

import pytest

from dsar.execution.models import Action, Plan
from requests_app import workflow
from requests_app.execution.selectors import plan_for
from tests.factories import PASSWORD
from tests.fixtures.execution import demo  # noqa: F401 (fixture)
from tests.support.execution_steps import lotte

pytestmark = pytest.mark.browser


def test_the_dpo_maps_an_address_onto_three_fields_and_approves_it_in_the_browser(transactional_db, demo, dpo, page):
    subject_request = lotte(
        "rectification",
        items=[{"field": "Adresse", "current": "Eliensingel 3, 5532 Kemmel", "correct": "Neustraße 12, 4700 Eupen"}],
        restrict_meanwhile=False,
    )
    workflow.approve(subject_request, actor=dpo)
    assert plan_for(subject_request).status == Plan.Status.READY
    before = dict(demo.execute("SELECT street, postal_code, city FROM customers WHERE id = 1").fetchone())

    page.goto("/admin/login/")
    page.fill("#id_username", "dpo")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(f"/workspace/execution/{subject_request.reference}/")

    # Nothing can be approved until the correction says which fields it changes, and the page says so.
    approve = page.get_by_role("button", name="Approve the plan and change the sources")
    assert approve.is_disabled()
    assert page.get_by_text("Say which field each correction is about before approving").is_visible()

    split = page.locator("details.map-several").first
    split.locator("summary").click()
    split.get_by_label("Street and number").fill("Neustraße 12")
    split.get_by_label("Postcode").fill("4700")
    split.get_by_label("Town").fill("Eupen")
    split.get_by_role("button", name="Use these fields").click()
    page.wait_for_load_state()
    page.goto(f"/workspace/execution/{subject_request.reference}/")

    # The CRM record before and after, with the fields' labels.
    preview = page.locator("table.correction-preview").first
    street = preview.locator("tr", has_text="Street and number")
    assert street.locator("td.before").inner_text().strip() == before["street"]
    assert street.locator("td.after").inner_text().strip() == "Neustraße 12"
    assert preview.locator("tr", has_text="Postcode").locator("td.after").inner_text().strip() == "4700"
    assert preview.locator("tr", has_text="Town").locator("td.after").inner_text().strip() == "Eupen"
    plan = plan_for(subject_request)
    # The cameras hold images, not addresses: no correction is asked of them.
    assert not plan.items.filter(run__connector__code="camera-footage").exists()
    assert plan.items.get(action=Action.RECTIFY).approved_fields == []

    approve = page.get_by_role("button", name="Approve the plan and change the sources")
    assert approve.is_enabled()
    approve.click()
    page.wait_for_load_state()

    row = dict(demo.execute("SELECT street, postal_code, city FROM customers WHERE id = 1").fetchone())
    assert row == {"street": "Neustraße 12", "postal_code": "4700", "city": "Eupen"}
    assert plan_for(subject_request).status == Plan.Status.DONE
