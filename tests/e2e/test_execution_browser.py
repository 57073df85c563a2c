# ruff: noqa: F811 - pytest fixtures imported from tests.fixtures.execution
"""The DPO reviews and approves an erasure plan in a real browser."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from dsar.execution.models import Plan
from requests_app import workflow
from requests_app.execution.selectors import plan_for
from tests.factories import PASSWORD, make_request
from tests.fixtures.execution import crm, profile  # noqa: F401 (fixtures)
from tests.support.execution_factories import LOTTE

pytestmark = pytest.mark.browser


def test_the_dpo_keeps_a_record_and_approves_the_erasure_plan_in_the_browser(
    transactional_db,
    crm,
    dpo,
    profile,
    page,
):
    connector, engine, schema = crm
    subject_request = make_request(
        request_type="erasure",
        full_name=LOTTE["full_name"],
        email=LOTTE["email"],
        customer_number=LOTTE["customer_number"],
    )
    workflow.approve(subject_request, actor=dpo)
    assert plan_for(subject_request).status == Plan.Status.READY

    page.goto("/admin/login/")
    page.fill("#id_username", "dpo")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(f"/workspace/execution/{subject_request.reference}/")
    assert page.get_by_text("Accounting law").first.is_visible()

    row = page.locator("tr", has_text=re.compile(r"usage, record 1", re.I))
    keep = row.locator("details", has_text="Keep (Art. 17(3))")
    keep.locator("summary").click()
    keep.locator("select[name=reason]").select_option("legal_claims")
    keep.locator("input[name=note]").fill("Licence dispute pending")
    keep.get_by_role("button", name="Keep").click()
    assert (
        page.locator("tr", has_text=re.compile(r"usage, record 1", re.I))
        .get_by_text("Licence dispute pending")
        .is_visible()
    )

    # Art. 17(1): the ground of the erasure is required to approve it.
    page.get_by_label("(b) The subject withdrew their consent").check()
    page.get_by_role("button", name="Approve the plan and change the sources").click()
    page.wait_for_load_state()
    assert plan_for(subject_request).status == Plan.Status.DONE
    assert page.get_by_text("Executed").first.is_visible()
    usage = sa.Table("usage", sa.MetaData(), autoload_with=engine, schema=schema)
    with engine.connect() as c:
        assert sorted(r.id for r in c.execute(sa.select(usage))) == [1, 3]
