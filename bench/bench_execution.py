"""Execution benchmarks (issue: acting on requests). Prints figures; takes well under a minute.

One subject in a SQLite CRM of 20,000 customers, with 20,000 usage rows of
their own and 200 invoices (half under the 7-year legal hold): time to compute
the erasure plan, to execute it, and to run it a second time (which must
change nothing). Run with a var dir of its own, e.g.
  DSAR_VAR_DIR=$PWD/var/bench .venv/bin/python -m bench bench_execution
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from pathlib import Path

from bench.figures import figure, print_load

SUBJECT_ROWS = 20_000
CUSTOMERS = 20_000


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _build_source(path: Path) -> str:
    import sqlite3

    connection = sqlite3.connect(path)
    connection.executescript(
        """
        CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT, name TEXT, phone TEXT);
        CREATE INDEX customers_email ON customers (email);
        CREATE TABLE usage (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers (id), feature TEXT);
        CREATE INDEX usage_customer ON usage (customer_id);
        CREATE TABLE invoices (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers (id), issued_on TEXT);
        CREATE INDEX invoices_customer ON invoices (customer_id);
        """
    )
    connection.executemany(
        "INSERT INTO customers VALUES (?, ?, ?, ?)",
        [(i, f"c{i}@example.be", f"Customer {i}", "+32 470 00 00 00") for i in range(1, CUSTOMERS + 1)],
    )
    connection.execute("UPDATE customers SET email = 'lotte.peeters@example.be' WHERE id = 42")
    connection.executemany(
        "INSERT INTO usage (customer_id, feature) VALUES (?, ?)", [(42, f"f{i % 7}") for i in range(SUBJECT_ROWS)]
    )
    today = dt.date.today()  # noqa: DTZ011 - a benchmark's source data
    connection.executemany(
        "INSERT INTO invoices (customer_id, issued_on) VALUES (?, ?)",
        [(42, (today - dt.timedelta(days=30 * i)).isoformat()) for i in range(200)],
    )
    connection.commit()
    connection.close()
    return f"sqlite:///{path}"


def main() -> None:
    _setup_django()
    print_load("start")
    from django.db import transaction

    from dsar.execution import service
    from dsar.execution.models import Plan, PlanItem
    from dsar.models import Connector, ProcessingActivity

    with tempfile.TemporaryDirectory() as folder:
        url = _build_source(Path(folder) / "crm.sqlite3")
        ProcessingActivity.objects.update_or_create(
            code="bench-billing",
            defaults={"names": {"en": "Billing"}, "legal_basis": "legal_obligation", "legal_hold_years": 7},
        )
        Connector.objects.filter(enabled=True).update(enabled=False)
        connector = Connector.objects.create(
            code=f"bench-crm-{int(time.time())}",
            name="Bench CRM",
            kind="sql",
            operations=["erase"],
            config={
                "url": url,
                "execution": {
                    "tables": {
                        "customers": {
                            "match": {"email": "email"},
                            "erasure": {"fields": {"email": "hash", "name": "fixed:Erased", "phone": None}},
                        },
                        "usage": {"parent": {"table": "customers", "column": "customer_id"}},
                        "invoices": {
                            "parent": {"table": "customers", "column": "customer_id"},
                            "legal_hold": {"activity": "bench-billing", "date_column": "issued_on"},
                        },
                    }
                },
            },
        )
        try:
            plan = service.create_plan(
                external_ref="BENCH", operation="erase", identity={"email": "lotte.peeters@example.be"}, options={}
            )
            start = time.perf_counter()
            with transaction.atomic():
                service.compute(plan.pk)
            planned = time.perf_counter() - start
            items = plan.items.count()
            plan = service.approve(Plan.objects.get(pk=plan.pk), user=None)
            start = time.perf_counter()
            for run_id in service.runs_to_execute(plan):
                service.execute_run(run_id)
            executed = time.perf_counter() - start
            rows = sum(PlanItem.objects.filter(plan=plan).values_list("changed", flat=True))
            # Second run of every item: nothing may change.
            PlanItem.objects.filter(plan=plan).exclude(action="keep").update(status="planned", changed=0)
            Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.APPROVED)
            start = time.perf_counter()
            for run_id in service.runs_to_execute(plan):
                service.execute_run(run_id)
            again = time.perf_counter() - start
            changed_again = sum(PlanItem.objects.filter(plan=plan).values_list("changed", flat=True))
            kept = PlanItem.objects.filter(plan=plan, action="keep").count()
            print(f"plan: {items} items ({kept} kept under legal hold) computed in {planned:.2f} s")
            print(f"execution: {rows} rows changed in {executed:.2f} s")
            print(f"second run: {changed_again} rows changed in {again:.2f} s (must be 0)")
            figure("erasure_plan", planned, "s")
            figure("erasure_execution", executed, "s")
            figure("erasure_second_run_changed", changed_again, "rows")
            print_load("end")
        finally:
            # The plan protects its connector's runs; the benchmark's database is its own.
            Connector.objects.filter(pk=connector.pk).update(enabled=False)
