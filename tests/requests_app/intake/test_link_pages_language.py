"""Every page reached through a request's link speaks the request's language,
not the browser's (Art. 12(1)): confirm, "already used", cancel and the notices."""

from __future__ import annotations

import pytest
from django.urls import reverse

from requests_app.intake.tokens import make_verification_token
from tests.factories import make_request

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_the_confirmation_page_is_in_the_request_language(client):
    request = make_request(verified=False, language="de")
    page = client.get(reverse("intake:verify", args=[make_verification_token(request)]), **ENGLISH_BROWSER)
    assert "Bestätigen Sie Ihren Antrag" in page.content.decode()
    assert "Confirm your request" not in page.content.decode()
    assert page["Content-Language"] == "de"


def test_the_switch_still_changes_the_confirmation_page(client):
    request = make_request(verified=False, language="de")
    url = reverse("intake:verify", args=[make_verification_token(request)])
    page = client.get(url + "?lang=en", **ENGLISH_BROWSER)
    assert "Confirm your request" in page.content.decode()


def test_the_thank_you_notice_after_confirming_is_in_the_request_language(client):
    request = make_request(verified=False, language="de")
    url = reverse("intake:verify", args=[make_verification_token(request)])
    page = client.post(url, follow=True, **ENGLISH_BROWSER)
    html = page.content.decode()
    assert "Thank you: your e-mail address is confirmed" not in html
    assert "Danke: Ihre E-Mail-Adresse ist bestätigt" in html


def test_a_used_link_says_so_in_the_request_language(client):
    request = make_request(verified=False, language="nl")
    url = reverse("intake:verify", args=[make_verification_token(request)])
    client.post(url)
    page = client.get(url, **ENGLISH_BROWSER)
    assert page.status_code == 410
    assert "Deze link werd al gebruikt" in page.content.decode()


def test_a_forged_link_keeps_the_browser_language(client):
    page = client.get(reverse("intake:verify", args=["forged"]), **ENGLISH_BROWSER)
    assert page.status_code == 404
    assert "This link does not work" in page.content.decode()


def test_the_cancel_page_and_its_notice_are_in_the_request_language(client):
    request = make_request(language="nl")
    url = reverse("intake:cancel", args=[request.token])
    page = client.get(url, **ENGLISH_BROWSER)
    assert "Uw verzoek annuleren?" in page.content.decode()
    assert page["Content-Language"] == "nl"
    after = client.post(url, follow=True, **ENGLISH_BROWSER).content.decode()
    assert "Uw verzoek is geannuleerd." in after
    assert "Your request is cancelled." not in after


def test_a_language_switched_to_stays_after_cancelling(client):
    request = make_request(language="nl")
    url = reverse("intake:cancel", args=[request.token]) + "?lang=fr"
    after = client.post(url, follow=True, **ENGLISH_BROWSER)
    assert after["Content-Language"] == "fr"
    assert "Your request is cancelled." not in after.content.decode()
