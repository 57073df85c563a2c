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
    assert new_request.status == Status.CLOSED and new_request.answered_at is not None
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
