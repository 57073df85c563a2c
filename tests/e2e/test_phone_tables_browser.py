# ruff: noqa: F811 - pytest fixtures imported from tests.fixtures.execution
"""Walkthrough finding 15, on a 390 px phone: the audit log does not scroll
sideways, and a rectification's before/after table fits its card (each row
stacked, its cells labelled) instead of hiding "After" off-screen."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dsar.execution import service
from requests_app import workflow
from requests_app.execution.selectors import plan_for
from requests_app.execution.services import recompute_plan
from tests.fixtures.execution import demo  # noqa: F401 (fixture)
from tests.fixtures.workspace import logged_request
from tests.support.execution_steps import lotte

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 900}


def sign_in(page, live_server, user):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_the_audit_log_fits_a_phone(transactional_db, dpo, page, live_server, settings):
    settings.DSAR_REQUIRE_2FA = False
    request = logged_request(dpo, full_name="Maximiliaan Vandenbroucke-Verhaeghe")
    workflow.approve(request, actor=dpo)
    sign_in(page, live_server, dpo)
    page.set_viewport_size(PHONE)

    page.goto(reverse("audit:log"))

    scroll_width, viewport = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= viewport, f"the audit log is {scroll_width} px wide on a {viewport} px screen"
    assert page.get_by_role("button", name="Filter").is_visible()


def test_the_before_and_after_of_a_correction_fit_a_phone(transactional_db, demo, dpo, page, live_server, settings):
    settings.DSAR_REQUIRE_2FA = False
    subject_request = lotte(
        "rectification",
        items=[{"field": "Adresse", "current": "Eliensingel 3, 5532 Kemmel", "correct": "Neustraße 12, 4700 Eupen"}],
        restrict_meanwhile=False,
    )
    workflow.approve(subject_request, actor=dpo)
    plan = plan_for(subject_request)
    service.map_correction(plan, index=0, fields={"street": "Neustraße 12", "postal_code": "4700", "city": "Eupen"})
    recompute_plan(subject_request, plan, user=dpo)
    sign_in(page, live_server, dpo)
    page.set_viewport_size(PHONE)

    page.goto(reverse("workspace:request", args=[subject_request.reference]))

    preview = page.locator("table.correction-preview").first
    preview.scroll_into_view_if_needed()
    box = preview.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    sizes = preview.evaluate("t => [t.scrollWidth, t.clientWidth]")
    assert sizes[0] <= sizes[1] + 1, f"the table is {sizes[0]} px inside a {sizes[1]} px box"
    after = preview.locator("td.after", has_text="Neustraße 12")
    after_box = after.bounding_box()
    assert after_box is not None and after_box["x"] + after_box["width"] <= PHONE["width"]
    scroll_width, viewport = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= viewport
