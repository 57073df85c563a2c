"""The engine's execution of rights against a demo-like CRM source."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from django.utils import timezone

from dsar.connectors.base import ConnectorError
from dsar.execution import service
from dsar.execution.executors import SqlExecutor, keyed_hash
from dsar.execution.models import Action, Plan, PlanItem
from dsar.models import ManualTask, SourceRun
from tests.support.execution_factories import LOTTE, make_manual


def rows(engine, schema, name):
    table = sa.Table(name, sa.MetaData(), autoload_with=engine, schema=schema)
    with engine.connect() as c:
        return {row.id: dict(row._mapping) for row in c.execute(sa.select(table))}


def planned(operation, **options) -> Plan:
    plan = service.create_plan(external_ref="DSAR-2026-00001", operation=operation, identity=LOTTE, options=options)
    return service.compute(plan.pk)


def execute(plan: Plan) -> Plan:
    for run_id in service.runs_to_execute(plan):
        service.execute_run(run_id)
    return Plan.objects.get(pk=plan.pk)


def approved(plan: Plan, dpo) -> Plan:
    return service.approve(plan, user=dpo)


def test_it_plans_an_erasure_without_changing_anything(crm):
    connector, engine, schema = crm
    before = {name: rows(engine, schema, name) for name in ("customers", "usage", "invoices", "invoice_lines")}
    plan = planned("erase")
    assert plan.status == Plan.Status.READY
    assert not plan.error, list(SourceRun.objects.values_list("error", flat=True))
    actions = {(i.entity, i.record_key): i.action for i in plan.items.all()}
    assert actions[("usage", "1")] == Action.DELETE
    assert actions[("invoices", "11")] == Action.DELETE  # older than 7 years
    assert actions[("invoices", "10")] == Action.KEEP
    assert actions[("invoice_lines", "100")] == Action.KEEP  # follows its invoice
    # The customer row is referenced by a kept invoice: masked, not deleted.
    assert actions[("customers", "1")] == Action.MASK
    assert not any(key == "2" and entity == "customers" for entity, key in actions)
    held = plan.items.get(entity="invoices", record_key="10")
    assert held.keep_until == held.keep_until.replace(year=(timezone.localdate() - dt.timedelta(days=400)).year + 7)
    assert "7 years" in held.note
    assert {name: rows(engine, schema, name) for name in before} == before


def test_it_erases_as_planned_keeps_held_rows_and_a_second_run_changes_nothing(crm, dpo):
    connector, engine, schema = crm
    invoices_before = rows(engine, schema, "invoices")
    plan = execute(approved(planned("erase"), dpo))
    assert plan.status == Plan.Status.DONE
    customers = rows(engine, schema, "customers")
    assert customers[1]["name"] == "Erased customer"
    assert customers[1]["email"].startswith("erased:") and "lotte" not in customers[1]["email"].lower()
    assert customers[1]["phone"] is None and customers[1]["city"] is None
    assert customers[2]["name"] == "Jan Janssens"  # someone else, untouched
    assert set(rows(engine, schema, "usage")) == {3}
    invoices = rows(engine, schema, "invoices")
    assert set(invoices) == {10, 12} and invoices[10] == invoices_before[10]
    assert set(rows(engine, schema, "invoice_lines")) == {100, 102}
    run = SourceRun.objects.get(job=plan.job, connector=connector)
    assert run.status == SourceRun.Status.DONE
    assert run.summary["rows_changed"]["delete"] == 4  # 2 usage, 1 invoice, 1 line
    assert run.summary["items"]["keep:planned"] == 2
    snapshot = {name: rows(engine, schema, name) for name in ("customers", "usage", "invoices", "invoice_lines")}

    # A second run of every item (as after a crash before our own commit) changes nothing more.
    PlanItem.objects.filter(plan=plan).exclude(action=Action.KEEP).update(status=PlanItem.Status.PLANNED, changed=0)
    run.refresh_from_db()
    SqlExecutor(run).execute()
    assert sum(PlanItem.objects.filter(plan=plan).values_list("changed", flat=True)) == 0
    assert {name: rows(engine, schema, name) for name in snapshot} == snapshot


def test_a_failing_table_leaves_a_clear_partial_state_that_can_be_resumed(crm, dpo):
    connector, engine, schema = crm
    plan = approved(planned("erase"), dpo)
    # The usage table is locked away by a rename; the executor hits it after invoices.
    with engine.begin() as c:
        c.execute(sa.text(f"ALTER TABLE {schema + '.' if schema else ''}usage RENAME TO usage_moved"))
    plan = execute(plan)
    assert plan.status == Plan.Status.PARTIAL
    run = SourceRun.objects.get(job=plan.job, connector=connector)
    assert run.status == SourceRun.Status.FAILED and "usage" in run.error
    statuses = {(i.entity, i.status) for i in plan.items.exclude(action=Action.KEEP)}
    assert ("invoice_lines", PlanItem.Status.DONE) in statuses
    assert ("usage", PlanItem.Status.FAILED) in statuses
    assert ("customers", PlanItem.Status.PLANNED) in statuses  # not reached: parents come after children
    assert 11 not in rows(engine, schema, "invoices")

    with engine.begin() as c:
        c.execute(sa.text(f"ALTER TABLE {schema + '.' if schema else ''}usage_moved RENAME TO usage"))
    plan = execute(plan)
    assert plan.status == Plan.Status.DONE
    assert set(rows(engine, schema, "usage")) == {3}
    assert rows(engine, schema, "customers")[1]["name"] == "Erased customer"


def test_a_dpo_can_keep_a_record_under_art_17_3(crm, dpo):
    connector, engine, schema = crm
    plan = planned("erase")
    usage = plan.items.get(entity="usage", record_key="1")
    with pytest.raises(service.PlanError):
        service.keep_item(usage, reason="legal_claims", note="")
    service.keep_item(usage, reason="legal_claims", note="Disputed licence use, claim pending")
    execute(approved(plan, dpo))
    assert set(rows(engine, schema, "usage")) == {1, 3}


def test_rectification_changes_exactly_the_approved_fields(crm, dpo):
    connector, engine, schema = crm
    plan = planned(
        "rectify",
        corrections=[
            {"field": "full_name", "current": "Lotte Peeters", "correct": "Lotte Peeters-Smet"},
            {"field": "phone", "current": "+32 470 12 34 56", "correct": "+32 470 99 99 99"},
        ],
    )
    item = plan.items.get(entity="customers", action=Action.RECTIFY)
    service.approve_fields(item, fields=["name"])  # the phone correction was not accepted
    execute(approved(plan, dpo))
    lotte = rows(engine, schema, "customers")[1]
    assert lotte["name"] == "Lotte Peeters-Smet"
    assert lotte["phone"] == "+32 470 12 34 56"


def test_rectification_restricts_meanwhile_when_the_subject_asked(crm, dpo):
    connector, engine, schema = crm
    plan = planned("rectify", corrections=[{"field": "full_name", "correct": "L. Peeters"}], restrict_meanwhile=True)
    assert rows(engine, schema, "customers")[1]["processing_restricted"] is True
    item = plan.items.get(action=Action.RECTIFY)
    service.approve_fields(item, fields=["name"])
    execute(approved(plan, dpo))
    lotte = rows(engine, schema, "customers")[1]
    assert lotte["name"] == "L. Peeters" and lotte["processing_restricted"] is False


def test_restriction_sets_the_flag_and_a_source_without_one_gets_a_manual_task(crm, dpo):
    connector, engine, schema = crm
    cameras = make_manual()
    plan = execute(approved(planned("restrict"), dpo))
    assert rows(engine, schema, "customers")[1]["processing_restricted"] is True
    assert rows(engine, schema, "customers")[2]["processing_restricted"] is False
    assert plan.status == Plan.Status.WAITING
    task = ManualTask.objects.get(run__connector=cameras, run__job=plan.job)
    assert "Lotte Peeters" in task.instructions and "restricted" in task.instructions
    service.complete_manual_task(task, user=dpo, findings="Footage flagged in the VMS")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DONE


def test_objection_to_marketing_updates_the_consent_flag_and_cannot_be_left_out(crm, dpo):
    connector, engine, schema = crm
    plan = planned("stop_processing", activities=["newsletter"], request_type="objection")
    item = plan.items.get(action=Action.STOP)
    assert item.mandatory
    with pytest.raises(service.PlanError):
        service.include_item(item, include=False, note="We like sending it")
    execute(approved(plan, dpo))
    lotte = rows(engine, schema, "customers")[1]
    assert lotte["marketing_opt_in"] is False and lotte["webinar_consent"] is True
    assert lotte["consent_changed_at"] is not None
    assert rows(engine, schema, "customers")[2]["marketing_opt_in"] is True


def test_a_source_that_cannot_be_read_is_reported_in_the_plan(crm, settings):
    connector, engine, schema = crm
    connector.config = {**connector.config, "url": "sqlite:////nonexistent/dir/x.sqlite3", "schema": None}
    connector.save()
    plan = planned("erase")
    run = SourceRun.objects.get(job=plan.job, connector=connector)
    assert run.status == SourceRun.Status.FAILED and run.error
    assert plan.error


def test_an_unknown_erasure_action_is_a_clear_configuration_error(crm):
    from dsar.execution.config import table_writes

    with pytest.raises(ConnectorError, match="erasure action"):
        table_writes({"execution": {"tables": {"t": {"match": {"email": "e"}, "erasure": {"action": "shred"}}}}})


def test_the_keyed_hash_follows_the_erasure_key_not_the_secret_key(settings):
    settings.DSAR_ERASURE_HASH_KEY = "erasure-key-one"
    settings.SECRET_KEY = "secret-key-before-rotation" * 2
    before = keyed_hash("lotte.peeters@example.be")

    settings.SECRET_KEY = "secret-key-after-rotation" * 2
    assert keyed_hash("lotte.peeters@example.be") == before

    settings.DSAR_ERASURE_HASH_KEY = "erasure-key-two"
    assert keyed_hash("lotte.peeters@example.be") != before
