"""Retention holds: a request the DPO keeps as evidence (a complaint with the
supervisory authority, a court case) survives both retention periods until the
hold is lifted; then the periods apply again, counted from its end."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import time_machine
from django.core.management import call_command

from requests_app import workflow
from requests_app.audit import labels as event_labels
from requests_app.audit.chain import verify_request_chain
from requests_app.execution import services as execution_services
from requests_app.intake.services import expire_unverified
from requests_app.models import HoldReason, InternalNote, RequestEvent, RetentionHold, Status, SubjectRequest
from requests_app.retention import selectors as retention_selectors
from requests_app.retention import services as retention_services
from tests.factories import make_request

pytestmark = pytest.mark.django_db

ENDED = dt.datetime(2027, 3, 1, 10, 0, tzinfo=dt.UTC)
NAME, EMAIL = "Lotte Peeters", "lotte.peeters@example.be"
FILE_NUMBER = "GBA DOS-2027-01234: Lotte Peeters complains that her copy was incomplete"


def _at(days: int) -> dt.datetime:
    return ENDED + dt.timedelta(days=days)


SIX_YEARS = 6 * 366


def _sweep(when, django_capture_on_commit_callbacks):
    with time_machine.travel(when, tick=False), django_capture_on_commit_callbacks(execute=True):
        return retention_services.apply_retention()


def _hold(request, dpo, *, when=None, reason=HoldReason.AUTHORITY_COMPLAINT):
    with time_machine.travel(when or _at(10), tick=False):
        return workflow.place_retention_hold(request, actor=dpo, reason=reason, explanation=FILE_NUMBER)


def _lift(request, dpo, *, when, explanation=""):
    with time_machine.travel(when, tick=False):
        return workflow.lift_retention_hold(request, actor=dpo, explanation=explanation)


@pytest.fixture
def closed(dpo):
    """A request closed on ENDED, with a note naming the subject."""
    with time_machine.travel(ENDED, tick=False):
        request = make_request(full_name=NAME, email=EMAIL)
        workflow.add_note(request, actor=dpo, body="Lotte called twice.")
        workflow.close(request, actor=dpo, reason="Answered by phone.")
    return request


def _fresh(request) -> SubjectRequest:
    return SubjectRequest.objects.get(pk=request.pk)


def test_a_held_request_survives_both_periods(closed, dpo, django_capture_on_commit_callbacks):
    _hold(closed, dpo)
    events = closed.events.count()

    payload_sweep = _sweep(_at(91), django_capture_on_commit_callbacks)
    record_sweep = _sweep(_at(SIX_YEARS), django_capture_on_commit_callbacks)

    assert (payload_sweep.purged, payload_sweep.held) == (0, 1)
    assert (record_sweep.purged, record_sweep.deleted, record_sweep.held) == (0, 0, 1)
    request = _fresh(closed)
    assert request.full_name == NAME and request.email == EMAIL
    assert request.purged_at is None and request.records_deleted_at is None
    assert request.notes.filter(body="Lotte called twice.").exists()
    assert request.events.count() == events
    assert verify_request_chain(request) is None


def test_lifting_the_hold_lets_the_next_run_purge_then_delete(closed, dpo, django_capture_on_commit_callbacks):
    _hold(closed, dpo)
    assert _sweep(_at(91), django_capture_on_commit_callbacks).purged == 0
    _lift(closed, dpo, when=_at(200), explanation="The GBA closed the case.")

    # The payload period ran from the end, not from the lifting: purged at once.
    sweep = _sweep(_at(201), django_capture_on_commit_callbacks)

    assert (sweep.purged, sweep.held) == (1, 0)
    request = _fresh(closed)
    assert request.purged_at and request.full_name == "—"
    assert not request.notes.exclude(body="").exists()
    # The record period too: five years from the end, as before.
    assert _sweep(_at(5 * 365), django_capture_on_commit_callbacks).deleted == 0
    assert _sweep(_at(5 * 365 + 3), django_capture_on_commit_callbacks).deleted == 1
    request = _fresh(closed)
    assert request.records_deleted_at and not RetentionHold.objects.filter(request=request).exists()
    assert verify_request_chain(request) is None


def test_a_request_that_ended_long_ago_goes_whole_at_the_next_run_once_lifted(
    closed, dpo, django_capture_on_commit_callbacks
):
    _hold(closed, dpo)
    assert _sweep(_at(SIX_YEARS), django_capture_on_commit_callbacks).deleted == 0
    _lift(closed, dpo, when=_at(SIX_YEARS + 1))

    sweep = _sweep(_at(SIX_YEARS + 1), django_capture_on_commit_callbacks)

    assert (sweep.deleted, sweep.held) == (1, 0)
    request = _fresh(closed)
    assert request.purged_at and request.records_deleted_at
    assert verify_request_chain(request) is None


def test_a_hold_placed_after_the_purge_keeps_the_records(closed, dpo, django_capture_on_commit_callbacks):
    assert _sweep(_at(91), django_capture_on_commit_callbacks).purged == 1
    _hold(closed, dpo, when=_at(400), reason=HoldReason.COURT_PROCEEDINGS)

    sweep = _sweep(_at(SIX_YEARS), django_capture_on_commit_callbacks)

    assert (sweep.deleted, sweep.held) == (0, 1)
    request = _fresh(closed)
    assert request.records_deleted_at is None
    # Written after the purge, the hold's explanation is still there to read.
    assert workflow.active_hold(request).note.body.endswith(FILE_NUMBER)


def test_the_workflow_itself_refuses_purge_and_deletion_while_held(closed, dpo):
    _hold(closed, dpo)

    with pytest.raises(workflow.RetentionHeld):
        workflow.purge_personal_data(closed, reason="retention")
    with pytest.raises(workflow.RetentionHeld):
        workflow.delete_records(closed, retention_years=5)
    assert _fresh(closed).purged_at is None


def test_a_hold_placed_while_a_run_is_under_way_stops_it(closed, dpo, monkeypatch, django_capture_on_commit_callbacks):
    # The run read its list before the DPO placed the hold: the row lock decides.
    monkeypatch.setattr(retention_selectors, "payloads_due", retention_selectors.payloads_past_period)
    monkeypatch.setattr(retention_selectors, "records_due", retention_selectors.records_past_period)
    monkeypatch.setattr(retention_selectors, "held_back", lambda now: 0)
    _hold(closed, dpo)

    sweep = _sweep(_at(91), django_capture_on_commit_callbacks)

    assert (sweep.purged, sweep.failed, sweep.held) == (0, 0, 1)
    assert _fresh(closed).purged_at is None


def test_the_run_says_how_many_it_skipped_for_a_hold(closed, dpo, caplog, django_capture_on_commit_callbacks):
    _hold(closed, dpo)
    with time_machine.travel(ENDED, tick=False):
        other = make_request()
        workflow.cancel(other)

    with caplog.at_level(logging.INFO, logger="requests_app.retention"):
        sweep = _sweep(_at(91), django_capture_on_commit_callbacks)

    assert (sweep.purged, sweep.held) == (1, 1)
    assert "1 purged, 0 records deleted, 0 failed, 1 skipped under a retention hold" in caplog.text


def test_the_task_returns_the_held_count(closed, dpo):
    from requests_app.retention import tasks as retention_tasks

    _hold(closed, dpo)
    with time_machine.travel(_at(91), tick=False):
        assert retention_tasks.apply_retention.delay().get() == {"purged": 0, "deleted": 0, "failed": 0, "held": 1}


def test_a_request_not_yet_due_is_not_counted_as_held(closed, dpo, django_capture_on_commit_callbacks):
    _hold(closed, dpo)

    assert _sweep(_at(30), django_capture_on_commit_callbacks).held == 0


def test_the_audit_events_hold_codes_and_the_explanation_goes_into_a_note(closed, dpo):
    hold = _hold(closed, dpo)
    _lift(closed, dpo, when=_at(20), explanation="Case closed by the GBA.")

    placed, lifted = closed.events.filter(kind__startswith="retention_hold.").order_by("seq")
    assert placed.kind == "retention_hold.placed" and placed.actor_label == "dpo" and not placed.public
    assert placed.details == {"hold": hold.pk, "ground": "authority_complaint", "note": hold.note.pk}
    assert lifted.kind == "retention_hold.lifted"
    assert set(lifted.details) == {"hold", "ground", "note"}
    assert NAME not in str(placed.details) and "GBA" not in str(lifted.details)
    assert InternalNote.objects.get(pk=placed.details["note"]).body == f"Reason for the retention hold: {FILE_NUMBER}"
    assert InternalNote.objects.get(pk=lifted.details["note"]).body.endswith("Case closed by the GBA.")
    [placed_shown, lifted_shown] = event_labels.annotate([placed, lifted])
    assert placed_shown.label == "Retention hold placed"
    assert placed_shown.facts == ["Complaint with the supervisory authority"]
    assert placed_shown.reason.endswith(FILE_NUMBER)
    assert lifted_shown.label == "Retention hold lifted" and lifted_shown.reason.endswith("Case closed by the GBA.")
    hold.refresh_from_db()
    assert hold.lifted_at == _at(20) and hold.lifted_by == dpo and hold.placed_by == dpo
    assert verify_request_chain(closed) is None


@pytest.mark.parametrize("actor_name", ["agent", "auditor"])
def test_only_the_dpo_places_or_lifts_a_hold_and_a_refusal_is_recorded(actor_name, closed, dpo, request):
    actor = request.getfixturevalue(actor_name)

    with pytest.raises(workflow.ActionForbidden):
        workflow.place_retention_hold(closed, actor=actor, reason=HoldReason.OTHER, explanation="Inquiry.")
    _hold(closed, dpo)
    with pytest.raises(workflow.ActionForbidden):
        workflow.lift_retention_hold(closed, actor=actor)

    refusals = RequestEvent.objects.filter(request=closed, kind="action.refused").order_by("seq")
    assert [e.details for e in refusals] == [{"action": "place_hold"}, {"action": "lift_hold"}]
    assert [e.actor_label for e in refusals] == [actor_name, actor_name]
    assert workflow.active_hold(closed).placed_by == dpo


def test_an_agent_assigned_to_the_request_may_not_place_a_hold_either(dpo, agent):
    request = make_request()
    workflow.assign(request, actor=dpo, assignee=agent)

    with pytest.raises(workflow.ActionForbidden):
        workflow.place_retention_hold(request, actor=agent, reason=HoldReason.OTHER, explanation="x")
    assert "place_hold" not in workflow.allowed_actions(request, agent)


def test_a_hold_may_be_placed_on_an_open_request(dpo, new_request):
    hold = workflow.place_retention_hold(
        new_request, actor=dpo, reason=HoldReason.COURT_PROCEEDINGS, explanation="Summons of 3 May."
    )

    assert hold.request == new_request and new_request.status == Status.NEW
    assert "lift_hold" in workflow.allowed_actions(new_request, dpo)
    assert "place_hold" not in workflow.allowed_actions(new_request, dpo)


def test_what_the_workflow_refuses(closed, dpo, django_capture_on_commit_callbacks):
    with pytest.raises(workflow.WorkflowError, match="not under a retention hold"):
        workflow.lift_retention_hold(closed, actor=dpo)
    with pytest.raises(workflow.WorkflowError, match="Explain the hold"):
        workflow.place_retention_hold(closed, actor=dpo, reason=HoldReason.OTHER, explanation="  ")
    with pytest.raises(workflow.WorkflowError, match="Choose why"):
        workflow.place_retention_hold(closed, actor=dpo, reason="because", explanation="x")
    _hold(closed, dpo)
    with pytest.raises(workflow.WorkflowError, match="already under a retention hold"):
        _hold(closed, dpo)
    assert RetentionHold.objects.filter(request=closed).count() == 1

    _lift(closed, dpo, when=_at(20))
    _sweep(_at(SIX_YEARS), django_capture_on_commit_callbacks)
    with pytest.raises(workflow.WorkflowError, match="already deleted"):
        _hold(closed, dpo, when=_at(SIX_YEARS + 1))
    assert "place_hold" not in workflow.allowed_actions(_fresh(closed), dpo)


def test_a_hold_can_be_placed_again_after_it_was_lifted(closed, dpo):
    _hold(closed, dpo)
    _lift(closed, dpo, when=_at(20))
    second = _hold(closed, dpo, when=_at(30), reason=HoldReason.COURT_PROCEEDINGS)

    assert workflow.active_hold(closed) == second
    assert RetentionHold.objects.filter(request=closed).count() == 2


def test_a_held_erasure_request_keeps_its_record_when_the_erasure_is_carried_out(dpo):
    # Art. 17(3)(e): the sources are erased, the desk's own record is evidence.
    request = make_request(full_name=NAME, email=EMAIL, request_type="erasure")
    workflow.close(request, actor=dpo, reason="Handled.")
    _hold(request, dpo, when=dt.datetime.now(dt.UTC))

    execution_services.purge_after_erasure(request)

    assert _fresh(request).full_name == NAME and _fresh(request).purged_at is None


def test_an_unconfirmed_request_under_a_hold_is_not_purged_with_the_others(dpo):
    with time_machine.travel(ENDED, tick=False):
        held, other = make_request(verified=False), make_request(verified=False)
    _hold(held, dpo, when=_at(1))

    with time_machine.travel(_at(30), tick=False):
        expire_unverified()

    assert _fresh(other).purged_at and _fresh(held).purged_at is None


def test_the_chain_of_a_held_request_verifies(closed, dpo, capsys):
    _hold(closed, dpo)
    _lift(closed, dpo, when=_at(20))

    call_command("verify_audit_chain", closed.reference)
    assert "intact" in capsys.readouterr().out


def _command(when, *args) -> str:
    import io

    from django.core.management import call_command

    out = io.StringIO()
    with time_machine.travel(when, tick=False):
        call_command("retention", *args, stdout=out)
    return out.getvalue()


def test_the_retention_command_says_what_would_go_then_does_it(closed, dpo, django_capture_on_commit_callbacks):
    with time_machine.travel(ENDED, tick=False):
        other = make_request(full_name=NAME, email="someone.else@example.be")
        workflow.close(other, actor=dpo, reason="Answered by phone.")
    _hold(closed, dpo)

    dry = _command(_at(91), "--dry-run")
    assert "payloads to purge: 1" in dry and "held back by a retention hold: 1" in dry
    assert _fresh(other).purged_at is None  # a dry run changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        done = _command(_at(91))
    assert "payloads purged: 1" in done and "held back by a retention hold: 1" in done
    assert _fresh(other).purged_at is not None
    assert _fresh(closed).purged_at is None
