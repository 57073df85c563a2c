"""A person submits a request in Dutch, follows the e-mailed link, confirms and sees the status page."""

from __future__ import annotations

import re

import pytest

from requests_app.models import Status, SubjectRequest
from tests.factories import sent_email

pytestmark = pytest.mark.browser


def _verify_path(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/verify/[^\s]+/)", body).group(1)


def test_a_subject_sends_a_request_in_dutch_confirms_it_and_follows_it(page, live_server, transactional_db):
    page.goto("/")
    page.get_by_role("button", name=re.compile("NL")).click()
    page.wait_for_selector('html[lang="nl"]')
    assert page.get_by_role("heading", level=1).inner_text() == "Vraag ons naar uw persoonsgegevens"

    # Only the details of the chosen right are shown (progressive JavaScript).
    page.get_by_label("Wissing van mijn gegevens (art. 17)").check()
    assert page.locator('fieldset[data-type="erasure"]').is_visible()
    assert not page.locator('fieldset[data-type="rectification"]').is_visible()
    page.get_by_label("Alleen bepaalde gegevens").check()

    # Submitting with missing fields lists the errors at the top and keeps the choice.
    page.get_by_role("button", name="Mijn verzoek versturen").click()
    summary = page.locator("#error-summary")
    assert "Kijk het volgende na" in summary.inner_text()
    assert "Vertel ons welke gegevens wij moeten wissen." in summary.inner_text()
    assert page.get_by_label("Wissing van mijn gegevens (art. 17)").is_checked()

    page.get_by_label("Welke gegevens moeten wij wissen?").fill("Mijn telefoonnummer in jullie klantenbestand")
    page.get_by_label("Volledige naam").fill("Lotte Peeters")
    page.get_by_label("E-mailadres").fill("lotte.peeters@example.be")
    page.get_by_label("Telefoonnummer").fill("+32 470 12 34 56")
    page.get_by_label("Klantnummer").fill("C-100042")
    page.get_by_role("button", name="Mijn verzoek versturen").click()
    page.get_by_role("heading", name="Kijk in uw mailbox").wait_for()

    request = SubjectRequest.objects.get()
    assert request.status == Status.UNVERIFIED and request.language == "nl"
    assert request.type_details == {"scope": "specific", "specific": "Mijn telefoonnummer in jullie klantenbestand"}
    email = sent_email("intake_verify")
    assert email.to == ["lotte.peeters@example.be"] and "Bevestig" in email.subject

    page.goto(_verify_path(email.body))
    assert request.reference in page.inner_text("main")
    page.get_by_role("button", name="Ja, bevestig mijn verzoek").click()

    page.get_by_text("Dank u: uw e-mailadres is bevestigd").wait_for()
    main = page.inner_text("main")
    assert request.reference in main
    assert "Ontvangen: wij behandelen het binnenkort" in main
    assert "U hebt uw e-mailadres bevestigd." in main
    request.refresh_from_db()
    assert request.status == Status.NEW
    assert page.url.endswith(f"/status/{request.token}/")
    ack = sent_email("intake_acknowledgement")
    assert request.reference in ack.subject and "Wat gebeurt er nu?" in ack.body
