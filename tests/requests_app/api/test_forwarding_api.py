"""Forwarding through the API (Art. 28: the request belongs to a care provider)."""

from __future__ import annotations

from django.core import mail

PROVIDER = {"controller_name": "Huisartsenpraktijk De Linde", "controller_email": "privacy@delinde.example.be"}


def test_the_api_forwards_and_shows_the_forwarding(api, dpo, new_request, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(dpo, "post", f"/api/v1/requests/{new_request.reference}/forward/", PROVIDER)

    assert response.status_code == 200
    body = response.json()
    # Patient Rights Act: tracked until the provider acknowledges, with its deadline.
    assert body["status"] == "forwarded"
    assert body["forwardings"][0]["due_date"]
    assert body["forwardings"][0]["controller_name"] == "Huisartsenpraktijk De Linde"
    assert body["forwardings"][0]["acknowledged_at"] is None
    assert any("privacy@delinde.example.be" in m.to for m in mail.outbox)


def test_the_api_refuses_a_bad_address_field_by_field(api, dpo, new_request):
    response = api(dpo, "post", f"/api/v1/requests/{new_request.reference}/forward/", {"controller_name": "X"})

    assert response.status_code == 400
    assert "controller_email" in response.json()
