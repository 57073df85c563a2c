"""Each action on the request page: what changes, and what the subject is e-mailed."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from requests_app import deadlines, workflow
from requests_app.models import Message, RequestType, Status, SubjectRequest
from tests.fixtures.workspace import logged_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def act(dpo_client, django_capture_on_commit_callbacks):
    """POST an action as the DPO, running the after-commit e-mails."""

    def post(subject_request, action, data=None, client=None):
        with django_capture_on_commit_callbacks(execute=True):
            response = (client or dpo_client).post(
                reverse("workspace:action", args=[subject_request.reference, action]), data or {}, follow=True
            )
        subject_request.refresh_from_db()
        return response

    return post


def test_it_approves_a_request(act, new_request):
    response = act(new_request, "approve")
    assert new_request.status == Status.APPROVED
    assert "Request approved." in response.content.decode()


def test_it_assigns_a_request_and_tells_the_colleague(act, new_request, agent):
    act(new_request, "assign", {"assignee": agent.pk})
    assert new_request.assignee == agent
    (email,) = [m for m in mail.outbox if m.to == [agent.email]]
    assert new_request.reference in email.subject


def test_it_asks_the_subject_for_information_by_e_mail(act, new_request):
    act(new_request, "request_info", {"subject_line": "Which account?", "body": "Which customer account is it?"})
    assert new_request.status == Status.AWAITING_SUBJECT
    assert new_request.pauses.filter(ended_at__isnull=True).exists()
    message = Message.objects.get(request=new_request)
    assert message.body == "Which customer account is it?"
    (email,) = mail.outbox
    assert email.to == [new_request.email]
    assert email.subject == "Which account?"
    assert "Which customer account is it?" in email.body
    assert f"/status/{new_request.token}/" in email.body


def test_it_offers_translated_drafts_in_the_subjects_language(dpo_client, dpo):
    request = logged_request(dpo, language="en", full_name="Anna O'Brien")
    page = dpo_client.get(reverse("workspace:request", args=[request.reference]) + "?draft=identity").content.decode()
    assert "we need to confirm your identity" in page
    assert "Dear Anna O&#x27;Brien," in page  # escaped once, in the HTML page only


def test_it_keeps_what_was_typed_when_a_message_is_empty(act, new_request):
    response = act(new_request, "request_info", {"subject_line": "Hello", "body": ""})
    assert response.status_code == 400
    assert 'value="Hello"' in response.content.decode()
    assert new_request.status == Status.NEW
    assert mail.outbox == []


def test_it_rejects_with_reasons_and_the_rights_of_art_12_4(act, new_request, controller):
    act(new_request, "reject", {"reason": "excessive", "details": "Fourth identical request this month."})
    assert new_request.status == Status.REJECTED
    (email,) = mail.outbox
    assert email.to == [new_request.email]
    assert "Fourth identical request this month." in email.body
    # The authority as named in the request's language (the controller's texts per language).
    assert controller.in_language(new_request.language).authority_name in email.body
    assert "judicial remedy" in email.body or "rechter" in email.body.lower()


def test_it_refuses_a_rejection_as_excessive_without_explanation(act, new_request):
    response = act(new_request, "reject", {"reason": "excessive", "details": ""})
    assert "Explain why the request is manifestly unfounded or excessive." in response.content.decode()
    assert new_request.status == Status.NEW
    assert mail.outbox == []


def test_it_extends_the_deadline_and_tells_the_subject_why(act, new_request):
    original = new_request.due_date
    act(new_request, "extend", {"months": "2", "reason": "Data held by three departments."})
    received = deadlines.local_date(new_request.received_at)
    assert new_request.due_date == deadlines.extended_deadline(received, 2)
    assert new_request.original_due_date == original
    (email,) = mail.outbox
    assert "Data held by three departments." in email.body


def test_it_refuses_an_extension_by_three_months(act, new_request):
    act(new_request, "extend", {"months": "3", "reason": "Long"})
    assert new_request.extended_at is None
    assert mail.outbox == []


def test_it_refuses_an_extension_after_the_original_deadline(act, dpo):
    request = logged_request(dpo, days_ago=40)
    response = act(request, "extend", {"months": "1", "reason": "Too late"})
    assert "The original deadline has passed" in response.content.decode()
    assert request.extended_at is None


def test_it_adds_an_internal_note(act, new_request):
    act(new_request, "add_note", {"body": "Called the subject."})
    assert new_request.notes.get().body == "Called the subject."
    assert mail.outbox == []


def test_it_changes_the_type_with_a_reason(act, new_request):
    act(
        new_request,
        "change_type",
        {"request_type": RequestType.ERASURE, "erasure_scope": "all", "reason": "Wants everything deleted."},
    )
    assert new_request.request_type == RequestType.ERASURE
    assert new_request.type_details == {"scope": "all", "specific": ""}


def test_closing_an_unanswered_request_tells_the_subject_why_and_of_their_rights(act, new_request, controller):
    act(new_request, "close", {"reason": "You withdrew it by phone on 24 November."})

    assert new_request.status == Status.CLOSED
    (message,) = [m for m in mail.outbox if new_request.email in m.to]
    assert new_request.reference in message.subject
    assert "You withdrew it by phone on 24 November." in message.body
    assert "supervisory authority" in message.body or "toezichthoudende autoriteit" in message.body
    assert "+32 2 274 48 00" in message.body


def test_an_unanswered_request_is_not_closed_without_a_reason(act, new_request):
    response = act(new_request, "close", {"reason": "  "})

    assert new_request.status != Status.CLOSED
    assert "Give the reason" in response.content.decode()
    assert not mail.outbox


def test_reasons_go_to_notes_and_never_into_the_permanent_audit_trail(act, new_request):
    act(
        new_request,
        "change_type",
        {"request_type": RequestType.ERASURE, "erasure_scope": "all", "reason": "Mr Janssens called."},
    )
    act(new_request, "close", {"reason": "Mr Janssens withdrew it."})

    details = " ".join(str(e.details) for e in new_request.events.all())
    assert "Janssens" not in details
    notes = list(new_request.notes.values_list("body", flat=True))
    assert any("Mr Janssens called." in note for note in notes)
    assert any("Mr Janssens withdrew it." in note for note in notes)


def test_it_shows_a_workflow_error_to_the_user(act, new_request):
    workflow.close(new_request, actor=new_request.assignee or _dpo(), reason="Withdrawn by phone.")
    response = act(new_request, "approve")
    assert "you cannot approve it now" in response.content.decode()


def _dpo():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="dpo")


def test_it_renders_the_panels_of_other_areas(dpo_client, new_request, tmp_path, settings):
    from requests_app.workspace import panels

    template_dir = tmp_path / "tpl"
    (template_dir / "x").mkdir(parents=True)
    (template_dir / "x" / "panel.html").write_text("<p>Panel for {{ subject_request.reference }}: {{ sources }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], template_dir]}]
    panels.register_panel(panels.Panel("test-sources", "x/panel.html", context=lambda r, u: {"sources": "3 sources"}))
    try:
        page = dpo_client.get(reverse("workspace:request", args=[new_request.reference])).content.decode()
    finally:
        panels._panels.pop("test-sources")
    assert f"Panel for {new_request.reference}: 3 sources" in page


def test_it_shows_identity_deadlines_timeline_and_messages(dpo_client, dpo, new_request):
    workflow.request_info(new_request, actor=dpo, body="Please send your customer number.")
    workflow.subject_reply(new_request, body="It is C-100042.")
    page = dpo_client.get(reverse("workspace:request", args=[new_request.reference])).content.decode()
    for text in (
        new_request.full_name,
        new_request.email,
        "E-mail address confirmed by link",
        "Please send your customer number.",
        "It is C-100042.",
        "The subject replied",
        "Waiting for subject",
    ):
        assert text in page, text


def test_it_logs_a_letter_with_its_real_date_of_receipt(dpo_client, dpo):
    received = timezone.localdate() - dt.timedelta(days=10)
    response = dpo_client.post(
        reverse("workspace:log_request"),
        {
            "channel": "letter",
            "identity_check": "known_contact",
            "received_on": received.isoformat(),
            "request_type": "access",
            "language": "fr",
            "full_name": "Marie Dubois",
            "email": "marie@example.be",
            "phone": "+32 470 12 34 56",
        },
    )
    request = SubjectRequest.objects.get(email="marie@example.be")
    assert response.status_code == 302
    assert response.url == reverse("workspace:request", args=[request.reference])
    assert request.status == Status.NEW and request.channel == "letter"
    assert deadlines.local_date(request.received_at) == received
    assert request.due_date == deadlines.legal_deadline(received)
    assert request.phone == "+32470123456"
    assert request.events.get(kind="request.created").actor == dpo


def test_it_refuses_a_date_of_receipt_in_the_future_and_keeps_the_form(dpo_client):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = dpo_client.post(
        reverse("workspace:log_request"),
        {
            "channel": "phone",
            "identity_check": "known_contact",
            "received_on": tomorrow.isoformat(),
            "request_type": "access",
            "language": "nl",
            "full_name": "Piet",
            "email": "piet@example.be",
        },
    )
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()
    assert 'value="piet@example.be"' in response.content.decode()
    assert not SubjectRequest.objects.exists()


def test_it_logs_a_request_received_today_without_a_time_even_early_in_the_morning(dpo_client):
    with time_machine.travel(dt.datetime(2026, 3, 2, 6, 5, tzinfo=dt.UTC), tick=False):
        response = dpo_client.post(
            reverse("workspace:log_request"),
            {
                "channel": "in_person",
                "identity_check": "in_person",
                "received_on": "2026-03-02",
                "request_type": "erasure",
                "erasure_scope": "all",
                "language": "nl",
                "full_name": "Piet",
                "email": "piet@example.be",
            },
        )
    assert response.status_code == 302
    request = SubjectRequest.objects.get()
    assert deadlines.local_date(request.received_at) == dt.date(2026, 3, 2)


def test_it_proposes_today_as_the_date_of_receipt_in_a_date_field(dpo_client):
    page = dpo_client.get(reverse("workspace:log_request")).content.decode()
    assert f'type="date" name="received_on" value="{timezone.localdate().isoformat()}"' in page


def test_the_timeline_says_in_words_what_each_action_changed(act, dpo_client, dpo, new_request):
    old_due = new_request.due_date
    act(
        new_request,
        "change_type",
        {"request_type": "erasure", "erasure_scope": "all", "reason": "Asked to delete everything."},
    )
    act(new_request, "assign", {"assignee": dpo.pk})
    act(new_request, "extend", {"months": "2", "reason": "Data held by three departments."})
    act(new_request, "reject", {"reason": "excessive", "details": "Fifth identical request this month."})
    page = dpo_client.get(reverse("workspace:request", args=[new_request.reference])).content.decode()
    timeline = page.split('id="h-timeline"')[1]

    from django.utils import formats

    assert (
        'Request received</strong> <span class="muted">· Access to my data (Art. 15) · received by: Web form'
        in timeline
    )
    assert "from Access to my data (Art. 15) to Erasure" in timeline
    assert "Asked to delete everything." in timeline  # the reason typed for the file, on the staff page
    assert 'Assigned</strong> <span class="muted">· to dpo</span>' in timeline
    old, new = (formats.date_format(d, "DATE_FORMAT") for d in (old_due, new_request.due_date))
    assert (
        f'Deadline extended</strong> <span class="muted">· by 2 months · deadline moved from {old} to {new}' in timeline
    )
    assert 'Rejected</strong> <span class="muted">· Excessive, in particular repetitive (Art. 12(5))' in timeline
    assert "Awaiting the subject" not in timeline and "New → Rejected" in timeline  # statuses in words
    assert ">excessive<" not in timeline and "→ dpo" not in timeline
    assert "by the subject" in timeline and "by dpo" in timeline and "by subject" not in timeline


def test_the_timeline_reads_in_the_dpos_language(dpo_client, dpo, new_request):
    workflow.extend(new_request, actor=dpo, months=1, reason="Veel bronnen.")
    page = dpo_client.get(
        reverse("workspace:request", args=[new_request.reference]), HTTP_ACCEPT_LANGUAGE="nl"
    ).content.decode()
    assert 'Termijn verlengd</strong> <span class="muted">· met 1 maand' in page
