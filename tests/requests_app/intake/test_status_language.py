"""The status page speaks the request's language, not the browser's (Art. 12(1))."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_request

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "header", "expected", "absent"),
    [
        ("de", "nl", 'lang="de"', 'lang="nl"'),
        ("de", "", 'lang="de"', 'lang="en"'),
        ("fr", "de,en;q=0.5", 'lang="fr"', 'lang="de"'),
        ("nl", "en", 'lang="nl"', 'lang="en"'),
    ],
)
def test_the_status_page_follows_the_request_not_the_browser(client, language, header, expected, absent):
    request = make_request(language=language)
    url = reverse("intake:status", kwargs={"token": request.token})
    page = client.get(url, HTTP_ACCEPT_LANGUAGE=header) if header else client.get(url)
    html = page.content.decode()
    assert f"<html {expected}" in html or f"<html{expected}" in html.replace(" ", "") or expected in html.split(">")[1]
    assert page["Content-Language"] == language
    assert f"<html {absent}" not in html


def test_a_switch_changes_the_language_for_that_view_only(client):
    request = make_request(language="de")
    url = reverse("intake:status", kwargs={"token": request.token})
    assert client.get(url + "?lang=fr")["Content-Language"] == "fr"
    assert client.get(url)["Content-Language"] == "de"


def test_staff_e_mails_follow_the_language_the_staff_member_signs_in_with(client, dpo):
    from django.utils import translation

    from requests_app.emails import staff_language

    assert staff_language(dpo)  # the desk's default before any sign-in
    with translation.override("fr"):
        client.force_login(dpo)
    assert staff_language(dpo) == "fr"
