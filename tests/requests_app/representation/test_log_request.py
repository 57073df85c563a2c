"""Log a request in the workspace that a representative made by letter or
phone: the representative, the mandate, and the first e-mail to them."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from requests_app.models import OutgoingEmail, SubjectRequest
from requests_app.representation.models import Representation

pytestmark = pytest.mark.django_db


def _data(**overrides) -> dict:
    data = {
        "channel": "email",
        "identity_check": "known_contact",
        "received_on": timezone.localdate().isoformat(),
        "request_type": "access",
        "language": "nl",
        "full_name": "Noor Janssens",
        "email": "",
        "postal_address": "",
        "phone": "",
        "on_behalf": "on",
        "representative_name": "Els Janssens",
        "representative_email": "els@example.be",
        "relationship": "parent",
        "minor_age_band": "under_13",
    }
    data.update(overrides)
    return data


def test_the_page_shows_the_representatives_fields(dpo_client):
    page = dpo_client.get(reverse("workspace:log_request")).content.decode()
    assert 'name="representative_name"' in page and 'enctype="multipart/form-data"' in page


def test_staff_log_a_parents_request_for_a_child_without_an_address(
    dpo_client, controller, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("birth-certificate.png", b"\x89PNG\r\n\x1a\n certificate")
    with django_capture_on_commit_callbacks(execute=True):
        response = dpo_client.post(reverse("workspace:log_request"), {**_data(), "mandate_document": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    request = SubjectRequest.objects.get()
    representation = Representation.objects.get(request=request)
    assert representation.relationship == "parent" and representation.mandate_content_type == "image/png"
    # The acknowledgement of a request logged by staff goes to the parent, the child's contact.
    assert list(OutgoingEmail.objects.filter(template="intake_acknowledgement").values_list("to", flat=True)) == [
        "els@example.be"
    ]


def test_a_missing_age_band_and_mandate_are_named_and_nothing_is_logged(dpo_client):
    response = dpo_client.post(reverse("workspace:log_request"), _data(minor_age_band=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tell us how old the child is." in page
    assert "Add your mandate: a document, or a statement signed by the person you represent." in page
    assert not SubjectRequest.objects.exists()
