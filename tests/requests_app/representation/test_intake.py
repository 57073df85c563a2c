"""A request made by a representative on the public form: the representative's
details and mandate, the minor's age band (Art. 8 GDPR; Belgium: art. 7 of the
Act of 30 July 2018), the link to the one who submits, the subject informed."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from dsar.core.crypto import decrypt_bytes
from requests_app.models import RequestEvent, Status, SubjectRequest
from requests_app.representation.models import Representation
from tests.fixtures.intake import form_data, link_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 power of attorney"


def representative_data(**overrides) -> dict:
    data = form_data(
        on_behalf="on",
        representative_name="Meester An Claes",
        representative_email="an.claes@advocaten.example",
        relationship="lawyer",
        contact="representative",
        mandate_statement="",
    )
    data.update(overrides)
    return data


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def _post(data, *, language="en", files=None):
        payload = dict(data)
        if files:
            payload.update(files)
        with django_capture_on_commit_callbacks(execute=True), translation.override(language):
            return client.post(reverse("intake:form"), payload, HTTP_ACCEPT_LANGUAGE=language)

    return _post


def _confirm(client, django_capture_on_commit_callbacks, message):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(link_in(message.body, "verify"))


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
def test_a_lawyer_sends_a_request_with_a_mandate_document(client, post, language, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("volmacht.pdf", PDF, content_type="application/pdf")
    response = post(representative_data(language=language), language=language, files={"mandate_document": upload})
    assert response.status_code == 302, response.content.decode()[:3000]
    request = SubjectRequest.objects.get()
    representation = Representation.objects.get(request=request)
    assert representation.full_name == "Meester An Claes" and representation.relationship == "lawyer"
    assert representation.mandate_kind == "document" and representation.mandate_content_type == "application/pdf"
    # Stored encrypted: the bytes on disk are not the document.
    with representation.mandate_file.open("rb") as handle:
        stored = handle.read()
    assert PDF not in stored and decrypt_bytes(stored) == PDF
    # The confirmation link goes to the one who submitted: the lawyer.
    assert [m.to for m in mail.outbox] == [["an.claes@advocaten.example"]]
    with translation.override(language):
        greeting = translation.gettext("Dear %(name)s,") % {"name": "Meester An Claes"}
        for_whom = translation.gettext(
            "You make this request for %(subject)s. We check your mandate before we answer."
        ) % {"subject": "Lotte Peeters"}
    assert greeting in mail.outbox[0].body and for_whom in " ".join(mail.outbox[0].body.split())
    event = RequestEvent.objects.get(request=request, kind="representation.recorded")
    assert event.details == {"relationship": "lawyer", "mandate": "document", "contact": "representative"}
    assert "Claes" not in str(event.details)

    # Once the lawyer confirms, the subject is told someone asked in their name, in their language.
    link = representative_message()
    mail.outbox.clear()
    _confirm(client, django_capture_on_commit_callbacks, link)
    request.refresh_from_db()
    assert request.status == Status.NEW
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"an.claes@advocaten.example", "lotte.peeters@example.be"}
    informed = by_address["lotte.peeters@example.be"]
    assert request.reference in informed.subject and "Meester An Claes" in informed.body
    with translation.override(language):
        expected = translation.gettext(
            "We check their mandate before we answer them. Did you not give anyone such a mandate? Then tell our "
            "data protection officer at the address below, quoting the reference."
        )[:40]
    assert expected in " ".join(informed.body.split())


def representative_message():
    [message] = [m for m in mail.outbox if "/verify/" in m.body]
    return message


def test_the_form_in_dutch_names_what_is_missing(post):
    response = post(representative_data(representative_name="", relationship=""), language="nl")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Voeg uw mandaat toe" in page and "Vul uw volledige naam in" in page
    assert not SubjectRequest.objects.exists()


def test_a_parent_gives_the_childs_age_band(post):
    data = representative_data(
        relationship="parent", representative_name="Els Peeters", representative_email="els@example.be", email=""
    )
    data["mandate_statement"] = "I am Lotte's mother; birth certificate available on request."
    response = post(data)
    assert response.status_code == 400
    assert "Tell us how old the child is." in response.content.decode()
    response = post({**data, "minor_age_band": "eleven"})
    assert response.status_code == 400
    assert not SubjectRequest.objects.exists()

    response = post({**data, "minor_age_band": "under_13", "contact": "both"})
    assert response.status_code == 302
    representation = Representation.objects.get()
    # Art. 8 GDPR: for a child the parent is the one we write to, whatever was ticked.
    assert representation.minor_age_band == "under_13" and representation.contact == "representative"
    assert representation.request.email == "" and representation.mandate_kind == "statement"
    assert [m.to for m in mail.outbox] == [["els@example.be"]]


def test_a_mandate_that_is_not_a_document_is_refused(post):
    upload = SimpleUploadedFile(
        "mandate.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\xff\xff", content_type="application/pdf"
    )
    response = post(representative_data(), files={"mandate_document": upload})
    assert response.status_code == 400
    assert "is not a PDF, PNG, JPEG or plain-text file" in response.content.decode()
    assert not SubjectRequest.objects.exists()


def test_without_the_box_ticked_the_representative_fields_are_ignored(post):
    response = post(form_data(representative_name="Someone", relationship="lawyer", language="en"))
    assert response.status_code == 302
    assert not Representation.objects.exists()
    assert [m.to for m in mail.outbox] == [["lotte.peeters@example.be"]]


def test_the_representative_part_waits_for_the_box_and_stays_usable_without_javascript(client):
    html = client.get(reverse("intake:form"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # intake.js hides the part until "I am asking for someone else" is ticked...
    part = html.split('data-shown-with="on_behalf=on"', 1)
    assert len(part) == 2
    # ...while the fields are in the page itself, so a browser without
    # JavaScript shows them, with a hint saying when they apply.
    assert 'name="representative_name"' in part[1] and 'name="representative_name"' not in part[0]
    assert "Only when you ask for someone else:" in part[1]


@pytest.mark.parametrize(
    ("contact", "cancelled_by"),
    [
        ("representative", "by Meester An Claes (lawyer)"),
        ("subject", "by the subject"),
        ("both", "by the subject or Meester An Claes (representative)"),
    ],
)
def test_the_timeline_names_the_representative_who_acted_and_whose_address_was_confirmed(
    client, post, dpo, django_capture_on_commit_callbacks, contact, cancelled_by
):
    post(representative_data(mandate_statement="I, Lotte Peeters, ask An Claes to act for me.", contact=contact))
    request = SubjectRequest.objects.get()
    _confirm(client, django_capture_on_commit_callbacks, mail.outbox[0])
    client.post(reverse("intake:cancel", args=[request.token]))
    client.force_login(dpo)

    page = client.get(reverse("workspace:request", args=[request.reference]), HTTP_ACCEPT_LANGUAGE="en")
    events = {event.kind: event.by for event in page.context["events"]}
    # The lawyer sent the form and confirmed its link; the status link went where the mandate says.
    assert events["request.created"] == "by Meester An Claes (lawyer)"
    assert events["representation.recorded"] == "by Meester An Claes (lawyer)"
    assert events["request.verify"] == "by Meester An Claes (lawyer)"
    assert events["request.cancel"] == cancelled_by
    assert "The representative&#x27;s e-mail address confirmed by link" in page.content.decode()
    from requests_app.audit.evidence import render_html

    request.refresh_from_db()
    with translation.override("en"):
        pack, _chain = render_html(request, user=dpo)
    assert "by Meester An Claes (lawyer)" in pack and "by the representative (the lawyer)" not in pack
    assert "(The representative&#x27;s e-mail address confirmed by link)" in pack


@pytest.mark.parametrize(
    ("language", "named", "after_purge"),
    [
        ("en", "by Meester An Claes (lawyer)", "by the representative (the lawyer)"),
        ("nl", "door Meester An Claes (advocaat)", "door de vertegenwoordiger (de advocaat)"),
        ("fr", "par Meester An Claes (avocat)", "par le représentant (l&#x27;avocat)"),
        ("de", "durch Meester An Claes (Rechtsanwalt)", "durch den Vertreter (den Anwalt)"),
    ],
)
def test_the_timeline_names_the_lawyer_and_only_their_role_once_the_name_is_purged(
    client, post, dpo, django_capture_on_commit_callbacks, language, named, after_purge
):
    """Walkthrough finding: the timeline said "the representative (the lawyer)", not who."""
    post(representative_data(mandate_statement="I, Lotte Peeters, ask An Claes to act for me."))
    request = SubjectRequest.objects.get()
    _confirm(client, django_capture_on_commit_callbacks, mail.outbox[0])
    client.force_login(dpo)
    url = reverse("workspace:request", args=[request.reference])

    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert named in page and after_purge not in page

    from requests_app.representation.services import forget

    forget(request)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert after_purge in page and "Meester An Claes" not in page
