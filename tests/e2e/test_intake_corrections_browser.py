"""In chromium: the correction rows grow with "Add another correction", errors keep
the rows that were typed in, and a restriction is sent with its ground."""

from __future__ import annotations

import pytest

from requests_app.models import SubjectRequest

pytestmark = pytest.mark.browser


def _rows(page):
    return page.locator("fieldset.correction")


def test_a_subject_adds_corrections_one_by_one_and_fixes_a_row(page, live_server, transactional_db):
    page.goto("/")
    page.get_by_label("Correction of my data (Art. 16)").check()
    # With JavaScript only the first row shows, and a button adds the next.
    assert [row.is_visible() for row in _rows(page).all()] == [True, False, False, False, False]
    add = page.get_by_role("button", name="Add another correction")
    add.click()
    assert _rows(page).nth(1).is_visible()
    assert page.evaluate("document.activeElement.name") == "rectification_field_2"

    first, second = _rows(page).nth(0), _rows(page).nth(1)
    first.get_by_label("Which data is wrong?").fill("Address")
    first.get_by_label("What is correct").fill("Kerkstraat 10, 2000 Antwerpen")
    second.get_by_label("What we have now (if you know)").fill("Lotte Peters")
    page.get_by_label("Full name").fill("Lotte Peeters")
    page.locator("#id_email").fill("lotte.peeters@example.be")
    page.get_by_role("button", name="Send my request").click()

    summary = page.locator("#error-summary")
    assert "Correction 2: Which data is wrong? – Tell us which data is wrong." in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    # After the error the typed rows show again, the empty ones stay folded.
    assert [row.is_visible() for row in _rows(page).all()] == [True, True, False, False, False]
    assert _rows(page).nth(1).get_by_label("What we have now (if you know)").input_value() == "Lotte Peters"

    summary.get_by_role("link", name="Correction 2: Which data is wrong?").click()
    assert page.evaluate("document.activeElement.name") == "rectification_field_2"
    _rows(page).nth(1).get_by_label("Which data is wrong?").fill("Surname")
    _rows(page).nth(1).get_by_label("What is correct").fill("Peeters")
    for _ in range(3):
        add.click()
    assert not add.is_visible()  # five rows: no more to add
    page.get_by_label("Stop using this data until it is corrected (Art. 18(1)(a))").check()
    page.get_by_role("button", name="Send my request").click()
    page.get_by_role("heading", name="Check your mailbox").wait_for()

    assert SubjectRequest.objects.get().type_details == {
        "items": [
            {"field": "Address", "current": "", "correct": "Kerkstraat 10, 2000 Antwerpen"},
            {"field": "Surname", "current": "Lotte Peters", "correct": "Peeters"},
        ],
        "restrict_meanwhile": True,
    }


def test_a_subject_asks_for_a_restriction_by_choosing_a_ground(page, live_server, transactional_db):
    page.goto("/")
    page.get_by_label("Restriction of processing (Art. 18)").check()
    section = page.locator('fieldset[data-type="restriction"]')
    assert section.is_visible()
    section.get_by_label(
        "We no longer need your data, but you need it to make, pursue or defend a legal claim."
    ).check()
    page.get_by_label("Anything else we should know?").fill("For my case before the labour court.")
    page.get_by_label("Full name").fill("Lotte Peeters")
    page.locator("#id_email").fill("lotte.peeters@example.be")
    page.get_by_role("button", name="Send my request").click()
    page.get_by_role("heading", name="Check your mailbox").wait_for()
    request = SubjectRequest.objects.get()
    assert request.type_details == {"ground": "legal_claims"}
    assert request.details == "For my case before the labour court."


def test_the_data_contested_shows_with_ground_a_only_and_is_sent_with_it(page, live_server, transactional_db):
    from dsar.models import DataCategory

    DataCategory.objects.create(code="identity", names={"en": "Identity data"})
    DataCategory.objects.create(code="usage", names={"en": "Usage data"})
    page.goto("/")
    page.get_by_label("Restriction of processing (Art. 18)").check()
    section = page.locator('fieldset[data-type="restriction"]')
    contested = section.locator("#id_restriction_contested_categories")
    assert not contested.is_visible()  # no ground chosen yet
    accuracy = section.get_by_label(
        "You contest that your data is accurate: we stop using it for as long as we need to check it."
    )
    accuracy.check()
    assert contested.is_visible()
    contested.get_by_label("Usage data").check()
    section.get_by_label(
        "We no longer need your data, but you need it to make, pursue or defend a legal claim."
    ).check()
    assert not contested.is_visible()
    accuracy.check()
    assert contested.is_visible() and contested.get_by_label("Usage data").is_checked()
    page.get_by_label("Full name").fill("Lotte Peeters")
    page.locator("#id_email").fill("lotte.peeters@example.be")
    page.get_by_role("button", name="Send my request").click()
    page.get_by_role("heading", name="Check your mailbox").wait_for()
    assert SubjectRequest.objects.get().type_details == {
        "ground": "contested_accuracy",
        "contested_categories": ["usage"],
    }


def test_the_categories_of_an_erasure_show_only_for_specific_data(page, live_server, transactional_db):
    from dsar.models import DataCategory

    DataCategory.objects.create(code="usage", names={"en": "Usage data"})
    page.goto("/")
    page.get_by_label("Erasure of my data (Art. 17)").check()
    section = page.locator('fieldset[data-type="erasure"]')
    categories = section.locator("#id_erasure_categories")
    assert not categories.is_visible()  # "All my data" is the default
    section.get_by_label("Only specific data").check()
    assert categories.is_visible()
    categories.get_by_label("Usage data").check()
    page.get_by_label("Full name").fill("Lotte Peeters")
    page.locator("#id_email").fill("lotte.peeters@example.be")
    page.get_by_role("button", name="Send my request").click()
    page.get_by_role("heading", name="Check your mailbox").wait_for()
    assert SubjectRequest.objects.get().type_details["categories"] == ["usage"]
