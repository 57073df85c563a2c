"""The Art. 15(4) review in a real browser (issue 15): no horizontal overflow at
1,366 px, the "left out because" visible, the decision bar in view however far
the DPO scrolls, and the JSON preview as a tree."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from dsar.models import SourceRecord
from requests_app import workflow
from requests_app.delivery import services as delivery_services
from requests_app.models import RequestType
from tests.factories import make_request
from tests.support.export_factories import make_job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A value without a space to break at (a URL a connector returns) and a wide record.
LONG_VALUE = "https://crm.example.be/customers/100042/" + "x" * 300
WIDE = {f"field_number_{n}": f"value {n} of a wide record" for n in range(24)}


def _in_review(dpo):
    request = make_request(request_type=RequestType.ACCESS, email="lotte.peeters@example.be")
    rows = [("customers", "contact", {"name": "Lotte Peeters", "website": LONG_VALUE, **WIDE})]
    rows += [("orders", "contact", {"number": f"O-{n:05d}", "city": "Gent"}) for n in range(60)]
    workflow.approve(request, actor=dpo)
    workflow.start_processing(request)
    make_job(request.reference, crm_records=rows)
    workflow.processing_done(request)
    first = SourceRecord.objects.filter(run__job__external_ref=request.reference, entity="orders").first()
    delivery_services.set_excluded(
        request, actor=dpo, record_ids=[first.pk], excluded=True, note="The order of her neighbour, not hers"
    )
    return request


def _signed_in(page, user, live_server) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_the_review_fits_1366_px_and_keeps_the_decision_bar_in_view(page, dpo, controller, live_server):
    request = _in_review(dpo)
    _signed_in(page, dpo, live_server)
    page.set_viewport_size({"width": 1366, "height": 800})

    page.goto(reverse("exports:records", args=[request.reference]))

    page.get_by_role("heading", name=f"Records gathered for {request.reference}").wait_for()
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page is {width[0]} px wide in a {width[1]} px window"
    left_out = page.get_by_text("The order of her neighbour, not hers")
    left_out.scroll_into_view_if_needed()
    box = left_out.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 1366

    bar = page.locator(".review-actions")
    for position in ("document.body.scrollHeight / 3", "document.body.scrollHeight / 2", "0"):
        page.evaluate(f"() => window.scrollTo(0, {position})")
        page.wait_for_timeout(100)
        reason = page.get_by_label("Why are the selected records or fields left out?")
        assert reason.is_visible()
        bar_box = bar.bounding_box()
        assert bar_box is not None
        assert bar_box["y"] >= 0 and bar_box["y"] + bar_box["height"] <= 800, (position, bar_box)
        button = page.get_by_role("button", name="Withhold the selected fields").bounding_box()
        assert button is not None and 0 <= button["y"] <= 800 - button["height"]


def test_the_json_preview_opens_as_a_tree(page, dpo, controller, live_server):
    request = _in_review(dpo)
    _signed_in(page, dpo, live_server)

    page.goto(reverse("exports:preview_json", args=[request.reference]))

    tree = page.locator("#json-tree")
    tree.wait_for()
    assert page.locator("#json-doc").is_hidden()
    tree.locator("summary", has_text='"sources": [').click()
    tree.locator("summary").filter(has_text=re.compile(r"^0: \{")).first.click()
    records = tree.locator("summary", has_text='"records": [').first.locator("xpath=..")
    records.locator("xpath=./summary").click()
    first_record = records.locator("xpath=./details[1]")
    first_record.locator("xpath=./summary").click()
    # A record's fields, one a line, its keys quoted as in the file.
    first_record.get_by_text('"entity": ').wait_for()
    assert first_record.locator(".json-leaf").first.is_visible()
