"""A parent asks in French for their child's data on the public form, with a
birth certificate as the mandate; the confirmation link reaches the parent."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from requests_app.representation.models import Representation
from tests.factories import sent_email

pytestmark = pytest.mark.browser


def test_a_parent_sends_a_request_for_a_child_with_a_mandate_document(page, live_server, transactional_db, tmp_path):
    certificate = tmp_path / "acte-de-naissance.pdf"
    certificate.write_bytes(b"%PDF-1.4 acte de naissance")
    page.goto("/")
    page.get_by_role("button", name=re.compile("FR")).click()
    page.wait_for_selector('html[lang="fr"]')
    page.locator('input[name="request_type"][value="access"]').check()
    page.get_by_label("Nom complet").fill("Noor Janssens")
    # The representative's part shows only once the box is ticked.
    assert page.get_by_label("Votre nom, comme représentant").is_hidden()
    page.get_by_label("Je fais la demande pour quelqu'un d'autre").check()
    assert page.get_by_label("Votre nom, comme représentant").is_visible()
    page.get_by_label("Votre nom, comme représentant").fill("Els Janssens")
    page.get_by_label("Votre e-mail, comme représentant").fill("els.janssens@example.be")
    page.get_by_label("Parent d'un mineur").check()

    # Without the child's age band the form says what is missing, and keeps what was typed.
    page.get_by_role("button", name=re.compile("Envoyer")).click()
    summary = page.locator("#error-summary")
    assert "Indiquez-nous l'âge de l'enfant." in summary.inner_text()
    assert page.get_by_label("Votre nom, comme représentant").input_value() == "Els Janssens"

    page.get_by_label("Moins de 13 ans").check()
    page.get_by_label("Votre mandat (un document)").set_input_files(str(certificate))
    page.get_by_role("button", name=re.compile("Envoyer")).click()
    page.wait_for_url(re.compile(re.escape(reverse("intake:submitted")) + "$"))

    representation = Representation.objects.get()
    assert representation.relationship == "parent" and representation.minor_age_band == "under_13"
    assert representation.mandate_content_type == "application/pdf" and representation.request.email == ""
    assert sent_email("intake_verify").to == ["els.janssens@example.be"]
