"""The subject's other requests on the request page (Art. 12(5): repeats)."""

from __future__ import annotations

from django.urls import reverse

from requests_app.models import RequestType
from tests.factories import make_request


def test_the_request_page_lists_the_same_addresss_other_requests(dpo_client):
    earlier = make_request(email="lotte.peeters@example.be", request_type=RequestType.ACCESS)
    other_type = make_request(email="Lotte.Peeters@example.be", request_type=RequestType.ERASURE)
    stranger = make_request(email="jan@example.be")
    current = make_request(email="lotte.peeters@example.be", request_type=RequestType.ACCESS)

    page = dpo_client.get(reverse("workspace:request", args=[current.reference])).content.decode()

    assert "Other requests from this address" in page
    assert earlier.reference in page and other_type.reference in page
    assert stranger.reference not in page
    assert "another open request of the same type" in page
    assert "2 other requests in the last twelve months" in page


def test_a_first_request_shows_no_history(dpo_client):
    current = make_request(email="first.time@example.be")

    page = dpo_client.get(reverse("workspace:request", args=[current.reference])).content.decode()

    assert "Other requests from this address" not in page
