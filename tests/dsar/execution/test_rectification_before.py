"""A correction's record before the change (``PlanItem.before``): stored
encrypted, and gone with the rest of the subject's data when the desk forgets
the request's gathered data (retention) or after an erasure."""

from __future__ import annotations

import json

from django.db import connection

from dsar import retention
from dsar.execution import service
from dsar.execution.models import Action, PlanItem
from dsar.models import Connector, SourceRun


def rectify_item() -> PlanItem:
    plan = service.create_plan(external_ref="DSAR-2026-00042", operation="rectify", identity={}, options={})
    connector = Connector.objects.create(code="crm-b", name="CRM", kind="sql", operations=["rectify"])
    run = SourceRun.objects.create(job=plan.job, connector=connector)
    return PlanItem.objects.create(
        plan=plan,
        run=run,
        seq=1,
        entity="customers",
        record_key="1",
        action=Action.RECTIFY,
        fields={"street": "Neustraße 12"},
        before=json.dumps({"street": "Eliensingel 3"}),
    )


def test_the_record_before_the_change_is_stored_encrypted(db):
    item = rectify_item()
    with connection.cursor() as cursor:
        cursor.execute("SELECT before FROM dsar_execution_planitem WHERE id = %s", [item.pk])
        stored = cursor.fetchone()[0]
    assert "Eliensingel" not in stored
    assert PlanItem.objects.get(pk=item.pk).before_values == {"street": "Eliensingel 3"}


def test_forgetting_the_gathered_data_forgets_the_record_before_the_change(db):
    item = rectify_item()
    retention.forget_gathered("DSAR-2026-00042")
    item.refresh_from_db()
    assert item.before_values == {} and item.fields == {}
