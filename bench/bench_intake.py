"""Intake against its floor (issue 17, point 1): the public API and the web
form through gunicorn on PostgreSQL, beside a bare Django view doing one
INSERT on the same database through the same server (bench/intake_urls.py).

Figures (see bench/figures.py for the line format):
- intake_sequential_median: one client, public API submissions one after the
  other, median ms; floor: the INSERT view, same client, blocks interleaved
  so both see the same load (target ratio <= 3);
- intake_form_sequential_median: the same through the web form (CSRF token,
  302 to the confirmation page), in the same interleaved blocks;
- intake_concurrent_rps: 8 client processes (gunicorn's sync workers close each connection),
  submissions per second; floor: the INSERT view's req/s (target >= 30% of
  it), the two in turns (twice each, the same load on average), and checked:
  no duplicate reference, no lost request;
- intake_gunicorn_worker_rss_max: the resident memory of a worker once it has
  served 1,000 intake requests (API and form; the floor's not counted), MB
  (target <= 150): after the phases above, gunicorn is asked to stop two of
  its three workers and the one left is sent submissions until it has served
  1,000 (bench/intake_wsgi.py counts them).

The server is the Dockerfile's: gunicorn, 3 sync workers, persistent database
connections (CONN_MAX_AGE), DEBUG off (with DEBUG on, Django keeps every
query's SQL and time per request: a cost production never pays, seven times
the floor's on a submission). Broker and cache are Redis, as in production
(docker-compose.yml), when Redis answers: BENCH_INTAKE_REDIS=redis://host:port/N
takes database N for the broker and N+1 for the cache (default: 127.0.0.1:6379,
databases 0 and 1, when it answers); every key the run writes is prefixed
(bench/intake_settings.py) and deleted at the end. BENCH_INTAKE_REDIS=0 runs on
the embedded defaults (file cache, SQLite broker), or on CACHE_URL /
CELERY_BROKER_URL when set. Database: BENCH_INTAKE_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/dsar_bench_intake (created), with its var
dir (keys) BENCH_INTAKE_VAR_DIR, default var/bench-intake.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench.figures import figure, median_ms, print_load

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dsar_bench_intake"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
SEQUENTIAL = int(os.environ.get("BENCH_INTAKE_SEQUENTIAL", 200))
CLIENTS = 8
PER_CLIENT = int(os.environ.get("BENCH_INTAKE_PER_CLIENT", 50))
CONCURRENT_ROUNDS = 2
WORKERS = 3
# Intake requests each worker serves before its memory is read (issue 17).
RSS_AFTER = int(os.environ.get("BENCH_INTAKE_RSS_AFTER", 1000))
KEY_PREFIX = "bench-intake"


def _redis_urls() -> tuple[str, str] | None:
    """(broker URL, cache URL) on Redis, or None for the settings' own."""
    import redis

    asked = os.environ.get("BENCH_INTAKE_REDIS", "")
    if asked.lower() in ("0", "no", "off", "false"):
        return None
    url = asked or DEFAULT_REDIS
    match = re.match(r"^(rediss?)://([^/]+)/(\d+)$", url)
    if not match:
        raise SystemExit(f"BENCH_INTAKE_REDIS={asked!r}: expected redis://host:port/N (N: the broker's database)")
    scheme, host, db = match.group(1), match.group(2), int(match.group(3))
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if asked:
            raise
        return None  # no Redis here: the embedded defaults
    return url, f"{scheme}://{host}/{db + 1}"


def _delete_own_keys(urls: tuple[str, str]) -> None:
    """Delete the keys this run wrote (its queues, rate-limit counters, lock
    and cache entries), and nothing else of a database it may share."""
    import redis

    for url in urls:
        client = redis.Redis.from_url(url)
        keys = list(client.scan_iter(match=f"{KEY_PREFIX}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])


def _ensure_database(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _setup(env: dict) -> None:
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.intake_urls import FLOOR_TABLE

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {FLOOR_TABLE} "
            "(id bigserial PRIMARY KEY, full_name text NOT NULL, email text NOT NULL, created timestamptz NOT NULL)"
        )
        # As autovacuum would: the database keeps every run's submissions (a
        # few thousand rows each), and a server with autovacuum off (CI's) never
        # refreshes the planner's statistics. With statistics of an empty table
        # the planner scans every request of the type to find one address's
        # (0.8 ms of a submission at 30,000 requests); production's autovacuum
        # does not leave them so.
        cursor.execute("ANALYZE")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "bench.intake_wsgi:application",
            "--config",
            "config/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            "-",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def _worker_rss_mb(master: int) -> dict[int, float]:
    """Resident memory of the gunicorn master's worker processes by pid (Linux /proc)."""
    sizes = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) != master:
                continue
            status = (stat.parent / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                sizes[int(stat.parent.name)] = int(line.split()[1]) / 1024
    return sizes


def _payload(tag: str, n: int) -> dict:
    return {
        "request_type": "access",
        "full_name": f"Bench Subject {tag} {n}",
        "email": f"bench-{tag}-{n}@example.be",
        "language": "nl",
        "customer_number": f"C-{n:06d}",
    }


def _post(session, base: str, what: str, tag: str, n: int) -> tuple[float, str]:
    """One submission; returns its time and the reference (or floor id)."""
    url = f"{base}/bench/floor/" if what == "floor" else f"{base}/api/v1/requests/"
    start = time.perf_counter()
    response = session.post(url, json=_payload(tag, n))
    elapsed = time.perf_counter() - start
    if response.status_code != 201:
        raise RuntimeError(f"{what}: {response.status_code} {response.text[:300]}")
    return elapsed, (response.text if what == "floor" else response.json()["reference"])


def _form_post(session, base: str, token: str, n: int, tag: str) -> float:
    data = {**_payload(tag, n), "website": "", "csrfmiddlewaretoken": token}
    start = time.perf_counter()
    response = session.post(f"{base}/", data=data, headers={"Referer": f"{base}/"}, allow_redirects=False)
    elapsed = time.perf_counter() - start
    if response.status_code != 302:
        raise RuntimeError(f"form: {response.status_code}")
    return elapsed


def _form_token(session, base: str) -> str:
    page = session.get(f"{base}/")
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def _served(response, counts: dict[int, int]) -> None:
    """Note the worker that answered and its count of intake requests (bench/intake_wsgi.py)."""
    pid, count = (int(part) for part in response.headers["X-Bench-Served"].split())
    counts[pid] = max(counts.get(pid, 0), count)


def _feeder(args) -> dict[int, int]:
    """One client of the memory phase: API and form submissions in turn.
    Returns the highest count each worker that answered reported."""
    import requests

    base, client, count = args
    session = requests.Session()
    token = _form_token(session, base)
    counts: dict[int, int] = {}
    tag = f"m{client}-{time.time_ns()}"
    for n in range(count):
        if n % 2:
            data = {**_payload(tag, n), "website": "", "csrfmiddlewaretoken": token}
            response = session.post(f"{base}/", data=data, headers={"Referer": f"{base}/"}, allow_redirects=False)
            ok = response.status_code == 302
        else:
            response = session.post(f"{base}/api/v1/requests/", json=_payload(tag, n))
            ok = response.status_code == 201
        if not ok:
            raise RuntimeError(f"memory phase: {response.status_code} {response.text[:300]}")
        _served(response, counts)
    return counts


def _keep_one_worker(master: int) -> int:
    """Ask gunicorn to stop all workers but one (SIGTTOU: one fewer each) and
    return the one left: feeding one worker its 1,000 requests takes a third
    of the time of feeding three, and every worker runs the same code."""
    deadline = time.monotonic() + 90
    while len(workers := _worker_rss_mb(master)) > 1:
        # One signal at a time: two sent together may reach the master's
        # Python handler as one.
        os.kill(master, signal.SIGTTOU)
        while len(_worker_rss_mb(master)) >= len(workers):
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn kept more than one worker")
            time.sleep(0.2)
    return next(iter(workers))


def _feed_worker(base: str, worker: int, served: int) -> int:
    """Send intake submissions from 8 clients until the worker has served
    RSS_AFTER intake requests; ``served``: its count so far. Returns its count."""
    for _round in range(10):
        short = RSS_AFTER - served
        if short <= 0:
            break
        with multiprocessing.Pool(CLIENTS) as pool:
            for seen in pool.map(_feeder, [(base, c, -(-short // CLIENTS)) for c in range(CLIENTS)]):
                served = max(served, seen.get(worker, 0))
    return served


def _client(args) -> tuple[float, float, list[str]]:
    import requests

    base, what, client, count, barrier = args
    session = requests.Session()
    _post(session, base, what, f"warm{what}{client}-{time.time_ns()}", 0)
    barrier.wait()
    start = time.perf_counter()
    refs = [_post(session, base, what, f"c{client}-{time.time_ns()}", n)[1] for n in range(count)]
    return start, time.perf_counter(), refs


def _concurrent(base: str, what: str, per_client: int) -> tuple[float, list[str]]:
    """8 clients at once: the seconds from the first one's start to the last
    one's end, and what each submission answered."""
    with multiprocessing.Manager() as manager:
        barrier = manager.Barrier(CLIENTS)
        with multiprocessing.Pool(CLIENTS) as pool:
            results = pool.map(_client, [(base, what, c, per_client, barrier) for c in range(CLIENTS)])
    started = min(r[0] for r in results)
    ended = max(r[1] for r in results)
    return ended - started, [ref for r in results for ref in r[2]]


def main() -> None:
    import requests

    url = os.environ.get("BENCH_INTAKE_DATABASE_URL", DEFAULT_URL)
    _ensure_database(url)
    redis_urls = _redis_urls()
    env = {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.intake_settings",
        "DEBUG": "false",
        # Fixed, beside its database: the encryption keys live in the var dir,
        # and the database's encrypted rows must stay readable run after run.
        "DSAR_VAR_DIR": os.environ.get("BENCH_INTAKE_VAR_DIR", str(ROOT / "var" / "bench-intake")),
    }
    if redis_urls:
        env["CELERY_BROKER_URL"], env["CACHE_URL"] = redis_urls
    _setup(env)
    from django.conf import settings

    from requests_app.models import SubjectRequest

    print(
        f"server: gunicorn {WORKERS} sync workers, CONN_MAX_AGE={settings.DATABASES['default'].get('CONN_MAX_AGE')}, "
        f"cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}, "
        f"broker: {settings.CELERY_BROKER_URL.split('://')[0]}"
        + (f" ({redis_urls[0]}, cache database +1)" if redis_urls else ""),
        flush=True,
    )
    port = _free_port()
    server = _start_server(env, port)
    base = f"http://127.0.0.1:{port}"
    try:
        print_load("start")
        session = requests.Session()
        run = time.time_ns()
        for n in range(10):  # warm every worker's imports and connection
            _post(session, base, "floor", f"warm{run}", n)
            _post(session, base, "api", f"warm{run}", n)

        token = _form_token(session, base)
        floor_times, api_times, form_times = [], [], []
        # Interleaved blocks (20 floor, 20 API, 10 form): the three see the same load.
        for block in range(0, SEQUENTIAL, 20):
            floor_times += [_post(session, base, "floor", f"s{run}", block + i)[0] for i in range(20)]
            api_times += [_post(session, base, "api", f"s{run}", block + i)[0] for i in range(20)]
            # A tag of this run: the same address and right as an earlier run's
            # open request would be an exact double, joined instead of recorded.
            form_times += [_form_post(session, base, token, block + i, f"form{run}") for i in range(10)]
        floor_median = median_ms(floor_times)
        figure("intake_sequential_median", median_ms(api_times), "ms", floor_median)
        figure("intake_form_sequential_median", median_ms(form_times), "ms", floor_median)
        print_load("after sequential")

        before = SubjectRequest.objects.count()
        # Floor and intake in turns (CONCURRENT_ROUNDS of each): a burst of a
        # few seconds each, alone, measured the load of its own moment.
        floor_seconds = api_seconds = 0.0
        floor_count, refs = 0, []
        for _round in range(CONCURRENT_ROUNDS):
            seconds, ids = _concurrent(base, "floor", PER_CLIENT // CONCURRENT_ROUNDS)
            floor_seconds, floor_count = floor_seconds + seconds, floor_count + len(ids)
            seconds, round_refs = _concurrent(base, "api", PER_CLIENT // CONCURRENT_ROUNDS)
            api_seconds, refs = api_seconds + seconds, refs + round_refs
        floor_rps, api_rps = floor_count / floor_seconds, len(refs) / api_seconds
        # Each client's warm-up submission counts too.
        created = SubjectRequest.objects.count() - before - CLIENTS * CONCURRENT_ROUNDS
        duplicates = len(refs) - len(set(refs))
        in_db = SubjectRequest.objects.filter(reference__in=refs).count()
        figure("intake_concurrent_rps", api_rps, "req/s", floor_rps)
        print(
            f"concurrent: {len(refs)} accepted, {created} created, {in_db} found by reference, "
            f"{duplicates} duplicate references",
            flush=True,
        )
        if duplicates or created != len(refs) or in_db != len(refs):
            raise SystemExit("intake under concurrency: a duplicate reference or a lost request")
        print_load("after concurrent")

        # Each worker has served about a third of the intake requests so far
        # (the floor's not counted); one of them goes on to RSS_AFTER.
        sizes = _worker_rss_mb(server.pid)
        print("workers now: " + ", ".join(f"{size:.0f} MB" for size in sorted(sizes.values())), flush=True)
        worker = _keep_one_worker(server.pid)
        probe = requests.Session().get(f"{base}/")
        served = _feed_worker(base, worker, int(probe.headers["X-Bench-Served"].split()[1]))
        size = _worker_rss_mb(server.pid)[worker]
        print(f"the worker left: {served} intake requests served, {size:.0f} MB", flush=True)
        figure("intake_gunicorn_worker_rss_max", max(size, *sizes.values()), "MB")
        if served < RSS_AFTER:
            print(f"warning: the worker served fewer than {RSS_AFTER} intake requests", flush=True)
        print_load("end")
    finally:
        server.terminate()
        server.wait(timeout=30)
        if redis_urls:
            _delete_own_keys(redis_urls)


if __name__ == "__main__":
    sys.exit(main())
