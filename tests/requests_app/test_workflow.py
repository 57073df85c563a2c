import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from requests_app import workflow
from requests_app.models import Channel, RequestEvent, RequestType, Status
from requests_app.workflow import ActionForbidden, WorkflowError
from tests.factories import make_request

pytestmark = pytest.mark.django_db


def test_a_web_request_waits_for_the_subject_to_confirm(unverified_request):
    assert unverified_request.status == Status.UNVERIFIED
    assert unverified_request.reference.startswith(f"DSAR-{timezone.localdate().year}-")
    workflow.verify(unverified_request)
    assert unverified_request.status == Status.NEW
    assert unverified_request.verified_at is not None


def test_a_request_logged_by_staff_keeps_its_real_date_of_receipt(dpo):
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)):
        request = workflow.create_request(
            request_type=RequestType.ERASURE,
            full_name="Jan Peeters",
            email="jan@example.be",
            language="nl",
            actor=dpo,
            channel=Channel.LETTER,
            received_at=dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC),
            identity_check="known_contact",
        )
    assert request.status == Status.NEW
    assert request.due_date == dt.date(2026, 12, 2)
    assert request.verification_method == "staff"


def test_the_date_of_receipt_cannot_be_in_the_future(dpo):
    with pytest.raises(WorkflowError):
        workflow.create_request(
            request_type="access",
            full_name="X",
            email="x@example.be",
            language="en",
            actor=dpo,
            channel=Channel.PHONE,
            received_at=timezone.now() + dt.timedelta(days=2),
            identity_check="known_contact",
        )


def test_an_auditor_cannot_log_a_request(auditor):
    with pytest.raises(ActionForbidden):
        workflow.create_request(
            request_type="access",
            full_name="X",
            email="x@example.be",
            language="en",
            actor=auditor,
            channel=Channel.PHONE,
        )


def test_the_whole_happy_path(dpo, new_request):
    workflow.assign(new_request, actor=dpo, assignee=dpo)
    workflow.approve(new_request, actor=dpo)
    workflow.start_processing(new_request)
    workflow.processing_done(new_request)
    workflow.fulfil(new_request, actor=dpo)
    workflow.close(new_request, actor=dpo)
    kinds = list(new_request.events.values_list("kind", flat=True))
    assert kinds == [
        "request.created",
        "request.verify",
        "request.assigned",
        "request.approve",
        "request.processing_started",
        "request.in_review",
        "request.fulfilled",
        "request.close",
    ]
    assert new_request.status == Status.CLOSED


@pytest.mark.parametrize(
    ("status_path", "action"),
    [
        ([], "fulfil"),  # a new request cannot be released
        (["approve"], "approve"),  # approving twice
        (["approve", "start_processing"], "close"),
    ],
)
def test_forbidden_transitions_raise_a_clear_error(dpo, new_request, status_path, action):
    for step in status_path:
        getattr(workflow, step)(new_request, actor=dpo)
    with pytest.raises(WorkflowError, match="you cannot"):
        getattr(workflow, action)(new_request, actor=dpo)


def test_a_finished_request_cannot_be_approved(dpo, new_request):
    workflow.reject(new_request, actor=dpo, reason="identity_not_confirmed")
    with pytest.raises(WorkflowError):
        workflow.approve(new_request, actor=dpo)


def test_an_agent_cannot_approve_an_erasure_even_when_assigned(dpo, agent):
    request = make_request(request_type=RequestType.ERASURE)
    workflow.assign(request, actor=dpo, assignee=agent)
    with pytest.raises(ActionForbidden):
        workflow.approve(request, actor=agent)
    refused = RequestEvent.objects.filter(request=request, kind="action.refused").get()
    assert refused.actor == agent and refused.details == {"action": "approve"}
    assert request.status == Status.NEW


def test_an_agent_works_only_assigned_requests(dpo, agent, other_agent, new_request):
    with pytest.raises(ActionForbidden):
        workflow.approve(new_request, actor=agent)
    workflow.assign(new_request, actor=agent, assignee=agent)  # claims an unassigned request
    with pytest.raises(ActionForbidden):
        workflow.assign(new_request, actor=other_agent, assignee=other_agent)
    workflow.approve(new_request, actor=agent)
    assert new_request.status == Status.APPROVED


def test_an_agent_cannot_release(dpo, agent, new_request):
    workflow.assign(new_request, actor=dpo, assignee=agent)
    workflow.approve(new_request, actor=agent)
    workflow.start_processing(new_request)
    workflow.processing_done(new_request)
    with pytest.raises(ActionForbidden):
        workflow.fulfil(new_request, actor=agent)


def test_an_auditor_changes_nothing(auditor, new_request):
    for action, kwargs in [
        ("approve", {}),
        ("add_note", {"body": "x"}),
        ("assign", {"assignee": auditor}),
        ("reject", {"reason": "excessive", "details": "x"}),
    ]:
        with pytest.raises(ActionForbidden):
            getattr(workflow, action)(new_request, actor=auditor, **kwargs)
    assert new_request.status == Status.NEW


def test_a_rejection_needs_a_reason_and_proof_for_article_12_5(dpo, new_request):
    with pytest.raises(WorkflowError):
        workflow.reject(new_request, actor=dpo, reason="")
    with pytest.raises(WorkflowError, match="manifestly unfounded or excessive"):
        workflow.reject(new_request, actor=dpo, reason="excessive", details=" ")
    workflow.reject(new_request, actor=dpo, reason="excessive", details="Fifth identical request this month.")
    assert new_request.status == Status.REJECTED


def test_extension_is_once_with_reason_and_before_the_original_deadline(dpo):
    with time_machine.travel(dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)):
        request = make_request()
        assert request.due_date == dt.date(2026, 12, 30)
        with pytest.raises(WorkflowError, match="reasons"):
            workflow.extend(request, actor=dpo, months=2, reason="")
        with pytest.raises(WorkflowError):
            workflow.extend(request, actor=dpo, months=3, reason="Complex")
        workflow.extend(request, actor=dpo, months=2, reason="Twelve source systems")
        assert request.due_date == dt.date(2027, 3, 1)
        assert request.original_due_date == dt.date(2026, 12, 30)
        with pytest.raises(WorkflowError, match="already extended"):
            workflow.extend(request, actor=dpo, months=1, reason="Again")


def test_an_extension_after_the_original_deadline_is_refused(dpo):
    with time_machine.travel(dt.datetime(2026, 11, 2, 12, tzinfo=dt.UTC)):
        request = make_request()
    with time_machine.travel(dt.datetime(2026, 12, 3, 12, tzinfo=dt.UTC)):
        with pytest.raises(WorkflowError, match="original deadline has passed"):
            workflow.extend(request, actor=dpo, months=1, reason="Late")


def test_a_pause_is_recorded_and_moves_only_the_internal_target(dpo, settings):
    settings.DSAR_INTERNAL_TARGET_DAYS = 20
    with time_machine.travel(dt.datetime(2026, 11, 2, 12, tzinfo=dt.UTC)):
        request = make_request()
        due, target = request.due_date, request.internal_target_date
        workflow.request_info(request, actor=dpo, body="Which customer number?")
        assert request.status == Status.AWAITING_SUBJECT
    with time_machine.travel(dt.datetime(2026, 11, 7, 12, tzinfo=dt.UTC)):
        workflow.subject_reply(request, body="C-1234")
    request.refresh_from_db()
    assert request.status == Status.NEW
    assert request.due_date == due  # the GDPR has no legal pause
    # 22 Nov 2026 (a Sunday) came back to Friday 20; the 5 days waiting move it to Friday 27.
    assert (target, request.internal_target_date) == (dt.date(2026, 11, 20), dt.date(2026, 11, 27))
    pause = request.pauses.get()
    assert pause.ended_at is not None


def test_the_subject_can_cancel_but_not_approve(new_request):
    with pytest.raises(ActionForbidden):
        workflow.approve(new_request, actor=workflow.SUBJECT)
    workflow.cancel(new_request)
    assert new_request.status == Status.CANCELLED


def test_triage_can_correct_the_type_with_a_reason(dpo):
    request = make_request(request_type=RequestType.ERASURE)
    with pytest.raises(WorkflowError):
        workflow.change_type(
            request, actor=dpo, request_type=RequestType.OBJECTION, type_details={"activities": []}, reason=""
        )
    workflow.change_type(
        request,
        actor=dpo,
        request_type=RequestType.OBJECTION,
        type_details={"activities": []},
        reason="Wants no more newsletters",
    )
    assert request.request_type == RequestType.OBJECTION
    event = request.events.get(kind="request.type_changed")
    assert event.details["from"] == "erasure" and event.details["to"] == "objection"


def test_side_effects_run_only_after_commit(dpo, new_request, django_capture_on_commit_callbacks):
    seen = []
    workflow.on_event("request.approve")(lambda request, event: seen.append(event.kind))
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            workflow.approve(new_request, actor=dpo)
        assert seen == []
        for callback in callbacks:
            callback()
        assert seen == ["request.approve"]
    finally:
        workflow.events._effects["request.approve"].pop()


def test_a_failing_side_effect_does_not_undo_the_transition(dpo, new_request, django_capture_on_commit_callbacks):
    def broken(request, event):
        raise RuntimeError("mail server on fire")

    workflow.on_event("request.approve")(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            workflow.approve(new_request, actor=dpo)
    finally:
        workflow.events._effects["request.approve"].remove(broken)
    new_request.refresh_from_db()
    assert new_request.status == Status.APPROVED


def test_the_national_number_is_masked_and_revealing_it_is_audited(dpo, agent):
    request = make_request(national_number="85073003328")
    assert request.masked_national_number == "**.**.**-***.28"
    with pytest.raises(ActionForbidden):
        workflow.reveal_national_number(request, actor=agent)
    assert workflow.reveal_national_number(request, actor=dpo, reason="Match in payroll") == "85073003328"
    assert request.events.filter(kind="national_number.revealed", actor=dpo).exists()


def test_the_national_number_is_encrypted_at_rest():
    from django.db import connection

    request = make_request(national_number="85073003328")
    with connection.cursor() as cursor:
        cursor.execute("SELECT national_number FROM requests_app_subjectrequest WHERE id = %s", [request.pk])
        stored = cursor.fetchone()[0]
    assert "85073003328" not in stored


def test_the_purge_keeps_what_accountability_needs(dpo):
    request = make_request(phone="+32470123456", details="My story")
    workflow.cancel(request)
    workflow.purge_personal_data(request)
    request.refresh_from_db()
    assert request.full_name == "—" and request.phone == "" and request.details == ""
    assert request.reference and request.request_type and request.received_at
    assert request.events.filter(kind="request.purged").exists()


def test_staff_cannot_log_a_request_without_saying_how_they_checked_the_identity(dpo):
    with pytest.raises(WorkflowError, match="identity"):
        workflow.create_request(
            request_type="access", full_name="X", email="x@example.be", language="en", actor=dpo, channel="phone"
        )


def test_a_transition_writes_the_new_status_and_the_chain_head_in_one_update(dpo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from requests_app.audit.chain import verify_request_chain

    request = make_request()
    with CaptureQueriesContext(connection) as queries:
        workflow.approve(request, actor=dpo)

    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "requests_app_subjectrequest"')]
    assert len(updates) == 1
    assert all(f'"{name}"' in updates[0] for name in ("status", "updated_at", "event_count", "event_head"))
    request.refresh_from_db()
    assert request.status == Status.APPROVED
    assert request.event_count == RequestEvent.objects.filter(request=request).count()
    assert verify_request_chain(request) is None
