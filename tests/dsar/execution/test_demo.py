"""The demo: Lotte Peeters erased from, and objecting in, the demo sources the engine ships."""

from __future__ import annotations

from dsar.execution import service
from dsar.execution.models import Action, Plan
from dsar.models import ManualTask

LOTTE = {"full_name": "Lotte Peeters", "email": "lotte.peeters@example.be", "customer_number": "C-100042"}


def run(plan: Plan, dpo) -> Plan:
    service.approve(plan, user=dpo)
    for run_id in service.runs_to_execute(plan):
        service.execute_run(run_id)
    return Plan.objects.get(pk=plan.pk)


def test_erasing_lotte_in_the_demo_keeps_her_recent_invoices_and_masks_her_customer_row(demo, dpo):
    lotte_id = demo.execute("SELECT id FROM customers WHERE customer_no = 'C-100042'").fetchone()["id"]
    invoices = demo.execute("SELECT id, issued_on FROM invoices WHERE customer_id = ?", [lotte_id]).fetchall()
    plan = service.compute(service.create_plan(external_ref="D-1", operation="erase", identity=LOTTE, options={}).pk)
    assert plan.status == Plan.Status.READY
    kept = set(plan.items.filter(action=Action.KEEP, entity="invoices").values_list("record_key", flat=True))
    assert kept  # invoices of the last 7 years stay
    plan = run(plan, dpo)
    # The marketing platform is erased through its API; the cameras need a person.
    assert plan.items.get(run__connector__code="demo-marketing").status == "done"
    assert plan.status == Plan.Status.WAITING
    assert ManualTask.objects.filter(run__job=plan.job).get().run.connector.code == "camera-footage"
    for task in ManualTask.objects.filter(run__job=plan.job):
        service.complete_manual_task(task, user=dpo, findings="Done in the tool")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DONE
    row = demo.execute("SELECT * FROM customers WHERE id = ?", [lotte_id]).fetchone()
    assert row["last_name"] == "Erased" and row["email"].startswith("erased:") and row["national_number"] is None
    assert not demo.execute("SELECT 1 FROM contacts WHERE customer_id = ?", [lotte_id]).fetchall()
    assert not demo.execute("SELECT 1 FROM licences WHERE customer_id = ?", [lotte_id]).fetchall()
    remaining = {r["id"] for r in demo.execute("SELECT id FROM invoices WHERE customer_id = ?", [lotte_id])}
    assert remaining == {int(k) for k in kept} and len(invoices) >= len(remaining)


def test_lotte_objecting_to_direct_marketing_clears_her_opt_in_with_the_date(demo, dpo):
    plan = service.create_plan(
        external_ref="D-2",
        operation="stop_processing",
        identity=LOTTE,
        options={"activities": ["keeping-in-touch"], "request_type": "objection"},
    )
    plan = service.compute(plan.pk)
    assert plan.items.get(action=Action.STOP).mandatory  # Art. 21(3)
    run(plan, dpo)
    row = demo.execute("SELECT * FROM customers WHERE customer_no = 'C-100042'").fetchone()
    assert row["marketing_opt_in"] == 0 and row["webinar_consent"] == 1
    assert row["marketing_opt_in_at"] > "2025"
