"""From the form to a confirmed request: the e-mailed link, its expiry and single use."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from requests_app import workflow
from requests_app.intake.services import expire_unverified, send_verification
from requests_app.models import OutgoingEmail, Status, SubjectRequest
from tests.fixtures.intake import form_data, link_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def submit(client, django_capture_on_commit_callbacks):
    def _submit(**overrides):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("intake:form"), form_data(**overrides))
        return response

    return _submit


def _without_csrf(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def _run(client, django_capture_on_commit_callbacks, method, path, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return getattr(client, method)(path, **kwargs)


def test_it_records_an_unconfirmed_request_and_e_mails_a_link(submit):
    response = submit(language="nl")
    assert response.status_code == 302 and response.url == reverse("intake:submitted")
    request = SubjectRequest.objects.get()
    assert request.status == Status.UNVERIFIED and request.channel == "web"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lotte.peeters@example.be"]
    assert "Bevestig" in message.subject  # in the language the subject chose
    assert "/verify/" in message.body and message.alternatives[0][1] == "text/html"


def test_the_page_after_sending_reveals_nothing_about_the_address(client, submit):
    submit()
    page = client.get(reverse("intake:submitted")).content.decode()
    assert "lotte" not in page.lower() and "DSAR-" not in page


def test_opening_the_link_does_not_confirm_only_the_button_does(client, submit, django_capture_on_commit_callbacks):
    submit()
    path = link_in(mail.outbox[0].body, "verify")
    page = client.get(path)
    assert page.status_code == 200 and b'method="post"' in page.content
    assert SubjectRequest.objects.get().status == Status.UNVERIFIED

    response = _run(client, django_capture_on_commit_callbacks, "post", path)
    request = SubjectRequest.objects.get()
    assert request.status == Status.NEW and request.verified_at
    assert response.status_code == 302 and response.url == reverse("intake:status", kwargs={"token": request.token})


def test_the_acknowledgement_tells_reference_right_dates_next_steps_and_contacts(
    client, submit, controller, django_capture_on_commit_callbacks
):
    submit(language="en", request_type="erasure", erasure_scope="all")
    _run(client, django_capture_on_commit_callbacks, "post", link_in(mail.outbox[0].body, "verify"))
    request = SubjectRequest.objects.get()
    ack = mail.outbox[-1]
    assert request.reference in ack.subject
    body = ack.body
    assert request.reference in body
    assert "Erasure of my data" in body
    assert "What happens next" in body
    assert controller.dpo_email in body and controller.authority_name in body
    assert link_in(body, "status") == reverse("intake:status", kwargs={"token": request.token})
    from django.utils import formats, translation

    with translation.override("en"):
        assert formats.date_format(request.due_date, "DATE_FORMAT") in body
        assert formats.date_format(timezone.localtime(request.received_at).date(), "DATE_FORMAT") in body


def test_a_used_link_cannot_confirm_again(client, submit, django_capture_on_commit_callbacks):
    submit(language="en")  # the page speaks the request's language
    path = link_in(mail.outbox[0].body, "verify")
    _run(client, django_capture_on_commit_callbacks, "post", path)
    events = SubjectRequest.objects.get().event_count
    for method in ("get", "post"):
        response = client.get(path) if method == "get" else client.post(path)
        assert response.status_code == 410
        assert b"already used" in response.content
        assert b'action="/link/"' in response.content  # a way to get a fresh link
    assert SubjectRequest.objects.get().event_count == events


def test_an_expired_link_says_so_and_confirms_nothing(client, submit, settings):
    submit(language="en")  # the page speaks the request's language
    path = link_in(mail.outbox[0].body, "verify")
    with time_machine.travel(timezone.now() + dt.timedelta(days=settings.DSAR_VERIFICATION_DAYS, minutes=1)):
        response = client.post(path)
    assert response.status_code == 410 and b"expired" in response.content
    assert SubjectRequest.objects.get().status == Status.UNVERIFIED


def test_a_tampered_link_is_refused(client, submit):
    submit()
    path = link_in(mail.outbox[0].body, "verify")
    response = client.post(path.replace("/verify/", "/verify/x"))
    assert response.status_code == 404 and b"does not work" in response.content


def test_unconfirmed_requests_expire_and_lose_their_personal_data(submit, settings):
    submit(details="Mijn adres is Kerkstraat 1", phone="0470123456")
    with time_machine.travel(timezone.now() + dt.timedelta(days=settings.DSAR_VERIFICATION_DAYS, hours=1)):
        assert expire_unverified() == 1
    request = SubjectRequest.objects.get()
    assert request.status == Status.EXPIRED and request.purged_at
    assert request.full_name == "—" and not request.phone and not request.details
    assert "lotte" not in request.email
    assert request.reference and request.request_type == "access" and request.received_at
    assert list(request.events.values_list("kind", flat=True)) == [
        "request.created",
        "request.expire",
        "request.purged",
    ]


def test_the_expiry_task_leaves_confirmed_and_recent_requests_alone(submit, settings):
    from tests.factories import make_request

    confirmed = make_request(verified=True)
    submit()
    with time_machine.travel(timezone.now() + dt.timedelta(days=settings.DSAR_VERIFICATION_DAYS - 1)):
        assert expire_unverified() == 0
    assert SubjectRequest.objects.filter(status=Status.UNVERIFIED).count() == 1
    confirmed.refresh_from_db()
    assert confirmed.status == Status.NEW and not confirmed.purged_at


def test_a_fresh_link_is_e_mailed_without_telling_whether_a_request_exists(client, submit):
    submit()
    mail.outbox.clear()
    OutgoingEmail.objects.all().delete()
    known = client.post(reverse("intake:new_link"), {"email": "LOTTE.peeters@example.be"})
    unknown = client.post(reverse("intake:new_link"), {"email": "nobody@example.be"})
    assert known.status_code == unknown.status_code == 302 and known.url == unknown.url
    assert _without_csrf(client.get(known.url)) == _without_csrf(client.get(unknown.url))
    emails = OutgoingEmail.objects.all()
    assert [e.to for e in emails] == ["lotte.peeters@example.be"]
    # The fresh verification link works.
    path = link_in(emails[0].body_text, "verify")
    assert client.get(path).status_code == 200


def test_a_fresh_verification_link_still_works_once_the_old_one_is_used(client, django_capture_on_commit_callbacks):
    from tests.factories import make_request

    request = make_request(verified=False)
    send_verification(request)
    first = link_in(_sent(OutgoingEmail.objects.last()), "verify")
    send_verification(request)
    second = link_in(_sent(OutgoingEmail.objects.last()), "verify")
    _run(client, django_capture_on_commit_callbacks, "post", second)
    assert client.post(first).status_code == 410
    request.refresh_from_db()
    assert request.status == Status.NEW


def test_a_request_logged_by_staff_is_acknowledged_too(dpo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = workflow.create_request(
            request_type="access",
            full_name="Jan Janssens",
            email="jan@example.be",
            language="fr",
            actor=dpo,
            channel="letter",
            identity_check="known_contact",
        )
    assert mail.outbox[-1].to == ["jan@example.be"] and request.reference in mail.outbox[-1].subject


def test_a_request_past_its_confirmation_period_cannot_be_revived_by_a_fresh_link(client, submit, settings):
    submit()
    request = SubjectRequest.objects.get()
    OutgoingEmail.objects.all().delete()
    later = timezone.now() + dt.timedelta(days=settings.DSAR_VERIFICATION_DAYS, hours=1)
    with time_machine.travel(later):
        client.post(reverse("intake:new_link"), {"email": request.email})
        assert not OutgoingEmail.objects.exists()
        send_verification(request)  # even a link signed now
        path = link_in(_sent(OutgoingEmail.objects.get()), "verify")
        assert client.post(path).status_code == 410
    request.refresh_from_db()
    assert request.status == Status.UNVERIFIED


def test_a_request_cancelled_before_confirmation_loses_its_personal_data(submit):
    submit(details="Mijn adres is Kerkstraat 1")
    request = SubjectRequest.objects.get()
    workflow.cancel(request)
    expire_unverified()
    request.refresh_from_db()
    assert request.status == Status.CANCELLED and request.purged_at and not request.details


def _sent(email: OutgoingEmail) -> str:
    """The body of a queued message as it leaves (the verification e-mail is
    rendered by the sender, issue 17)."""
    from requests_app import emails

    emails.deliver(email.pk)
    return mail.outbox[-1].body
