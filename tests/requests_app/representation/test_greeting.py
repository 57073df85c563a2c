"""An e-mail that goes to the representative greets the representative and
says on whose behalf; the subject's own copy greets the subject (issue 18)."""

from __future__ import annotations

import pytest
from django.core import mail

from requests_app import workflow
from requests_app.representation import services
from tests.factories import make_request
from tests.requests_app.representation.test_mandate_and_emails import represent
from tests.support.export_factories import make_job

pytestmark = pytest.mark.django_db

LAWYER = "an.claes@advocaten.example"
LOTTE = "lotte.peeters@example.be"


def _acknowledge(*, contact: str, language: str, capture):
    request = make_request(verified=False, email=LOTTE, full_name="Lotte Peeters", language=language)
    represent(request, contact=contact)
    mail.outbox.clear()
    with capture(execute=True):
        workflow.verify(request)
    return request, {m.to[0]: m for m in mail.outbox if "Lotte Peeters" in m.body or "An Claes" in m.body}


def _html(message) -> str:
    return message.alternatives[0][0]


def test_the_acknowledgement_to_the_lawyer_greets_the_lawyer_on_lottes_behalf(
    controller, django_capture_on_commit_callbacks
):
    _request, sent = _acknowledge(contact="representative", language="en", capture=django_capture_on_commit_callbacks)
    message = sent[LAWYER]
    assert message.body.startswith("Dear Meester An Claes,")
    assert "We write to you about your request on behalf of Lotte Peeters." in message.body
    assert "Dear Lotte" not in message.body
    html = _html(message)
    assert "Dear Meester An Claes," in html and "on behalf of Lotte Peeters" in html and "Dear Lotte" not in html


def test_with_both_as_contacts_each_copy_greets_its_reader_in_their_language(
    controller, django_capture_on_commit_callbacks
):
    _request, sent = _acknowledge(contact="both", language="nl", capture=django_capture_on_commit_callbacks)
    assert sent[LAWYER].body.startswith("Beste Meester An Claes,")
    assert "We schrijven u over uw verzoek namens Lotte Peeters." in sent[LAWYER].body
    assert sent[LOTTE].body.startswith("Beste Lotte Peeters,")
    assert "namens" not in sent[LOTTE].body


@pytest.mark.parametrize(
    ("language", "greeting", "behalf"),
    [
        ("fr", "Bonjour Meester An Claes,", "au nom de Lotte Peeters"),
        ("de", "Guten Tag Meester An Claes,", "im Namen von Lotte Peeters"),
    ],
)
def test_the_export_ready_email_to_the_lawyer_says_for_whom(
    dpo, controller, language, greeting, behalf, django_capture_on_commit_callbacks
):
    request = make_request(verified=False, email=LOTTE, full_name="Lotte Peeters", language=language)
    represent(request, contact="representative")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.verify(request)
        services.record_mandate_check(request, actor=dpo, accepted=True)
        workflow.approve(request, actor=dpo)
        workflow.start_processing(request)
        make_job(request.reference)
        workflow.processing_done(request)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.fulfil(request, actor=dpo)
    [message] = [m for m in mail.outbox if "/download/" in m.body or "download" in m.body.lower()]
    assert message.to == [LAWYER]
    assert message.body.startswith(greeting)
    assert behalf in message.body and behalf in _html(message)
    assert "Lotte Peeters," not in message.body


# What the lawyer reads about the next steps, and the subject's own words that must not reach them.
NEXT_STEPS_FOR_THE_LAWYER = {
    "en": (
        "We check your authority to act for Lotte Peeters (your mandate) before we act on the request.",
        "We look for the data of Lotte Peeters in all our systems",
        ["We look for your data", "to be sure it is you"],
    ),
    "nl": (
        "Wij controleren uw bevoegdheid om voor Lotte Peeters op te treden (uw volmacht)",
        "Wij zoeken de gegevens van Lotte Peeters in al onze systemen",
        ["Wij zoeken uw gegevens", "zeker te zijn dat u het bent"],
    ),
    "fr": (
        "Nous vérifions votre pouvoir d'agir pour Lotte Peeters (votre mandat)",
        "Nous recherchons les données de Lotte Peeters dans tous nos systèmes",
        ["Nous recherchons vos données", "il s'agit bien de vous"],
    ),
    "de": (
        "Wir prüfen Ihre Befugnis, für Lotte Peeters zu handeln (Ihre Vollmacht)",
        "Wir suchen die Daten von Lotte Peeters in allen unseren Systemen",
        ["Wir suchen Ihre Daten", "dass Sie es sind"],
    ),
}


@pytest.mark.parametrize("language", ["en", "nl", "fr", "de"])
def test_the_acknowledgement_tells_the_lawyer_whose_data_and_that_their_mandate_is_checked(
    controller, language, django_capture_on_commit_callbacks
):
    """Walkthrough finding: the lawyer read "your data" and "to be sure it is you"."""
    _request, sent = _acknowledge(contact="both", language=language, capture=django_capture_on_commit_callbacks)
    mandate, whose, subjects_words = NEXT_STEPS_FOR_THE_LAWYER[language]
    lawyer = sent[LAWYER]
    for text in (lawyer.body, " ".join(_html(lawyer).split()).replace("&#x27;", "'")):
        assert mandate in text and whose in text
        assert not any(words in text for words in subjects_words)
    # The subject's own copy still speaks to the subject about their data.
    assert all(words in sent[LOTTE].body for words in subjects_words)
