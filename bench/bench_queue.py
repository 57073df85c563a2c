"""The workspace queue from 100,000 to 3,000,000 requests in PostgreSQL.

For each volume of BENCH_QUEUE_STEPS (100k, 300k, 1M, 3M), while the time
budget BENCH_QUEUE_BUDGET_S (300 s) lasts: loads the requests into a dedicated
database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/dsar_bench)
with INSERT ... SELECT generate_series (the indexes built after the rows),
then requests the queue page with the usual filters through Django's test
client and prints the 95th percentile server-side time of all views and of
the slowest filter (target: every filter under 100 ms): the curve, one pair
of FIGURE lines per volume.

Loading 3,000,000 requests takes minutes. A database that already holds the
step's volume, loaded less than a day ago (the open requests' deadlines are
relative to the time of loading), is reused as it is. With
BENCH_QUEUE_KEEP=1 each volume has a database of its own (the name of
BENCH_DATABASE_URL with ``_<volume>`` appended, e.g. ``queue_bench_3000000``)
and is kept: the whole curve runs again without loading anything.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from contextlib import contextmanager

from bench.figures import figure, print_load

# The curve: the same page views at each volume, as far as the time budget allows.
STEPS = [int(n) for n in os.environ.get("BENCH_QUEUE_STEPS", "100000,300000,1000000,3000000").split(",")]
BUDGET_S = float(os.environ.get("BENCH_QUEUE_BUDGET_S", 300))
ROUNDS = int(os.environ.get("BENCH_QUEUE_ROUNDS", 15))
# One database per volume, kept between runs (see the module's docstring).
KEEP = os.environ.get("BENCH_QUEUE_KEEP", "") not in ("", "0")
# A load older than this is done again: the open requests' deadlines move with the clock.
FRESH_FOR = dt.timedelta(days=1)
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dsar_bench"
OPEN = ("new", "awaiting_subject", "approved", "processing", "in_review")

# Statuses: about 3% of the requests are open (a big controller's backlog);
# the rest are the finished requests of the last five years.
LOAD_SQL = """
INSERT INTO requests_app_subjectrequest (
    created_at, updated_at, reference, token_hash, token_encrypted, request_type, status, channel, language,
    full_name, email, phone, postal_address, customer_number, national_number, details, type_details,
    received_at, verified_at, verification_method, due_date, original_due_date, internal_target_date,
    extended_at, extension_reason, assignee_id, rejection_reason, rejection_details, closed_at,
    answered_at, closing_reason, outcome_summary, purged_at, event_count, event_head)
SELECT
    received, received,
    'DSAR-' || (2021 + i / 200001) || '-' || lpad(i::text, 7, '0'),
    md5('token' || i::text) || md5('salt' || i::text), '',
    (ARRAY['access','erasure','rectification','objection','portability','restriction','withdrawal'])[1 + i % 7],
    CASE WHEN i > %(n)s - %(open)s THEN (ARRAY['new','awaiting_subject','approved','processing','in_review'])[1 + i % 5]
         WHEN i % 10 = 0 THEN 'rejected' ELSE 'closed' END,
    (ARRAY['web','web','web','email','letter','phone','api'])[1 + i % 7],
    (ARRAY['nl','fr','de','en'])[1 + i % 4],
    'Subject ' || i, 'subject' || i || '@example.be', '', '', '', '', '', '{}'::jsonb,
    received, received, 'email_link',
    (received + interval '31 days')::date, (received + interval '31 days')::date, (received + interval '28 days')::date,
    NULL, '', CASE WHEN i % 4 = 0 THEN NULL ELSE %(first_user)s + i %% 8 END,
    CASE WHEN i % 10 = 0 AND i <= %(n)s - %(open)s THEN 'excessive' ELSE '' END, '',
    CASE WHEN i <= %(n)s - %(open)s THEN received + interval '20 days' END,
    CASE WHEN i <= %(n)s - %(open)s THEN received + interval '20 days' END, '',
    '', NULL, 0, ''
FROM (
    SELECT i, CASE WHEN i > %(n)s - %(open)s
                   THEN now() - ((%(n)s - i) * interval '1 minute') * (40.0 * 1440 / %(open)s)
                   ELSE now() - interval '5 years' + (i * interval '1 second') * (5 * 365.0 * 86400 / %(n)s)
              END AS received
    FROM generate_series(1, %(n)s) AS i
) AS series
"""


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DSAR_VAR_DIR", os.path.join(os.path.dirname(os.path.dirname(__file__)), "var", "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()


def _ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _load(n: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.db.models import Max
    from django.utils import timezone

    from requests_app.accounts import roles
    from requests_app.models import SubjectRequest

    if SubjectRequest.objects.count() == n:
        newest = SubjectRequest.objects.aggregate(newest=Max("received_at"))["newest"]
        if newest and timezone.now() - newest < FRESH_FOR:
            print(f"{n:,} requests already loaded (newest received {timezone.now() - newest} ago): reused")
            return
    roles.ensure_groups()
    from django.contrib.auth.models import Group

    users = []
    for k in range(8):
        user, _ = get_user_model().objects.get_or_create(
            username=f"agent{k}", defaults={"email": f"agent{k}@example.org"}
        )
        user.groups.add(Group.objects.get(name=roles.AGENT))
        users.append(user)
    first_user = min(u.pk for u in users)
    started = time.perf_counter()
    open_count = max(n * 3 // 100, 1)
    sql = LOAD_SQL.replace("%(n)s", str(n)).replace("%(open)s", str(open_count))
    sql = sql.replace("%(first_user)s", str(first_user)).replace("%%", "%")
    # One transaction: a load that fails leaves the table and its indexes as they were.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE requests_app_subjectrequest CASCADE")
        with _indexes_built_after(cursor, "requests_app_subjectrequest"):
            cursor.execute(sql)
    # As autovacuum would after a bulk load: statistics and the visibility map
    # (index-only scans for the counts).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE requests_app_subjectrequest")
    print(f"loaded {n:,} requests ({open_count:,} open) in {time.perf_counter() - started:.1f} s")


@contextmanager
def _indexes_built_after(cursor, table: str):
    """Drop ``table``'s indexes (its primary key's apart), then build them again
    over the rows loaded in the block.

    The table has some 30 indexes, random keys among them (the token's hash,
    the address): kept up row by row, they made most of a load's time (82 s
    for 1M requests against 46 s this way on the same machine), and 3M did not
    fit the budget on a slow one. The figures change little: a built index is
    packed, as one is after ``REINDEX``, where one grown row by row has split
    pages. Unique constraints are dropped and added again with their own
    definition, so the rows loaded are still checked against them.
    """
    cursor.execute(
        """
        SELECT index_class.relname, pg_get_indexdef(i.indexrelid), con.conname, pg_get_constraintdef(con.oid)
        FROM pg_index i
        JOIN pg_class index_class ON index_class.oid = i.indexrelid
        LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
        WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
        ORDER BY index_class.relname
        """,
        [table],
    )
    indexes = cursor.fetchall()
    # The table's own foreign keys too: checked row by row by a trigger during
    # the load, by one join when added again.
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
        [table],
    )
    foreign_keys = cursor.fetchall()
    for constraint, _definition in foreign_keys:
        cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{constraint}"')
    for name, _definition, constraint, _constraint_definition in indexes:
        if constraint:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{constraint}"')
        else:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    # Sorting in memory rather than on disk (PostgreSQL's default is 64 MB); for this transaction only.
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    for _name, definition, constraint, constraint_definition in indexes:
        if constraint:
            cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{constraint}" {constraint_definition}')
        else:
            cursor.execute(definition)
    for constraint, definition in foreign_keys:
        cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{constraint}" {definition}')


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _use_database(url: str) -> None:
    """Point Django's connection at another database (one per volume with BENCH_QUEUE_KEEP) and migrate it."""
    from django.core.management import call_command
    from django.db import connection

    _ensure_database(url)
    name = url.rsplit("/", 1)[1]
    if connection.settings_dict["NAME"] != name:
        connection.close()
        connection.settings_dict["NAME"] = name
    call_command("migrate", verbosity=0)


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    _setup_django(url)
    if not KEEP:
        _use_database(url)
    print_load("start")
    started = time.monotonic()
    last = None  # (requests, seconds) of the previous step
    for n in STEPS:
        # A step's load and page views grow about linearly with the volume.
        expected = last[1] * n / last[0] if last else 0.0
        if time.monotonic() - started + expected > BUDGET_S:
            print(
                f"stopped before {n:,} requests: about {expected:.0f} s more would pass the budget of "
                f"{BUDGET_S:.0f} s (BENCH_QUEUE_BUDGET_S)",
                flush=True,
            )
            break
        step_started = time.monotonic()
        if KEEP:
            _use_database(f"{url}_{n}")
        _load(n)
        _measure(n)
        last = (n, time.monotonic() - step_started)
        print_load(f"after {n:,}")


def _measure(n: int) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from requests_app.accounts import roles
    from requests_app.models import SubjectRequest

    # No setup_test_environment(): its template instrumentation would be
    # measured too. ALLOWED_HOSTS includes "testserver" (set above).
    dpo, _ = get_user_model().objects.get_or_create(username="bench-dpo")
    dpo.groups.add(roles_group(roles.DPO))
    client = Client()
    client.force_login(dpo)
    some = SubjectRequest.objects.open().order_by("-pk").values("reference", "email", "assignee_id").first()
    views = {
        "default (open, by due date)": {},
        "status=new": {"status": "new"},
        "type=erasure": {"type": "erasure"},
        "assignee=one agent": {"assignee": str(some["assignee_id"] or "none")},
        "assignee=unassigned": {"assignee": "none"},
        "channel=letter": {"channel": "letter"},
        "overdue": {"overdue": "1"},
        "due within 7 days": {"due_within": "7"},
        "search reference": {"q": some["reference"]},
        "search e-mail": {"q": some["email"]},
        "search name": {"q": "Subject 99"},
        "page 20 of open": {"page": "20"},
        "200 per page": {"per_page": "200"},
        "status=closed (old requests)": {"status": "closed"},
        # Sortable columns (issue 15): a column with no index of its own, and one through the assignee join.
        "sort by subject": {"sort": "subject"},
        "sort by assignee, descending": {"sort": "-assignee"},
        "closed, sort by subject": {"status": "closed", "sort": "subject"},
    }
    all_times: list[float] = []
    all_cpu: list[float] = []
    worst = ("", 0.0)
    print(f"{'view':34} {'median ms':>10} {'p95 ms':>8} {'cpu ms':>7} {'db cpu ms':>9}")
    for label, params in views.items():
        client.get("/workspace/", params)  # warm the plan and caches
        backend = _BackendCpu()
        times, cpu = [], 0.0
        for _ in range(ROUNDS):
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get("/workspace/", params)
            times.append((time.perf_counter() - started) * 1000)
            cpu += time.process_time() - cpu_started
            assert response.status_code == 200, response.status_code
        db_cpu = backend.used()
        all_times += times
        all_cpu.append((cpu + (db_cpu or 0.0)) / ROUNDS * 1000)
        worst = max(worst, (label, _p95(times)), key=lambda item: item[1])
        db_text = f"{db_cpu / ROUNDS * 1000:9.1f}" if db_cpu is not None else f"{'n/a':>9}"
        print(
            f"{label:34} {statistics.median(times):10.1f} {_p95(times):8.1f} {cpu / ROUNDS * 1000:7.1f} {db_text}",
            flush=True,
        )
    p95 = _p95(all_times)
    print(
        f"queue page, {n:,} requests, {len(all_times)} page views: p95 {p95:.1f} ms "
        f"(target < 100 ms) -> {'OK' if p95 < 100 else 'OVER TARGET'}; slowest filter: {worst[0]}"
    )
    figure(f"queue_p95_{n}", p95, "ms")
    figure(f"queue_worst_filter_p95_{n}", worst[1], "ms")
    # What a page view costs in CPU, this process's and the database's: the
    # load of a shared machine stretches the times above, not this.
    figure(f"queue_cpu_per_view_{n}", statistics.mean(all_cpu), "ms")
    _measure_csv(client, n)


class _BackendCpu:
    """CPU time used by the database's process serving this connection since
    it was made, read from /proc when PostgreSQL runs on this machine (in
    clock ticks of 10 ms: meaningful over a view's rounds, not one request)."""

    def __init__(self):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.pid = cursor.fetchone()[0]
        self.started = self._read()

    def _read(self) -> float | None:
        try:
            with open(f"/proc/{self.pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime

    def used(self) -> float | None:
        """Seconds used since made; None if unknown (another machine, or a new connection meanwhile)."""
        from django.db import connection

        now = self._read()
        if now is None or self.started is None or connection.connection is None:
            return None
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            if cursor.fetchone()[0] != self.pid:
                return None
        return now - self.started


def _measure_csv(client, n: int) -> None:
    """The CSV of the open queue (every page of it), streamed: time and rows per second."""
    times, rows = [], 0
    for _ in range(3):
        started = time.perf_counter()
        response = client.get("/workspace/queue.csv")
        body = b"".join(response.streaming_content)
        times.append((time.perf_counter() - started) * 1000)
        rows = body.count(b"\n") - 1
    median = statistics.median(times)
    print(f"queue CSV, {n:,} requests: {rows:,} open rows in {median:.0f} ms (median of 3)")
    figure(f"queue_csv_open_{n}", median, "ms")


def roles_group(name):
    from django.contrib.auth.models import Group

    return Group.objects.get_or_create(name=name)[0]


if __name__ == "__main__":
    sys.exit(main())
