"""The subject's status page: what they see, what they may do, what they never see."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dsar.core.crypto import decrypt_bytes
from requests_app import workflow
from requests_app.models import Attachment, Message, Status
from tests.factories import make_request

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a tiny pdf\n"


def _status(request):
    return reverse("intake:status", kwargs={"token": request.token})


def test_it_shows_status_due_date_and_only_public_events(client, dpo):
    request = make_request(verified=True, language="en")
    workflow.assign(request, actor=dpo, assignee=dpo)
    workflow.add_note(request, actor=dpo, body="Secret internal remark about the subject")
    workflow.request_info(request, actor=dpo, body="Which address did you use with us?")
    page = client.get(_status(request))
    assert page.status_code == 200
    html = page.content.decode()
    assert request.reference in html
    assert "Waiting for your answer" in html
    from django.utils import formats

    assert formats.date_format(request.due_date, "DATE_FORMAT") in html
    assert "Which address did you use with us?" in html
    assert "Secret internal remark" not in html
    assert "dpo" not in html.lower().replace("data protection officer", "")  # no staff names
    texts = [t for _e, t in page.context["timeline"]]
    assert texts == [
        "We received your request.",
        "You confirmed your e-mail address.",
        "We asked you for more information.",
    ]
    assert all(event.public for event, _t in page.context["timeline"])
    assert "no-store" in page["Cache-Control"] and "noindex" in page["X-Robots-Tag"]


def test_an_unknown_or_purged_link_gets_a_clear_page_and_a_fresh_link_form(client):
    response = client.get(reverse("intake:status", kwargs={"token": "not-a-real-token"}))
    assert response.status_code == 404 and b'action="/link/"' in response.content
    request = make_request(verified=False)
    workflow.expire(request)
    workflow.purge_personal_data(request)
    assert client.get(_status(request)).status_code == 404


def test_the_subject_answers_with_an_attachment_stored_encrypted(client, dpo):
    request = make_request(verified=True)
    workflow.request_info(request, actor=dpo, body="Please send your last invoice.")
    upload = SimpleUploadedFile("factuur.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("intake:reply", kwargs={"token": request.token}),
        {"body": "Hier is mijn factuur.", "attachments": [upload]},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.NEW
    reply = Message.objects.get(direction=Message.Direction.FROM_SUBJECT)
    assert reply.body == "Hier is mijn factuur."
    attachment = Attachment.objects.get()
    assert attachment.original_name == "factuur.pdf" and attachment.content_type == "application/pdf"
    stored = attachment.file.read()
    assert stored != PDF and decrypt_bytes(stored) == PDF
    page = client.get(_status(request)).content.decode()
    assert "Hier is mijn factuur." in page and "factuur.pdf" in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("run.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\xff\xff", b"not a PDF"),
        ("fake.pdf", b"\x7fELF\x02\x01\x01\x00\x00\xff\xfe", b"not a PDF"),
    ],
)
def test_it_refuses_attachments_of_other_types(client, dpo, name, content, message):
    request = make_request(verified=True, language="en")
    workflow.request_info(request, actor=dpo, body="?")
    upload = SimpleUploadedFile(name, content)
    response = client.post(
        reverse("intake:reply", kwargs={"token": request.token}), {"body": "x", "attachments": [upload]}
    )
    assert response.status_code == 400 and message in response.content
    assert not Message.objects.filter(direction=Message.Direction.FROM_SUBJECT).exists()
    assert b">\nx</textarea>" in response.content  # what was typed is kept


def test_it_refuses_too_large_or_too_many_attachments(client, dpo, settings):
    settings.DSAR_ATTACHMENT_MAX_MB = 1
    request = make_request(verified=True, language="en")
    workflow.request_info(request, actor=dpo, body="?")
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024))
    url = reverse("intake:reply", kwargs={"token": request.token})
    assert b"larger than 1 MB" in client.post(url, {"body": "x", "attachments": [big]}).content
    many = [SimpleUploadedFile(f"{n}.txt", b"hello") for n in range(settings.DSAR_ATTACHMENT_MAX_FILES + 1)]
    assert b"at most" in client.post(url, {"body": "x", "attachments": many}).content
    assert not Attachment.objects.exists()


def test_the_subject_cancels_after_confirming(client):
    request = make_request(verified=True, language="en")
    url = reverse("intake:cancel", kwargs={"token": request.token})
    assert b"Yes, cancel my request" in client.get(url).content
    request.refresh_from_db()
    assert request.status == Status.NEW
    assert client.post(url).status_code == 302
    request.refresh_from_db()
    assert request.status == Status.CANCELLED
    page = client.get(_status(request)).content.decode()
    assert "The request was cancelled." in page and "Cancel this request" not in page


def test_a_finished_request_takes_no_answer(client, dpo):
    request = make_request(verified=True, language="en")
    workflow.cancel(request)
    response = client.post(reverse("intake:reply", kwargs={"token": request.token}), {"body": "late"}, follow=True)
    assert b"no longer takes answers" in response.content
    assert not Message.objects.exists()


def test_a_form_sent_without_its_security_token_gets_an_explanation():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("intake:form"), {"full_name": "X"})
    assert response.status_code == 403 and b"Please send the form again" in response.content


def test_the_form_works_without_activities_and_says_why_none_are_listed(client):
    page = client.get(reverse("intake:form")).content.decode()
    assert "We have no such processing to list at the moment" in page
    assert "We have no consents to list at the moment" in page


def test_the_form_lists_the_register_in_the_subjects_language(client, activities):
    page = client.get(reverse("intake:form"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'lang="nl"' in page and "Nieuwsbrief" in page and "Direct marketing" in page
    assert "Facturatie" not in page  # a contract is neither objectionable here nor consent


def test_reasons_written_by_staff_for_the_file_stay_off_the_page(client, dpo):
    request = make_request(verified=True, language="en")
    workflow.change_type(
        request,
        actor=dpo,
        request_type="objection",
        type_details={"activities": []},
        reason="Subject sounds angry; probably marketing",
    )
    html = client.get(_status(request)).content.decode()
    assert "We recorded your request as: Objection to processing (Art. 21)." in html
    assert "sounds angry" not in html


def test_cancelling_e_mails_a_confirmation_in_the_subjects_language(
    client, controller, django_capture_on_commit_callbacks
):
    request = make_request(verified=True, language="nl", full_name="Lotte Peeters")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("intake:cancel", kwargs={"token": request.token}))

    (message,) = mail.outbox
    assert message.to == [request.email]
    assert message.subject == f"Uw verzoek {request.reference} is geannuleerd"
    assert "Beste Lotte Peeters," in message.body
    assert f"Zoals u vroeg, hebben we uw verzoek {request.reference} geannuleerd." in message.body
    assert "u kunt op elk moment een nieuw verzoek indienen" in message.body.lower()
    assert f"{settings.SITE_URL}{reverse('intake:form')}\n" in message.body
    assert controller.dpo_email in message.body
    html = message.alternatives[0][0]
    assert request.reference in html and f'href="{settings.SITE_URL}{reverse("intake:form")}"' in html


def test_cancelling_an_unconfirmed_request_is_confirmed_too_in_english(client, django_capture_on_commit_callbacks):
    request = make_request(verified=False, language="en")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("intake:cancel", kwargs={"token": request.token}))

    (message,) = mail.outbox
    assert message.subject == f"Your request {request.reference} is cancelled"
    assert "You can send us a new request at any time" in message.body


def test_no_cancellation_e_mail_when_the_request_could_not_be_cancelled(
    client, dpo, django_capture_on_commit_callbacks
):
    request = make_request(verified=True)
    workflow.reject(request, actor=dpo, reason="not_controller")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("intake:cancel", kwargs={"token": request.token}))
    assert not mail.outbox


def test_the_link_token_is_not_kept_in_plain_text(client, db):
    # A copy of the database must not open anyone's status page.
    from django.db import connection

    request = make_request()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM requests_app_subjectrequest WHERE id = %s", [request.pk])
        row = " ".join(str(value) for value in cursor.fetchone())

    assert request.token not in row
    assert client.get(reverse("intake:status", kwargs={"token": request.token})).status_code == 200
    assert client.get(reverse("intake:status", kwargs={"token": request.token_hash})).status_code == 404


@pytest.mark.parametrize(
    ("request_type", "text"),
    [
        ("access", "We are checking the result before we send it."),
        ("erasure", "We prepared the erasure of your data and are checking it before we carry it out."),
        ("restriction", "We prepared the restriction of your data and are checking it before we apply it."),
    ],
)
def test_the_review_step_says_what_is_checked_for_each_right(request_type, text):
    from types import SimpleNamespace

    from requests_app.intake.timeline import describe

    event = SimpleNamespace(kind="request.in_review", request=SimpleNamespace(request_type=request_type))

    assert describe(event) == text
