"""The dashboard's figures (requests_app.workspace.figures) at 100,000 and 300,000 requests in PostgreSQL.

Loads requests as bench_queue does (its loader, into a database of its own:
BENCH_DASHBOARD_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/dsar_bench_dashboard),
plus two status changes in the audit trail for each request of the last 12
months (received, approved a few days later), then times the figures alone
and the whole dashboard page, and counts the page's queries: the count must
not grow with the volume (the figures are aggregated by the database).
"""

from __future__ import annotations

import os
import statistics
import sys
import time

from bench.bench_queue import _ensure_database, _load, _setup_django, roles_group
from bench.figures import figure, print_load

STEPS = [int(n) for n in os.environ.get("BENCH_DASHBOARD_STEPS", "100000,300000").split(",")]
ROUNDS = int(os.environ.get("BENCH_DASHBOARD_ROUNDS", 5))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dsar_bench_dashboard"

# Each request received in the last year: "new" on receipt, "approved" 1 to 9 days later.
EVENTS_SQL = """
INSERT INTO requests_app_requestevent
    (request_id, seq, created_at, actor_id, actor_label, kind, status_before, status_after, details, public,
     prev_hash, hash)
SELECT r.id, s.seq, r.received_at + (s.seq - 1) * ((1 + r.id % 9) * interval '1 day'), NULL, 'system',
       CASE s.seq WHEN 1 THEN 'request.created' ELSE 'request.approve' END,
       CASE s.seq WHEN 1 THEN '' ELSE 'new' END, CASE s.seq WHEN 1 THEN 'new' ELSE 'approved' END,
       '{}'::jsonb, false, '', md5(r.id::text || s.seq::text)
FROM requests_app_subjectrequest r CROSS JOIN (VALUES (1), (2)) AS s(seq)
WHERE r.received_at >= now() - interval '365 days'
"""


def _load_events() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE requests_app_requestevent")
        cursor.execute(EVENTS_SQL)
        count = cursor.rowcount
        cursor.execute("VACUUM ANALYZE requests_app_requestevent")
    return count


def _measure(n: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from requests_app.accounts import roles
    from requests_app.workspace import figures

    figures.figures()  # warm the plans
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        board = figures.figures()
        board.charts()
        times.append((time.perf_counter() - started) * 1000)
    dpo, _ = get_user_model().objects.get_or_create(username="bench-dpo")
    dpo.groups.add(roles_group(roles.DPO))
    client = Client()
    client.force_login(dpo)
    client.get("/workspace/dashboard/")
    page_times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/workspace/dashboard/")
        page_times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    print(
        f"{n:,} requests: figures median {statistics.median(times):.0f} ms, dashboard page median "
        f"{statistics.median(page_times):.0f} ms, {len(queries)} queries",
        flush=True,
    )
    figure(f"dashboard_figures_median_{n}", statistics.median(times), "ms")
    figure(f"dashboard_page_median_{n}", statistics.median(page_times), "ms")
    figure(f"dashboard_page_queries_{n}", len(queries), "queries")


def main() -> None:
    url = os.environ.get("BENCH_DASHBOARD_DATABASE_URL", DEFAULT_URL)
    _ensure_database(url)
    _setup_django(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print_load("start")
    for n in STEPS:
        _load(n)
        print(f"{_load_events():,} audit events of the last 12 months", flush=True)
        _measure(n)
        print_load(f"after {n:,}")


if __name__ == "__main__":
    sys.exit(main())
