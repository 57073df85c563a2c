"""The status page addresses the subject themselves, in grammatical words of
their language (Art. 12(1): clear and plain language)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from requests_app.models import RequestType
from tests.factories import make_request

pytestmark = pytest.mark.django_db


def test_a_dutch_erasure_of_everything_reads_all_your_data(client):
    request = make_request(language="nl", request_type=RequestType.ERASURE, type_details={"scope": "all"})
    html = client.get(reverse("intake:status", args=[request.token])).content.decode()
    assert "Al uw gegevens" in html
    assert "van de betrokkene" not in html


def test_the_dpo_still_reads_the_subjects_data(client, dpo):
    request = make_request(language="nl", request_type=RequestType.ERASURE, type_details={"scope": "all"})
    client.force_login(dpo)
    page = client.get(reverse("workspace:request", args=[request.reference]), HTTP_ACCEPT_LANGUAGE="en")
    assert "All the subject&#x27;s data" in page.content.decode() or "All the subject's data" in page.content.decode()


def test_the_german_status_refers_to_the_request_as_ihn(client):
    request = make_request(language="de")
    html = client.get(reverse("intake:status", args=[request.token])).content.decode()
    assert "Eingegangen: wir bearbeiten ihn bald" in html
