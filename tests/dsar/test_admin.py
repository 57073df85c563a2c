"""The register in Django's admin."""

from __future__ import annotations

import pytest

from dsar.models import DataCategory, ProcessingActivity, Recipient

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


def test_an_activity_s_data_subjects_and_security_measures_are_edited_in_the_admin(admin_client):
    activity = ProcessingActivity.objects.create(code="webinars", names={"en": "Webinars"}, legal_basis="consent")
    url = f"/admin/dsar/processingactivity/{activity.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert "Categories of data subjects" in page and "Technical and organisational security measures" in page
    form = {
        "code": "webinars",
        "names": '{"en": "Webinars"}',
        "legal_basis": "consent",
        **{name: "{}" for name in ("purposes", "legitimate_interests", "retention", "legal_hold_reason")},
        **{name: "{}" for name in ("sources", "automated_decisions")},
        "security_measures": '{"en": "Registration forms over HTTPS"}',
        "active": "on",
    }

    refused = admin_client.post(url, {**form, "data_subjects": '["Participants"]'})
    assert refused.status_code == 200
    assert "Give a list of names, each per language" in refused.content.decode()

    response = admin_client.post(url, {**form, "data_subjects": '[{"en": "Participants", "nl": "Deelnemers"}]'})
    assert response.status_code == 302, response.content.decode()
    activity.refresh_from_db()
    assert activity.data_subjects == [{"en": "Participants", "nl": "Deelnemers"}]
    assert activity.security_measures == {"en": "Registration forms over HTTPS"}
