"""The DPO reads what the subject asked in words: the corrections and the restriction ground."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from requests_app.models import RequestType
from tests.factories import make_request

pytestmark = pytest.mark.django_db


def _details_card(client, request) -> str:
    page = client.get(reverse("workspace:request", args=[request.reference])).content.decode()
    card = page.split('id="h-details"')[1].split("</section>")[0]
    return html.unescape(re.sub(r"<[^>]+>", " ", card))


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_request_page_lists_each_correction_and_the_restriction_meanwhile(dpo_client):
    request = make_request(
        request_type=RequestType.RECTIFICATION,
        type_details={
            "items": [
                {"field": "Adres", "current": "Kerkstraat 1", "correct": "Kerkstraat 10"},
                {"field": "Voornaam", "current": "", "correct": "Lotte"},
            ],
            "restrict_meanwhile": True,
        },
    )
    card = _words(_details_card(dpo_client, request))
    assert "Corrections Adres: Kerkstraat 1 → Kerkstraat 10 Voornaam → Lotte" in card
    assert "Restrict until corrected (Art. 18(1)(a)) yes" in card


def test_the_request_page_names_the_restriction_ground_in_words(dpo_client):
    request = make_request(
        request_type=RequestType.RESTRICTION, type_details={"ground": "legal_claims"}, details="Tot het vonnis valt."
    )
    card = _words(_details_card(dpo_client, request))
    assert "Ground (Art. 18(1)) (c) No longer needed by us, but needed by the subject for a legal claim" in card
    assert "Tot het vonnis valt." in card
    assert "legal_claims" not in card


def test_an_unknown_ground_is_shown_as_it_was_stored(dpo_client):
    request = make_request(request_type=RequestType.RESTRICTION, type_details={"ground": "from-an-old-import"})
    assert "Ground (Art. 18(1)) from-an-old-import" in _words(_details_card(dpo_client, request))


def test_the_request_page_names_the_contested_categories_in_the_readers_language(dpo_client):
    from dsar.models import DataCategory

    DataCategory.objects.create(code="usage", names={"en": "Usage data", "nl": "Gebruiksgegevens"})
    request = make_request(
        request_type=RequestType.RESTRICTION,
        type_details={"ground": "contested_accuracy", "contested_categories": ["usage", "retired-code"]},
    )
    card = _words(_details_card(dpo_client, request))
    assert "Data categories contested (Art. 18(1)(a)) Usage data retired-code" in card
    page = dpo_client.get(reverse("workspace:request", args=[request.reference]), HTTP_ACCEPT_LANGUAGE="nl")
    dutch = _words(html.unescape(re.sub(r"<[^>]+>", " ", page.content.decode().split('id="h-details"')[1])))
    assert "Betwiste gegevenscategorieën (art. 18, lid 1, a)) Gebruiksgegevens retired-code" in dutch
    assert "Usage data" not in dutch


def test_the_request_page_says_the_erasure_scope_and_the_portability_target_in_words(dpo_client):
    erasure = make_request(
        request_type=RequestType.ERASURE, type_details={"scope": "specific", "specific": "Mijn oude adressen"}
    )
    portability = make_request(
        request_type=RequestType.PORTABILITY,
        type_details={
            "format": "csv",
            "target_controller": "Energie NV",
            "target_controller_email": "dpo@energie.example",
        },
    )

    erasure_card = _words(_details_card(dpo_client, erasure))
    portability_card = _words(_details_card(dpo_client, portability))

    assert "What to erase Only specific data" in erasure_card
    assert "The data to erase, in the subject's words Mijn oude adressen" in erasure_card
    assert "File format CSV (for spreadsheets)" in portability_card
    assert "Organisation to send the data to (Art. 20(2)) Energie NV" in portability_card
    assert "That organisation's e-mail address dpo@energie.example" in portability_card
    assert "Target controller" not in portability_card
