"""The register in Django's admin."""

from __future__ import annotations

import pytest

from dsar.models import DataCategory, Recipient

pytestmark = pytest.mark.django_db


def test_the_categories_a_recipient_receives_are_chosen_in_the_admin(admin_client):
    technical = DataCategory.objects.create(code="technical", names={"en": "Technical device data"})
    DataCategory.objects.create(code="financial", names={"en": "Financial data"})
    acronis = Recipient.objects.create(code="acronis", name="Acronis")
    url = f"/admin/dsar/recipient/{acronis.pk}/change/"

    page = admin_client.get(url).content.decode()
    assert "Data categories it receives" in page
    assert "Leave empty when it receives every data category of its processing activities." in page
    response = admin_client.post(
        url,
        {
            "code": "acronis",
            "name": "Acronis",
            "kind": "processor",
            "descriptions": "{}",
            "transfer_safeguards": "{}",
            "notify_changes": "on",
            "categories": [technical.pk],
        },
    )

    assert response.status_code == 302, response.content.decode()
    assert list(acronis.categories.all()) == [technical]
