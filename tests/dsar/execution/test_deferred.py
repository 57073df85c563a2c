"""Erasures deferred by a legal hold: an invoice kept 7 years is erased, with
its lines, the day its hold ends, even when the request's records are long
gone, and the request's audit trail says so while it is still kept."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
import time_machine
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from dsar.execution import deferred, tasks
from dsar.execution.models import Action, DeferredErasure, PlanItem
from dsar.models import Connector
from dsar.schedules import BEAT_SCHEDULE
from requests_app import workflow
from requests_app.execution import selectors as execution_selectors
from requests_app.retention import services as retention_services
from tests.fixtures.workspace import signed_in
from tests.support.execution_steps import approve_plan, approve_request, lotte


def rows(engine, schema, name):
    table = sa.Table(name, sa.MetaData(), autoload_with=engine, schema=schema)
    with engine.connect() as c:
        return set(c.execute(sa.select(table.c.id)).scalars())


def at_noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


@pytest.fixture
def erased(crm, dpo, profile, client, django_capture_on_commit_callbacks):
    """Lotte's erasure carried out and released: invoice 10 and its line are kept 7 years."""
    subject_request = lotte("erasure", scope="all")
    approve_request(subject_request, dpo, django_capture_on_commit_callbacks)
    client.force_login(dpo)
    approve_plan(client, subject_request, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.fulfil(subject_request, actor=dpo)
    subject_request.refresh_from_db()
    return subject_request


def run_daily(day: dt.date, capture) -> dict:
    with time_machine.travel(at_noon(day), tick=False), capture(execute=True):
        return deferred.execute_due()


def test_an_executed_erasure_defers_each_held_record_to_its_hold_end(erased, crm):
    connector = crm[0]
    plan = execution_selectors.plan_for(erased)
    held = {item.entity: item for item in plan.items.filter(action=Action.KEEP)}
    deferrals = {d.entity: d for d in DeferredErasure.objects.all()}
    assert set(deferrals) == {"invoices", "invoice_lines"}
    for entity, deferral in deferrals.items():
        assert deferral.record_key == held[entity].record_key
        assert deferral.due_on == held[entity].keep_until
        assert deferral.action == Action.DELETE
        assert deferral.connector == connector
        assert deferral.external_ref == erased.reference
        assert deferral.status == DeferredErasure.Status.PENDING
    # The subject's identity is already gone from the ticket: the key is all there is.
    assert erased.purged_at is not None


def test_nothing_happens_before_the_hold_ends(erased, crm, django_capture_on_commit_callbacks):
    _connector, engine, schema = crm
    due = DeferredErasure.objects.get(entity="invoices").due_on
    assert run_daily(due - dt.timedelta(days=1), django_capture_on_commit_callbacks) == {}
    assert 10 in rows(engine, schema, "invoices") and 100 in rows(engine, schema, "invoice_lines")
    assert set(DeferredErasure.objects.values_list("status", flat=True)) == {DeferredErasure.Status.PENDING}
    assert not erased.events.filter(kind="erasure.deferred_done").exists()


def test_the_daily_task_erases_the_invoice_and_its_lines_when_due_and_records_it(
    erased, crm, dpo, django_capture_on_commit_callbacks
):
    _connector, engine, schema = crm
    due = DeferredErasure.objects.get(entity="invoices").due_on
    with time_machine.travel(at_noon(due), tick=False), django_capture_on_commit_callbacks(execute=True):
        tasks.execute_deferred_erasures.delay()
    assert rows(engine, schema, "invoices") == {12}  # someone else's invoice stays
    assert rows(engine, schema, "invoice_lines") == {102}
    assert set(DeferredErasure.objects.values_list("status", "changed")) == {(DeferredErasure.Status.DONE, 1)}
    event = erased.events.get(kind="erasure.deferred_done")
    assert event.details == {"records": 2, "rows_changed": 2, "remaining": 0}
    client = signed_in(dpo)
    page = client.get(reverse("workspace:request", args=[erased.reference])).content.decode()
    assert "Records kept under a legal hold erased when it ended" in page
    assert "2 records erased" in page

    # The next day (and any re-run) changes nothing and records nothing more.
    assert run_daily(due + dt.timedelta(days=1), django_capture_on_commit_callbacks) == {}
    DeferredErasure.objects.update(status=DeferredErasure.Status.PENDING)
    run_daily(due + dt.timedelta(days=2), django_capture_on_commit_callbacks)
    assert set(DeferredErasure.objects.values_list("status", "changed")) == {(DeferredErasure.Status.DONE, 0)}
    assert erased.events.filter(kind="erasure.deferred_done").count() == 2  # the re-run said 0 rows changed
    assert erased.events.filter(kind="erasure.deferred_done").last().details["rows_changed"] == 0
    assert rows(engine, schema, "invoices") == {12}


def test_it_survives_the_deletion_of_the_requests_records(erased, crm, django_capture_on_commit_callbacks):
    _connector, engine, schema = crm
    due = DeferredErasure.objects.get(entity="invoices").due_on
    deleted_on = timezone.localdate() + relativedelta(years=settings.DSAR_RECORD_RETENTION_YEARS, days=2)
    assert deleted_on < due  # the desk forgets the request before the hold ends
    with time_machine.travel(at_noon(deleted_on), tick=False), django_capture_on_commit_callbacks(execute=True):
        retention_services.apply_retention()
    erased.refresh_from_db()
    assert erased.records_deleted_at is not None
    assert not PlanItem.objects.exists()
    assert DeferredErasure.objects.filter(status=DeferredErasure.Status.PENDING).count() == 2

    run_daily(due, django_capture_on_commit_callbacks)
    assert rows(engine, schema, "invoices") == {12}
    assert rows(engine, schema, "invoice_lines") == {102}
    assert set(DeferredErasure.objects.values_list("status", flat=True)) == {DeferredErasure.Status.DONE}
    # Only the checkpoint is left of the request's trail: nothing is added to it.
    assert not erased.events.filter(kind="erasure.deferred_done").exists()


def test_a_table_that_fails_is_retried_the_next_day_and_its_parents_wait(
    erased, crm, django_capture_on_commit_callbacks
):
    _connector, engine, schema = crm
    due = DeferredErasure.objects.get(entity="invoices").due_on
    prefix = f'"{schema}".' if schema else ""
    with engine.begin() as c:
        c.execute(sa.text(f"ALTER TABLE {prefix}invoice_lines RENAME TO lines_away"))
    run_daily(due, django_capture_on_commit_callbacks)
    lines = DeferredErasure.objects.get(entity="invoice_lines")
    invoice = DeferredErasure.objects.get(entity="invoices")
    assert lines.status == DeferredErasure.Status.FAILED and "invoice_lines" in lines.error
    assert "Tried again the next day" in lines.error
    assert invoice.status == DeferredErasure.Status.FAILED and "Waits for the rows of invoice_lines" in invoice.error
    assert 10 in rows(engine, schema, "invoices")

    with engine.begin() as c:
        c.execute(sa.text(f"ALTER TABLE {prefix}lines_away RENAME TO invoice_lines"))
    run_daily(due + dt.timedelta(days=1), django_capture_on_commit_callbacks)
    assert set(DeferredErasure.objects.values_list("status", flat=True)) == {DeferredErasure.Status.DONE}
    assert rows(engine, schema, "invoices") == {12}
    assert DeferredErasure.objects.get(entity="invoices").attempts == 2


def test_a_source_the_engine_cannot_write_needs_a_person(db, django_capture_on_commit_callbacks):
    connector = Connector.objects.create(code="archive", name="Paper archive", kind="manual", operations=["access"])
    DeferredErasure.objects.create(
        connector=connector,
        entity="folders",
        record_key="7",
        due_on=timezone.localdate(),
        action=Action.DELETE,
        external_ref="DSAR-2026-00009",
    )
    run_daily(timezone.localdate(), django_capture_on_commit_callbacks)
    item = DeferredErasure.objects.get()
    assert item.status == DeferredErasure.Status.MANUAL and "by hand" in item.error
    assert deferred.pending_summary() == {"count": 1, "next_due": timezone.localdate(), "attention": 1}


def test_the_dpo_sees_the_pending_erasures_on_the_dashboard_and_in_the_admin(erased, dpo, django_user_model):
    due = DeferredErasure.objects.get(entity="invoices").due_on
    client = signed_in(dpo)
    board = client.get(reverse("workspace:dashboard")).context["board"]
    assert (board.deferred_erasures, board.deferred_next_due, board.deferred_attention) == (2, due, 0)
    page = client.get(reverse("workspace:dashboard")).content.decode()
    assert "kept under a legal hold, to erase when it ends" in page

    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    listing = signed_in(admin).get("/admin/dsar_execution/deferrederasure/")
    assert listing.status_code == 200
    assert erased.reference in listing.content.decode()
    assert signed_in(admin).get("/admin/dsar_execution/deferrederasure/add/").status_code == 403


def test_beat_runs_the_deferred_erasures_daily():
    entry = BEAT_SCHEDULE["dsar-deferred-erasures"]
    assert entry["task"] == tasks.execute_deferred_erasures.name
