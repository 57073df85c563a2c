import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from requests_app import emails
from requests_app.intake.services import send_verification
from requests_app.models import OutgoingEmail
from tests.conftest import wait_for
from tests.factories import make_request


def _pending(**kwargs):
    values = {
        "template": "test",
        "to": "subject@example.be",
        "subject": "Hello",
        "body_text": "Text",
        "body_html": "<p>Text</p>",
        **kwargs,
    }
    return OutgoingEmail.objects.create(**values)


@pytest.mark.django_db
def test_a_message_is_sent_with_text_and_html_parts():
    email = _pending()
    assert emails.deliver(email.pk)
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 1
    assert email.body_text == email.body_html == ""  # links and codes do not linger once sent
    sent = mail.outbox[0]
    assert sent.to == ["subject@example.be"] and sent.alternatives[0][1] == "text/html"
    assert emails.deliver(email.pk)  # idempotent: a second run sends nothing more
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_failing_provider_keeps_the_message_pending():
    email = _pending()
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=ConnectionRefusedError("down")):
        assert not emails.deliver(email.pk)
    email.refresh_from_db()
    assert email.sent_at is None and "ConnectionRefusedError" in email.last_error
    assert email.status == OutgoingEmail.Status.PENDING and email.next_attempt_at is not None
    assert emails.deliver_pending() == 0  # not before Celery's backoff has passed
    with time_machine.travel(email.next_attempt_at + dt.timedelta(seconds=1)):
        assert emails.deliver_pending() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_it_keeps_trying_for_the_retry_period_then_gives_up(settings):
    settings.DSAR_EMAIL_RETRY_HOURS = 72
    email = _pending()
    start = email.created_at
    down = mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=ConnectionRefusedError("down"))
    with down, time_machine.travel(start + dt.timedelta(hours=71), tick=False):
        assert not emails.deliver(email.pk)
        email.refresh_from_db()
        assert email.status == OutgoingEmail.Status.PENDING  # still tried after 71 hours
        assert emails.failing().filter(pk=email.pk).exists()  # the DPO has been told since the first hour
    with down, time_machine.travel(start + dt.timedelta(hours=73), tick=False):
        assert emails.deliver(email.pk)  # True: nothing more to do
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED and email.sent_at is None
    assert emails.deliver_pending() == 0


@pytest.mark.django_db
def test_a_message_claimed_by_a_live_sender_is_not_sent_twice():
    email = _pending()
    assert emails._claim(email.pk, timezone.now())
    assert emails.deliver(email.pk)  # another sender has it: nothing sent here
    assert mail.outbox == []
    later = timezone.now() + dt.timedelta(seconds=emails.claim_seconds() + 1)
    with time_machine.travel(later):
        # The first sender died mid-send: its claim expired, the sweep sends it.
        assert emails.deliver_pending() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_no_row_lock_is_held_while_the_mail_server_is_talked_to():
    email = _pending()

    def send(*args, **kwargs):
        assert not connection.in_atomic_block
        return 1

    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=send):
        assert emails.deliver(email.pk)


@pytest.mark.django_db(transaction=True)
def test_a_broker_outage_loses_no_message(monkeypatch):
    from requests_app import tasks

    monkeypatch.setattr(tasks.deliver_email, "apply_async", mock.Mock(side_effect=OSError("broker unreachable")))
    monkeypatch.setattr(emails, "render_email", lambda name, context, language: ("S", "T", "<p>H</p>"))
    with transaction.atomic():
        emails.queue_email("any", to="subject@example.be", context={}, language="nl")
    assert OutgoingEmail.objects.filter(sent_at__isnull=True).count() == 1
    assert emails.deliver_pending() == 1
    assert mail.outbox[0].subject == "S"


@pytest.mark.worker
def test_a_real_worker_delivers_queued_mail(real_worker):
    from requests_app.tasks import deliver_email

    email = _pending()
    deliver_email.delay(email.pk)
    wait_for(lambda: OutgoingEmail.objects.get(pk=email.pk).sent_at)
    assert mail.outbox[0].to == ["subject@example.be"]


@pytest.mark.django_db
def test_a_queued_body_is_encrypted_at_rest():
    email = _pending(body_text="Your code: 482913", body_html="<p>Your code: 482913</p>")

    with connection.cursor() as cursor:
        cursor.execute("SELECT body_text, body_html FROM requests_app_outgoingemail WHERE id = %s", [email.pk])
        raw = cursor.fetchone()

    assert raw[0] and not any("482913" in column for column in raw)
    assert OutgoingEmail.objects.get(pk=email.pk).body_text == "Your code: 482913"


@pytest.mark.django_db
def test_a_message_sent_after_its_request_was_purged_keeps_no_address():
    from requests_app import workflow

    subject_request = make_request()
    workflow.cancel(subject_request)
    email = _pending(request=subject_request)
    workflow.purge_personal_data(subject_request, reason="erasure fulfilled")
    assert OutgoingEmail.objects.get(pk=email.pk).to == "subject@example.be"  # unsent: the purge leaves it

    assert emails.deliver(email.pk)
    assert mail.outbox[-1].to == ["subject@example.be"]
    with connection.cursor() as cursor:
        cursor.execute('SELECT "to", body_text FROM requests_app_outgoingemail WHERE id = %s', [email.pk])
        to, body = cursor.fetchone()
    assert to == f"purged+{subject_request.reference.lower()}@invalid"
    assert "subject@example.be" not in str(body)


@pytest.mark.django_db
def test_an_html_email_says_the_language_it_is_written_in():
    _subject, _text, html = emails.render_email("two_factor_removed", {"user": None}, "nl")

    assert '<html lang="nl">' in html


@pytest.mark.django_db
def test_a_plain_text_email_quotes_text_without_html_escapes():
    context = {"reference": "DSAR-1", "source": "Archief", "instructions": 'Write "no images found".', "url": "x"}

    _subject, text, _html = emails.render_email("processing_manual_task", context, "en")

    assert 'Write "no images found".' in text
    assert "&quot;" not in text


@pytest.mark.django_db
def test_an_art_19_notice_to_a_recipient_does_not_tell_them_how_to_complain():
    from types import SimpleNamespace

    request = SimpleNamespace(reference="DSAR-1", full_name="Lotte Peeters", email="l@example.be", customer_number="")
    context = {"request": request, "recipient": SimpleNamespace(name="Mailer BV"), "request_type": "erasure"}

    _subject, text, html = emails.render_email("recipient_notice", {**context, "ack_url": "https://x"}, "en")

    for body in (text, html):
        assert "Data protection officer of" in body
        assert "lodge a complaint" not in body


@pytest.mark.django_db
def test_the_verification_email_is_rendered_by_the_sender_not_in_the_submission(django_capture_on_commit_callbacks):
    """Issue 17: the submission stores the message unrendered (no link, no
    text at rest); the sender renders it in the subject's language."""

    with django_capture_on_commit_callbacks(execute=False):
        request = make_request(verified=False, language="fr")
        send_verification(request)
    queued = OutgoingEmail.objects.get(request=request, template="intake_verify")
    assert queued.render_later and queued.subject == "" and queued.body_text == ""
    assert mail.outbox == []

    emails.deliver(queued.pk)

    sent = mail.outbox[-1]
    assert sent.to == [request.email] and "Bonjour Subject" in sent.body
    assert "/verify/" in sent.body and "Confirmez" in sent.subject + sent.body
    queued.refresh_from_db()
    assert queued.status == OutgoingEmail.Status.SENT and not queued.render_later


@pytest.mark.django_db
def test_a_verification_email_whose_request_was_purged_is_not_sent(django_capture_on_commit_callbacks):

    with django_capture_on_commit_callbacks(execute=False):
        request = make_request(verified=False)
        send_verification(request)
    queued = OutgoingEmail.objects.get(request=request, template="intake_verify")
    type(request).objects.filter(pk=request.pk).update(purged_at=timezone.now())

    assert emails.deliver(queued.pk) is True
    queued.refresh_from_db()
    assert queued.status == OutgoingEmail.Status.FAILED and mail.outbox == []
