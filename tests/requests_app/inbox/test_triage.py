"""The DPO's three decisions on an e-mail: a request of it (received the day
the mail arrived, acknowledged like the form's), a reply to an existing
request, or not a request, with a reason kept."""

from __future__ import annotations

import datetime as dt

import pytest

from requests_app import workflow
from requests_app.inbox import selectors, services
from requests_app.inbox.models import InboxEvent, InboxSource, InboxState
from requests_app.models import Channel, Message, OutgoingEmail, Status
from tests.fixtures.workspace import logged_request

from .messages import FR, PDF, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(db):
    return services.receive(build(attachments=(("id.pdf", PDF, "application", "pdf"),)), source=InboxSource.IMAP)


def test_it_turns_an_email_into_a_request_received_the_day_the_mail_arrived(
    dpo, item, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = services.convert_to_request(
            item,
            actor=dpo,
            request_type="access",
            full_name="Jan Peeters",
            language="nl",
            identity_check="known_contact",
        )
    assert request.channel == Channel.EMAIL
    assert request.status == Status.NEW
    assert request.email == "jan@example.be"
    assert request.received_at == item.received_at
    assert request.received_at.astimezone(dt.timezone(dt.timedelta(hours=1))).date() == dt.date(2026, 12, 4)
    message = request.messages.get()
    assert message.direction == Message.Direction.FROM_SUBJECT
    assert "inzage" in message.body
    assert [a.content_type for a in message.attachments.all()] == ["application/pdf"]
    item.refresh_from_db()
    assert (item.state, item.request, item.handled_by) == (InboxState.CONVERTED, request, dpo)
    assert request.events.filter(kind="inbox.converted", details__inbox_item=item.code).exists()
    # The same acknowledgement as a request made through the form.
    assert OutgoingEmail.objects.filter(request=request, template="intake_acknowledgement").count() == 1


def test_an_email_cannot_become_two_requests(dpo, item):
    services.convert_to_request(
        item, actor=dpo, request_type="access", full_name="Jan", language="nl", identity_check="known_contact"
    )
    with pytest.raises(workflow.NotPossibleNow):
        services.convert_to_request(
            item, actor=dpo, request_type="access", full_name="Jan", language="nl", identity_check="known_contact"
        )


def test_an_auditor_cannot_triage(auditor, item):
    with pytest.raises(workflow.ActionForbidden):
        services.dismiss(item, actor=auditor, reason="spam")


def test_a_reply_is_matched_by_the_reference_in_its_subject_and_attached(dpo):
    request = logged_request(dpo, email="marie@example.fr")
    reply = services.receive(
        build(sender="marie@example.fr", subject=f"Re: {request.reference}", text=FR, message_id="<r@x>"),
        source=InboxSource.WEBHOOK,
    )
    assert selectors.matching_request(reply) == request
    services.attach_to_request(reply, actor=dpo, request=request)
    assert request.messages.get().subject_line == f"Re: {request.reference}"
    assert request.events.filter(kind="inbox.attached").exists()


def test_a_reply_is_matched_by_its_thread_headers(dpo, item):
    request = services.convert_to_request(
        item, actor=dpo, request_type="access", full_name="Jan", language="nl", identity_check="known_contact"
    )
    follow_up = services.receive(
        build(subject="Re: Inzage", message_id="<m2@x>", headers={"In-Reply-To": "<m1@mail.example.be>"}),
        source=InboxSource.IMAP,
    )
    assert selectors.matching_request(follow_up) == request


def test_a_reply_to_a_request_for_information_resumes_the_clock(dpo):
    request = logged_request(dpo, email="marie@example.fr")
    workflow.request_info(request, actor=dpo, body="Welke klantnummer?")
    reply = services.receive(build(sender="marie@example.fr", message_id="<r2@x>"), source=InboxSource.IMAP)
    services.attach_to_request(reply, actor=dpo, request=request)
    request.refresh_from_db()
    assert request.status == Status.NEW
    assert not request.pauses.filter(ended_at__isnull=True).exists()


def test_dismissing_keeps_the_reason_and_an_event(dpo, item):
    with pytest.raises(workflow.WorkflowError):
        services.dismiss(item, actor=dpo, reason="  ")
    services.dismiss(item, actor=dpo, reason="A supplier's invoice")
    item.refresh_from_db()
    assert (item.state, item.dismiss_reason) == (InboxState.DISMISSED, "A supplier's invoice")
    event = InboxEvent.objects.get(item=item, kind="inbox.dismissed")
    assert event.actor == dpo
    assert not selectors.items_to_triage().exists()
