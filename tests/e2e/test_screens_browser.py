"""The main pages at a desktop's width and a phone's (Debian's chromium):
a screenshot of each, and no page wider than a 390 px screen (issue 15).

Screenshots go to ``DSAR_SCREENSHOTS_DIR`` (default ``var/screenshots/``),
named ``<page>-<width>.png``, for a person to look at; the assertion is the
horizontal overflow: ``document.scrollingElement.scrollWidth`` at most the
viewport's width.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from requests_app import workflow
from requests_app.inbox import services as inbox_services
from requests_app.inbox.models import InboxSource
from requests_app.models import Channel, RequestType, Status
from tests.factories import make_request
from tests.fixtures.workspace import logged_request
from tests.requests_app.inbox.messages import build
from tests.support.export_factories import make_job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1366, 390)
PHONE = 390


def screenshots_dir() -> Path:
    folder = Path(os.environ.get("DSAR_SCREENSHOTS_DIR") or Path(django_settings.BASE_DIR) / "var" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def staff_context(browser, live_server, user, *, width: int):
    """A browser signed in as ``user`` (the session of Django's test client)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": width, "height": 900})
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def overflow(page) -> tuple[int, int]:
    return page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")


@pytest.fixture
def desk(dpo, agent, controller, settings):
    """A queue of a dozen requests, one in review with its copy, an e-mail to triage."""
    from dsar.models import Connector

    settings.DSAR_REQUIRE_2FA = False
    Connector.objects.update(enabled=False)  # the copy comes from a job made here
    for n, channel in enumerate([Channel.EMAIL, Channel.LETTER, Channel.PHONE, Channel.IN_PERSON] * 3):
        request = logged_request(
            dpo,
            days_ago=3 * n,
            channel=channel,
            request_type=[RequestType.ACCESS, RequestType.ERASURE, RequestType.RECTIFICATION][n % 3],
            full_name=f"Maximiliaan Vandenbroucke-Verhaeghe {n}",
            email=f"maximiliaan.vandenbroucke-verhaeghe.{n}@voorbeeld-gemeente.be",
        )
        if n % 2:
            workflow.assign(request, actor=dpo, assignee=agent)
    in_review = make_request(email="lotte.peeters@example.be", full_name="Lotte Peeters", language="nl")
    workflow.assign(in_review, actor=dpo, assignee=agent)
    workflow.add_note(in_review, actor=dpo, body="Customer since 2019; two accounts in the CRM.")
    workflow.approve(in_review, actor=dpo)
    workflow.start_processing(in_review)
    make_job(in_review.reference)
    workflow.processing_done(in_review)
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW
    inbox_services.receive(build(), source=InboxSource.IMAP)
    return {"request": in_review}


def test_the_main_pages_fit_a_phone_and_are_photographed(browser, live_server, dpo, desk):
    reference = desk["request"].reference
    staff_pages = {
        "queue": reverse("workspace:queue"),
        "request": reverse("workspace:request", args=[reference]),
        "records": reverse("exports:records", args=[reference]),
        "dashboard": reverse("workspace:dashboard"),
        "log-request": reverse("workspace:log_request"),
        "inbox": reverse("inbox:list"),
    }
    public_pages = {
        "sign-in": reverse("workspace:login"),
        "public-form": reverse("intake:form"),
        "status": reverse("intake:status", args=[desk["request"].token]),
    }
    folder = screenshots_dir()
    too_wide = {}
    for width in WIDTHS:
        for pages, context in (
            (staff_pages, staff_context(browser, live_server, dpo, width=width)),
            (
                public_pages,
                browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": width, "height": 900}),
            ),
        ):
            page = context.new_page()
            page.set_default_timeout(15000)
            for name, path in pages.items():
                response = page.goto(path)
                assert response is not None and response.status == 200, (name, response and response.status)
                page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
                scroll_width, viewport = overflow(page)
                if width == PHONE and scroll_width > viewport:
                    too_wide[name] = scroll_width
            context.close()
    assert too_wide == {}, f"wider than a {PHONE} px screen: {too_wide}"
    assert (folder / "queue-390.png").stat().st_size > 0


def test_on_a_phone_the_menu_folds_sign_out_stays_and_the_queue_shows_cards(browser, live_server, dpo, desk):
    context = staff_context(browser, live_server, dpo, width=PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(reverse("workspace:queue"))

    dashboard = page.get_by_role("link", name="Dashboard")
    assert not dashboard.is_visible(), "the navigation is folded"
    assert page.get_by_role("button", name="Sign out").is_visible()
    # Each request is a card: its cells stacked, labelled, no table row.
    card = page.locator("table.queue tbody tr").first
    assert card.evaluate("row => getComputedStyle(row).display") == "grid"
    labels = card.locator("td[data-label]").evaluate_all(
        "cells => cells.map(cell => getComputedStyle(cell, '::before').content)"
    )
    assert '"Legal deadline"' in labels

    page.get_by_text("Menu", exact=True).click()
    assert dashboard.is_visible()
    dashboard.click()
    page.wait_for_url("**/dashboard/")
    assert not page.get_by_role("link", name="Queue", exact=True).is_visible()

    # By keyboard too: the menu's checkbox takes the focus and Space opens it.
    page.locator("#ws-menu-toggle").focus()
    page.keyboard.press("Space")
    assert page.get_by_role("link", name="Queue", exact=True).is_visible()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"**{reverse('workspace:login')}**")
    context.close()


def test_at_a_desktop_width_the_menu_is_open_and_columns_sort(browser, live_server, dpo, desk):
    context = staff_context(browser, live_server, dpo, width=1366)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(reverse("workspace:queue"))
    assert page.get_by_role("link", name="Dashboard").is_visible()
    assert not page.get_by_text("Menu", exact=True).is_visible()
    # Nor its checkbox: no invisible stop for the keyboard.
    assert page.locator("#ws-menu-toggle").evaluate("box => getComputedStyle(box).display") == "none"
    page.get_by_role("link", name="Subject", exact=True).click()
    page.wait_for_url("**sort=subject**")
    header = page.locator("th[aria-sort]")
    assert header.get_attribute("aria-sort") == "ascending" and "Subject" in header.inner_text()
    context.close()


def test_on_a_phone_a_dpo_ticks_two_cards_and_extends_both_with_one_reason(browser, live_server, dpo, desk):
    context = staff_context(browser, live_server, dpo, width=PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(reverse("workspace:queue") + "?sort=-due")
    cards = page.locator("table.queue tbody tr")
    first, second = (cards.nth(i).locator("td.ref").inner_text() for i in (0, 1))
    page.get_by_label(f"Tick {first}").check()
    page.get_by_label(f"Tick {second}").check()
    page.get_by_text("Act on the ticked requests").click()
    page.get_by_label("Action").select_option("extend")
    page.get_by_label("Extend by").select_option("2")
    page.get_by_label("Reason (sent to the subject").fill("Many requests arrived at once.")
    page.get_by_role("button", name="Apply to the ticked requests").click()
    page.get_by_role("heading", name="Extend the legal deadline: 2 requests done, 0 refused").wait_for()
    assert page.get_by_role("link", name=first).is_visible() and page.get_by_role("link", name=second).is_visible()
    assert overflow(page)[0] <= PHONE
    context.close()
