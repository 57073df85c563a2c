"""What the plan gets right at the edges: a legal hold without its date, the
categories of an erasure of specific data, sources that hold none of the
corrected data, the restriction's ground, and the audit of every plan edit."""

from __future__ import annotations

import sqlalchemy as sa
from django.urls import reverse

from dsar.execution import service
from dsar.execution.models import Action, Exception17, Plan
from tests.execution.factories import LOTTE


def planned(operation, **options) -> Plan:
    plan = service.create_plan(external_ref="DSAR-2026-00001", operation=operation, identity=LOTTE, options=options)
    return service.compute(plan.pk)


def rows(engine, schema, name):
    table = sa.Table(name, sa.MetaData(), autoload_with=engine, schema=schema)
    with engine.connect() as c:
        return {row.id: dict(row._mapping) for row in c.execute(sa.select(table))}


def test_a_held_row_without_its_date_is_kept_for_the_dpo_to_check(crm, dpo, client):
    connector, engine, schema = crm
    invoices = sa.Table("invoices", sa.MetaData(), autoload_with=engine, schema=schema)
    with engine.begin() as c:
        c.execute(invoices.update().where(invoices.c.id == 11).values(issued_on=None))
    plan = planned("erase")
    held = plan.items.get(entity="invoices", record_key="11")
    assert held.action == Action.KEEP and held.reason == Exception17.LEGAL_OBLIGATION
    assert held.keep_until is None and "7 years" in held.note
    # Its lines follow it, and the customer it points at is masked, not deleted.
    assert plan.items.get(entity="invoice_lines", record_key="101").action == Action.KEEP
    assert plan.items.get(entity="customers", record_key="1").action == Action.MASK
    service.approve(plan, user=dpo)
    for run_id in service.runs_to_execute(plan):
        service.execute_run(run_id)
    assert 11 in rows(engine, schema, "invoices") and 101 in rows(engine, schema, "invoice_lines")
