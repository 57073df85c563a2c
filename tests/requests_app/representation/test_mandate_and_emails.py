"""The DPO's check of the mandate (proportionate, Art. 12(6)), and the e-mails
going where the mandate says: the representative, the subject, or both."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from requests_app import workflow
from requests_app.delivery import services as delivery_services
from requests_app.models import OutgoingEmail, RequestEvent, Status
from requests_app.representation import services
from requests_app.representation.models import MandateCheck
from tests.factories import make_request

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 power of attorney"


def represent(request, *, contact="representative", relationship="lawyer", age_band="", document=True):
    return services.attach_representative(
        request,
        data={
            "full_name": "Meester An Claes",
            "email": "an.claes@advocaten.example",
            "relationship": relationship,
            "minor_age_band": age_band,
            "contact": contact,
            "mandate_kind": "document" if document else "statement",
            "mandate_statement": "" if document else "I, Lotte Peeters, ask An Claes to act for me. 3 March.",
            "mandate_document": SimpleUploadedFile("volmacht.pdf", PDF) if document else None,
        },
    )


@pytest.fixture
def represented(db):
    request = make_request(verified=False, email="lotte.peeters@example.be", full_name="Lotte Peeters")
    represent(request)
    workflow.verify(request)
    return request


def _recipients(template: str) -> list[str]:
    return sorted(OutgoingEmail.objects.filter(template=template).values_list("to", flat=True))


def test_the_dpo_sees_the_representative_and_checks_the_mandate(dpo_client, represented, controller):
    page = dpo_client.get(reverse("workspace:request", args=[represented.reference])).content.decode()
    assert "Meester An Claes" in page and "Lawyer" in page
    assert "Check the mandate before you approve the request" in page
    response = dpo_client.post(reverse("representation:check", args=[represented.reference]), {"decision": "accepted"})
    assert response.status_code == 302
    represented.representation.refresh_from_db()
    assert represented.representation.check_status == MandateCheck.ACCEPTED
    event = RequestEvent.objects.get(request=represented, kind="mandate.accepted")
    assert event.details["relationship"] == "lawyer" and "Claes" not in str(event.details)
    page = dpo_client.get(reverse("workspace:request", args=[represented.reference])).content.decode()
    assert "Mandate accepted" in page and "Check the mandate before" not in page


def test_a_mandate_that_falls_short_asks_the_representative_for_a_better_one(
    dpo_client, represented, django_capture_on_commit_callbacks
):
    url = reverse("representation:check", args=[represented.reference])
    dpo_client.post(url, {"decision": "refused"})
    assert not RequestEvent.objects.filter(request=represented, kind="mandate.refused").exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        dpo_client.post(url, {"decision": "refused", "reason": "The power of attorney is not signed."})
    represented.refresh_from_db()
    assert represented.status == Status.NEW  # not refused: a better mandate is asked for
    assert represented.representation.check_status == MandateCheck.REFUSED
    [message] = mail.outbox
    assert message.to == ["an.claes@advocaten.example"]
    assert "The power of attorney is not signed." in message.body and "/status/" in message.body


def test_the_request_page_opens_the_mandate_and_records_it(dpo_client, auditor_client, represented):
    response = dpo_client.get(reverse("representation:download", args=[represented.reference]))
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert RequestEvent.objects.filter(request=represented, kind="mandate.downloaded").count() == 1
    # An auditor reads, and may not check the mandate.
    assert auditor_client.get(reverse("representation:download", args=[represented.reference])).status_code == 200
    refused = auditor_client.post(
        reverse("representation:check", args=[represented.reference]), {"decision": "accepted"}
    )
    assert refused.status_code == 403


def test_an_agent_not_assigned_may_not_check_the_mandate(agent, represented):
    with pytest.raises(workflow.ActionForbidden):
        services.record_mandate_check(represented, actor=agent, accepted=True)
    assert RequestEvent.objects.filter(request=represented, kind="action.refused").exists()


@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        ("representative", ["an.claes@advocaten.example"]),
        ("subject", ["lotte.peeters@example.be"]),
        ("both", ["an.claes@advocaten.example", "lotte.peeters@example.be"]),
    ],
)
def test_the_emails_and_the_copy_go_where_the_mandate_says(dpo, contact, expected, django_capture_on_commit_callbacks):
    request = make_request(verified=False, email="lotte.peeters@example.be")
    represent(request, contact=contact)
    with django_capture_on_commit_callbacks(execute=True):
        from requests_app.intake.services import send_verification

        send_verification(request)
        workflow.verify(request)
    # The confirmation link: always to the one who submitted.
    assert _recipients("intake_verify") == ["an.claes@advocaten.example"]
    assert _recipients("intake_acknowledgement") == expected
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_info(request, actor=dpo, body="Which customer number?")
    assert _recipients("workspace_request_info") == expected
    # The copy (Art. 15): its download code goes to whom the mandate says.
    link, _token = delivery_services.create_link(request)
    with django_capture_on_commit_callbacks(execute=True):
        delivery_services.send_code(link)
    assert _recipients("download_code") == expected
    # Only when the subject does not read our e-mails are they told someone asked in their name.
    informed = _recipients("representation_subject_informed")
    assert informed == ([] if contact in ("subject", "both") else ["lotte.peeters@example.be"])


def test_a_parent_is_the_contact_and_the_child_is_not_written_to(django_capture_on_commit_callbacks):
    request = make_request(verified=False, email="")
    represent(request, relationship="parent", age_band="under_13", contact="representative", document=False)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.verify(request)
    assert _recipients("intake_acknowledgement") == ["an.claes@advocaten.example"]
    assert not OutgoingEmail.objects.filter(template="representation_subject_informed").exists()


def test_the_purge_forgets_the_representative_and_the_mandate(dpo, represented, django_capture_on_commit_callbacks):
    representation = represented.representation
    path = representation.mandate_file.path
    workflow.close(represented, actor=dpo, reason="Withdrawn.")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.purge_personal_data(represented, reason="test")
    representation.refresh_from_db()
    assert representation.full_name == "—" and representation.email == "" and not representation.mandate_file
    assert not Path(path).exists()
    assert representation.relationship == "lawyer"  # the code stays as evidence


def test_nothing_is_approved_on_a_representatives_word_before_the_mandate_is_accepted(api, dpo, represented):
    with pytest.raises(workflow.NotPossibleNow):
        workflow.approve(represented, actor=dpo)
    represented.refresh_from_db()
    assert represented.status == Status.NEW
    response = api(dpo, "post", f"/api/v1/requests/{represented.reference}/approve/", {})
    assert response.status_code == 409 and "mandate" in response.json()["detail"]
    services.record_mandate_check(represented, actor=dpo, accepted=True)
    workflow.approve(represented, actor=dpo)
    represented.refresh_from_db()
    assert represented.status != Status.NEW


# The notice that someone asked in the subject's name, as the subject reads it in their language.
NOTICE = {
    "en": ("Dear Lotte Peeters,", "We check their mandate before we answer them."),
    "nl": ("Beste Lotte Peeters,", "We controleren de volmacht voor we antwoorden."),
    "fr": ("Bonjour Lotte Peeters,", "Nous vérifions son mandat avant de lui répondre."),
    "de": ("Guten Tag Lotte Peeters,", "Wir prüfen die Vollmacht, bevor wir antworten."),
}


@pytest.mark.parametrize(
    ("lawyer_language", "subject_language"), [("fr", "en"), ("fr", "nl"), ("nl", "fr"), ("fr", "de")]
)
def test_the_subject_is_told_in_their_own_language_that_a_lawyer_acts_for_them(
    controller, lawyer_language, subject_language, django_capture_on_commit_callbacks
):
    """Walkthrough finding: the notice went out in the lawyer's language (the request's)."""
    request = make_request(
        verified=False, email="lotte.peeters@example.be", full_name="Lotte Peeters", language=lawyer_language
    )
    represent(request)
    request.representation.subject_language = subject_language
    request.representation.save(update_fields=["subject_language"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.verify(request)

    [notice] = [m for m in mail.outbox if m.to == ["lotte.peeters@example.be"]]
    greeting, mandate = NOTICE[subject_language]
    assert notice.body.startswith(greeting) and mandate in notice.body
    # The lawyer's own acknowledgement stays in the language of the request.
    [lawyer] = [m for m in mail.outbox if m.to == ["an.claes@advocaten.example"]]
    assert lawyer.body.startswith(NOTICE[lawyer_language][0].replace("Lotte Peeters", "Meester An Claes"))


def test_the_form_records_the_language_of_the_person_represented(client, django_capture_on_commit_callbacks):
    from requests_app.models import SubjectRequest
    from tests.requests_app.representation.test_intake import representative_data

    data = representative_data(mandate_statement="I, Lotte Peeters, ask An Claes to act for me.", language="fr")
    data["subject_language"] = "nl"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("intake:form"), data, HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 302
    request = SubjectRequest.objects.get()
    assert request.language == "fr" and request.representation.subject_language == "nl"


def test_the_api_takes_the_language_of_the_person_represented(api, dpo):
    from requests_app.models import SubjectRequest
    from tests.requests_app.representation.test_api import URL, _public, _representative

    response = api(None, "post", URL, _public(representative=_representative(subject_language="de")))
    assert response.status_code == 201, response.content
    request = SubjectRequest.objects.get(reference=response.json()["reference"])
    assert request.representation.subject_language == "de"
