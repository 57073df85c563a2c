"""Forwarding a request to the controller it belongs to (a care provider's
patient data, Art. 28), and tracking its acknowledgement."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from requests_app.forwarding import services as forwarding_services
from requests_app.models import Forwarding, RequestEvent, Status

pytestmark = pytest.mark.django_db

PROVIDER = {"controller_name": "Huisartsenpraktijk De Linde", "controller_email": "privacy@delinde.example.be"}


@pytest.fixture
def forward(dpo_client, django_capture_on_commit_callbacks):
    def post(subject_request, data=None, client=None):
        with django_capture_on_commit_callbacks(execute=True):
            response = (client or dpo_client).post(
                reverse("workspace:action", args=[subject_request.reference, "forward"]),
                {**PROVIDER, **(data or {})},
                follow=True,
            )
        subject_request.refresh_from_db()
        return response

    return post


def _mail_to(address):
    return [m for m in mail.outbox if address in m.to]


def _ack_link(message) -> str:
    return re.search(r"http://\S+/forwarded/\S+/", message.body).group(0)


def test_the_provider_gets_the_request_and_the_subject_learns_who_will_answer(forward, new_request, controller):
    response = forward(new_request, {"note": "Patient of Dr. Peeters, per the phone call."})

    assert "Request forwarded" in response.content.decode()
    # Patient Rights Act: open until the provider acknowledges, not closed at forwarding.
    assert new_request.status == Status.FORWARDED and new_request.answered_at is not None
    assert new_request.closed_at is None
    (to_provider,) = _mail_to("privacy@delinde.example.be")
    assert new_request.reference in to_provider.subject
    assert new_request.full_name in to_provider.body and new_request.email in to_provider.body
    assert "15" in to_provider.body  # the patient-record deadline of the Patient Rights Act
    assert "/forwarded/" in to_provider.body
    assert "toezichthoudende autoriteit" not in to_provider.body  # a controller, not a data subject (Dutch)
    assert "toezichthoudende autoriteit" in _mail_to(new_request.email)[0].body
    (to_subject,) = _mail_to(new_request.email)
    assert "Huisartsenpraktijk De Linde" in to_subject.body
    event = RequestEvent.objects.get(request=new_request, kind="request.forwarded")
    assert "Peeters" not in str(event.details)  # the note went to a purgeable note
    assert new_request.notes.filter(body__contains="per the phone call").exists()


def test_the_acknowledgement_link_needs_a_press_of_the_button(forward, new_request):
    forward(new_request)
    link = _ack_link(_mail_to("privacy@delinde.example.be")[0])
    provider = Client()

    page = provider.get(link)
    assert page.status_code == 200 and "We received the request" in page.content.decode()
    assert Forwarding.objects.get().acknowledged_at is None  # a mail scanner's GET changes nothing

    done = provider.post(link)
    assert "acknowledged receipt" in done.content.decode()
    assert Forwarding.objects.get().acknowledged_at is not None
    assert RequestEvent.objects.filter(request=new_request, kind="forwarding.acknowledged").exists()
    assert Client().get(link.replace("/forwarded/", "/forwarded/x")).status_code == 404


def test_the_dashboard_and_the_page_show_what_waits_for_an_acknowledgement(forward, new_request, dpo_client):
    forward(new_request)

    board = dpo_client.get(reverse("workspace:dashboard")).content.decode()
    page = dpo_client.get(reverse("workspace:request", args=[new_request.reference])).content.decode()

    assert "1 forwarded request not yet acknowledged" in board and new_request.reference in board
    assert "not yet acknowledged" in page and "Remind the controller" in page


def test_a_silent_provider_is_reminded_after_five_working_days_with_a_fresh_link(
    forward, new_request, django_capture_on_commit_callbacks
):
    forward(new_request)
    first_link = _ack_link(_mail_to("privacy@delinde.example.be")[0])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert forwarding_services.send_due_reminders(timezone.now() + dt.timedelta(days=2)) == 0
    with (
        time_machine.travel(timezone.now() + dt.timedelta(days=9), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert forwarding_services.send_due_reminders() == 1

    (reminder,) = _mail_to("privacy@delinde.example.be")
    assert "Herinnering" in reminder.subject  # the subject's language: Dutch
    assert Client().get(first_link).status_code == 404  # only the newest link works
    assert Client().get(_ack_link(reminder)).status_code == 200


def test_an_auditor_cannot_forward(forward, new_request, auditor_client):
    response = forward(new_request, client=auditor_client)

    assert response.status_code == 403
    assert new_request.status != Status.CLOSED
    assert not mail.outbox


def test_an_invalid_address_is_refused_and_nothing_is_lost(forward, new_request):
    response = forward(new_request, {"controller_email": "not-an-address"})

    assert response.status_code == 400
    assert new_request.status != Status.CLOSED
    assert "Huisartsenpraktijk De Linde" in response.content.decode()  # what was typed is kept


# ------------------------------------------------------------------------------
# Patient Rights Act of 22 August 2002, art. 9 §2: 15 days, tracked to the end
# ------------------------------------------------------------------------------
BRUSSELS = dt.timezone(dt.timedelta(hours=1))


@pytest.fixture
def received_1_december(dpo):
    """A patient's request received on Tuesday 1 December 2026, logged by staff."""
    from requests_app import workflow

    with time_machine.travel(dt.datetime(2026, 12, 1, 10, tzinfo=BRUSSELS), tick=False):
        return workflow.create_request(
            request_type="access",
            full_name="An Patiënt",
            email="an.patient@example.be",
            language="nl",
            actor=dpo,
            channel="email",
            identity_check="known_contact",
        )


def test_forwarding_tells_the_provider_the_due_date_and_the_days_left(forward, received_1_december):
    # Forwarded on Sunday 6 December: 15 days from receipt end on Wednesday 16
    # December, ten days later (the day of receipt itself not counted).
    with time_machine.travel(dt.datetime(2026, 12, 6, 11, tzinfo=BRUSSELS), tick=False):
        forward(received_1_december)
    forwarding = Forwarding.objects.get()
    assert forwarding.due_date == dt.date(2026, 12, 16)
    assert received_1_december.status == Status.FORWARDED
    (to_provider,) = _mail_to("privacy@delinde.example.be")
    body = " ".join(to_provider.body.split())
    assert "16 december 2026" in body and "nog 10 dagen" in body
    event = RequestEvent.objects.get(request=received_1_december, kind="request.forwarded")
    assert event.details["provider_due"] == "2026-12-16"


def test_the_deadline_rolls_to_the_next_working_day(settings):
    from requests_app import deadlines

    # 10 December + 15 days = Christmas Day (a Belgian public holiday): the
    # 26th is a Saturday, so the period ends on Monday 28 December (Reg. 1182/71, Art. 3(4)).
    assert deadlines.patient_rights_deadline(dt.date(2026, 12, 10)) == dt.date(2026, 12, 28)
    settings.DSAR_PATIENT_RIGHTS_DAYS = 10  # configurable
    assert deadlines.patient_rights_deadline(dt.date(2026, 12, 1)) == dt.date(2026, 12, 11)


def test_the_acknowledgement_closes_the_forwarded_request_with_an_event(forward, received_1_december):
    forward(received_1_december)
    link = _ack_link(_mail_to("privacy@delinde.example.be")[0])

    Client().post(link)

    received_1_december.refresh_from_db()
    assert received_1_december.status == Status.CLOSED and received_1_december.closed_at is not None
    closing = RequestEvent.objects.get(request=received_1_december, kind="request.forwarding_closed")
    assert closing.status_before == Status.FORWARDED and closing.public


def test_the_dpo_records_an_acknowledgement_received_by_other_means(forward, received_1_december, dpo_client):
    forward(received_1_december)
    dpo_client.post(reverse("workspace:action", args=[received_1_december.reference, "acknowledge_forwarding"]))
    received_1_december.refresh_from_db()
    assert received_1_december.status == Status.CLOSED
    assert RequestEvent.objects.get(request=received_1_december, kind="forwarding.acknowledged").actor is not None


def test_the_provider_is_reminded_before_the_due_date_and_the_queue_flags_it_overdue(
    received_1_december, dpo, dpo_client, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(dt.datetime(2026, 12, 10, 11, tzinfo=BRUSSELS), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        forwarding_services.forward_request(received_1_december, actor=dpo, **PROVIDER)
    mail.outbox.clear()
    # Forwarded on Thursday 10 December, due Wednesday 16: far from five silent
    # working days, but on Sunday 13, three days before the due date, the
    # provider is reminded (once), so that the patient's 15 days are kept.
    with time_machine.travel(dt.datetime(2026, 12, 12, 9, tzinfo=BRUSSELS), tick=False):
        assert forwarding_services.send_due_reminders() == 0
    with (
        time_machine.travel(dt.datetime(2026, 12, 13, 9, tzinfo=BRUSSELS), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert forwarding_services.send_due_reminders() == 1
        assert forwarding_services.send_due_reminders() == 0
    assert len(_mail_to("privacy@delinde.example.be")) == 1
    forwarding = Forwarding.objects.get()
    assert forwarding_services.is_overdue(forwarding, today=dt.date(2026, 12, 17))
    assert not forwarding_services.is_overdue(forwarding, today=dt.date(2026, 12, 16))
    # The queue, read today (the staff's session lives in real time): a due date passed.
    Forwarding.objects.update(due_date=timezone.localdate() - dt.timedelta(days=1))
    queue = dpo_client.get(reverse("workspace:queue") + "?status=forwarded").content.decode()
    assert received_1_december.reference in queue and "provider's deadline passed" in queue
