"""The copy path against its floor (issue 17, points 2 and 3): approve, gather
one SQL source, write the JSON and the PDF, with the real tasks of a real
worker, as in production.

Figures (see bench/figures.py for the line format):
- copy_json_ready: a portability request (JSON only) from ``workflow.approve``
  to its JSON file in place and the request in review (what the DPO releases),
  median of several requests one after the other (target <= 0.15 s);
- copy_pdf_ready: the same for an access request (JSON and PDF); floor: a bare
  WeasyPrint render of that PDF's HTML (default options, this process, right
  after each request: the same load), target ratio <= 1.2;
- drain_access_200_json_pdf: 200 approved access requests drained by the
  worker, requests per second; floor: the bound that PDF rendering alone sets
  on the worker's processes, measured in this run right before and right
  after the drain (the mean of the two):
  WeasyPrint alone on one such report in as many processes as the worker has,
  side by side, PDFs per second (on an idle machine that is concurrency / one
  bare render; on a loaded one two renders at once may get less than twice
  one, see ``_parallel_floor``; the line before the figure prints both),
  target ratio >= 0.8;
- drain_access_cpu_per_request: the worker's CPU time (main and pool
  processes) per request of that drain; floor: the CPU time of one bare render
  of the same report in this process, its start-up objects frozen as a pool
  process's are. Load moves CPU time much less than wall time;
- drain_portability_200_json: 200 approved portability requests, JSON only,
  requests per second (target >= 35 req/s); drain_portability_200_json_from_first_start:
  the same from the first source's start to the last file (without the up to
  one second the worker's consumer takes to listen to the gathering queue again).

Production-like: PostgreSQL (a database created for the run and dropped after
it), Redis as broker and cache, a real ``celery -A config worker`` (prefork,
concurrency 2, every queue the settings route to) running the real tasks,
requests moved by the real workflow services, and one SQL source (a
PostgreSQL database of its own, also created and dropped) where each subject
has 11 records: a customer, three invoices, five invoice lines, two tickets.
For a drain, the worker stops consuming the gathering queue while the 200
requests are approved (Celery's remote control), then resumes: the figure is
the worker's rate, not that of the approvals.

Environment: BENCH_DRAIN_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/dsar_bench_drain; the source database is
its name + ``_source``), BENCH_DRAIN_BROKER_URL (redis://127.0.0.1:6379/2),
BENCH_DRAIN_CACHE_URL (rediscache://127.0.0.1:6379/3), BENCH_DRAIN_COUNT
(200: requests per drain), BENCH_DRAIN_SAMPLES (7: single requests of each
kind), BENCH_DRAIN_POOL (prefork), BENCH_DRAIN_PROFILE (a file: the worker
runs under cProfile, with ``--pool solo``, and writes its profile there) and
BENCH_DRAIN_KINDS (``access,portability``: ``portability`` alone skips the
PDFs, for working on the JSON path).
"""

from __future__ import annotations

import gc
import io
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.figures import figure, print_load  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dsar_bench_drain"
COUNT = int(os.environ.get("BENCH_DRAIN_COUNT", "200"))
SAMPLES = int(os.environ.get("BENCH_DRAIN_SAMPLES", "7"))
WARM_UP = 3
CONCURRENCY = 2
POLL_S = 0.005
PROFILE = os.environ.get("BENCH_DRAIN_PROFILE", "")
POOL = "solo" if PROFILE else os.environ.get("BENCH_DRAIN_POOL", "prefork")
KINDS = set(os.environ.get("BENCH_DRAIN_KINDS", "access,portability").split(","))

# One subject's rows in the source: 1 + 3 + 5 + 2 = 11 records.
SOURCE_SCHEMA = [
    "CREATE TABLE customers (id INTEGER PRIMARY KEY, customer_no VARCHAR(20) NOT NULL, "
    "email VARCHAR(200) NOT NULL, phone VARCHAR(40), full_name VARCHAR(200), city VARCHAR(100), "
    "password_hash VARCHAR(200))",
    "CREATE INDEX customers_email ON customers (email)",
    "CREATE INDEX customers_no ON customers (customer_no)",
    "CREATE TABLE invoices (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers (id), "
    "invoice_no VARCHAR(20) NOT NULL, total DECIMAL(10, 2) NOT NULL, issued_on DATE NOT NULL)",
    "CREATE INDEX invoices_customer ON invoices (customer_id)",
    "CREATE TABLE invoice_lines (id INTEGER PRIMARY KEY, invoice_id INTEGER NOT NULL REFERENCES invoices (id), "
    "description VARCHAR(200) NOT NULL, amount DECIMAL(10, 2) NOT NULL)",
    "CREATE INDEX invoice_lines_invoice ON invoice_lines (invoice_id)",
    # No foreign key: the relation is configured.
    "CREATE TABLE tickets (id INTEGER PRIMARY KEY, customer_ref VARCHAR(20) NOT NULL, subject VARCHAR(200) NOT NULL, "
    "opened_at TIMESTAMP WITH TIME ZONE NOT NULL)",
    "CREATE INDEX tickets_customer ON tickets (customer_ref)",
]


def _admin_url(url: str) -> tuple[str, str]:
    base, _, name = url.rpartition("/")
    return f"{base}/postgres", name


def _recreate_database(url: str) -> None:
    import psycopg

    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _drop_database(url: str) -> None:
    import psycopg

    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _subject(n: int) -> dict:
    return {
        "full_name": f"Lotte Peeters {n}",
        "email": f"bench-{n}@example.be",
        "customer_number": f"C-{100000 + n}",
    }


def _seed_source(url: str, subjects: int) -> None:
    """Each subject's 11 rows, and as many rows of other customers beside them."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for statement in SOURCE_SCHEMA:
            conn.execute(statement)
        with conn.cursor() as cursor:
            customers, invoices, lines, tickets = [], [], [], []
            for n in range(1, 2 * subjects + 1):
                s = _subject(n)
                customers.append(
                    (n, s["customer_number"], s["email"], f"+32 470 {n // 100:02d} {n % 100:02d} 00", s["full_name"],
                     "Sint-Niklaas", "pbkdf2$not-a-hash")
                )  # fmt: skip
                for i in range(3):
                    invoice = n * 10 + i
                    invoices.append((invoice, n, f"F-2026-{invoice:07d}", f"{60.5 + 30 * i:.2f}", f"2026-0{i + 1}-14"))
                    for j in range(2 if i < 2 else 1):
                        lines.append((invoice * 10 + j, invoice, f"Licentie CareConnect — maand {j + 1}", "30.25"))
                for i in range(2):
                    tickets.append(
                        (n * 10 + i, s["customer_number"], f"Vraag over e-Fact nr. {i}", "2026-02-01T09:30:00+01:00")
                    )
            cursor.executemany("INSERT INTO customers VALUES (%s, %s, %s, %s, %s, %s, %s)", customers)
            cursor.executemany("INSERT INTO invoices VALUES (%s, %s, %s, %s, %s)", invoices)
            cursor.executemany("INSERT INTO invoice_lines VALUES (%s, %s, %s, %s)", lines)
            cursor.executemany("INSERT INTO tickets VALUES (%s, %s, %s, %s)", tickets)
        conn.execute("ANALYZE")


def _source_config(url: str) -> dict:
    return {
        "url": url.replace("postgres://", "postgresql+psycopg://", 1),
        "tables": {
            "customers": {
                "match": {"email": "email", "customer_number": "customer_no"},
                "category": "identification",
                "exclude_columns": ["password_hash"],
            },
            "invoices": {"category": "financial"},
            "invoice_lines": {"category": "financial"},
            "tickets": {"category": "identification"},
        },
        "relations": [{"parent": "customers.customer_no", "child": "tickets.customer_ref"}],
    }


def _setup(env: dict, source_url: str) -> None:
    os.environ.update(env)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from dsar.models import Connector
    from requests_app.accounts import roles

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    # The demo's register and controller profile (the copy's Art. 15
    # information); its sources are switched off: one SQL source only.
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    Connector.objects.update(enabled=False)
    Connector.objects.create(
        code="bench-crm",
        name="CRM",
        kind="sql",
        config=_source_config(source_url),
        identity_fields=["email", "customer_number"],
        operations=["access"],
        timeout_seconds=30,
        max_rows=1000,
    )
    roles.ensure_groups()
    dpo = get_user_model().objects.create_user(username="bench-dpo", email="dpo@example.be", is_staff=True)
    dpo.groups.add(Group.objects.get(name=roles.DPO))
    print(f"set up (migrate, demo register, source) in {time.monotonic() - started:.0f} s", flush=True)


def _make_requests(kind: str, first: int, count: int) -> list:
    """Requests as the web form makes them, confirmed by the subject: ready to approve."""
    from requests_app import workflow

    requests = []
    for n in range(first, first + count):
        request = workflow.create_request(request_type=kind, language="nl", **_subject(n))
        workflow.verify(request)
        requests.append(request)
    return requests


def _start_worker(env: dict, log: Path) -> subprocess.Popen:
    from django.conf import settings

    command = [sys.executable]
    if PROFILE:
        command += ["-m", "cProfile", "-o", PROFILE]
    command += [
        "-m", "celery", "-A", "config", "worker", "--pool", POOL, "--concurrency", str(CONCURRENCY),
        "--queues", ",".join(settings.CELERY_QUEUES_ALL), "--loglevel", "WARNING",
        "--hostname", f"bench-drain-{os.getpid()}@%h", "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    return subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env={**os.environ, **env}, stdout=log.open("w"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip


def _worker_name(worker: subprocess.Popen) -> str:
    from config.celery_app import app

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise RuntimeError("the worker stopped; see its log")
        for reply in app.control.ping(timeout=1.0) or []:
            for name in reply:
                if name.startswith(f"bench-drain-{os.getpid()}@"):
                    return name
    raise RuntimeError("the worker did not answer")


def _stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is not None:
        return
    worker.send_signal(signal.SIGTERM)  # a warm shutdown: the profile is written
    try:
        worker.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()


def _children(worker: subprocess.Popen) -> dict[int, float]:
    """The worker's pool processes: pid -> resident MB (Linux /proc)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) != worker.pid:
                continue
            status = (stat.parent / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue
        rss = next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmRSS:")), 0.0)
        found[int(stat.parent.name)] = rss
    return found


def _cpu_seconds(worker: subprocess.Popen) -> float:
    """CPU time of the worker so far: its main process, its pool processes,
    and those it replaced (counted in the main process's children's time)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in [worker.pid, *_children(worker)]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # utime, stime (and for the main process cutime, cstime): fields 14-17 of stat.
        total += sum(int(value) for value in fields[11 : 15 if pid == worker.pid else 13]) / ticks
    return total


def _queues_empty() -> bool:
    from django.conf import settings

    from config.celery_app import app

    with app.connection_for_write() as connection:
        client = connection.default_channel.client
        return not any(client.llen(name) for name in settings.CELERY_QUEUES_ALL)


def _settle(timeout: float = 120) -> None:
    """Wait until the worker has nothing left (the e-mails of the new requests)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _queues_empty():
            time.sleep(1.0)  # what the worker took last finishes
            if _queues_empty():
                return
        time.sleep(0.2)
    raise RuntimeError("the worker's queues did not empty")


def _ready(pks: list[int], formats: int) -> int:
    """How many of these requests are in review with every file of their copy."""
    from django.db.models import Count, OuterRef, Subquery

    from dsar.exports.models import ExportFile
    from requests_app.models import Status, SubjectRequest

    files = (
        ExportFile.objects.filter(job__external_ref=OuterRef("reference"))
        .order_by()
        .values("job__external_ref")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        SubjectRequest.objects.filter(pk__in=pks, status=Status.IN_REVIEW)
        .annotate(files=Subquery(files))
        .filter(files__gte=formats)
        .count()
    )


def _polled(done, *, poll: float, timeout: float) -> float | None:
    """perf_counter when ``done()`` first says yes, polled; None at the timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if done():
            return time.perf_counter()
        time.sleep(poll)
    return None


def _wait_ready(pks: list[int], formats: int, *, poll: float = POLL_S, timeout: float = 600) -> float:
    """Seconds until every request is ready (from the caller's start), polled."""
    ended = _polled(lambda: _ready(pks, formats) == len(pks), poll=poll, timeout=timeout)
    if ended is None:
        _report_stuck(pks)
        raise RuntimeError("requests not ready in time")
    return ended


def _wait_files(job_ids: list, formats: int, *, poll: float, timeout: float = 600) -> float:
    """When the jobs have every file of their copies (perf_counter), polled."""
    from dsar.exports.models import ExportFile

    files = ExportFile.objects.filter(job_id__in=job_ids)
    ended = _polled(lambda: files.count() >= len(job_ids) * formats, poll=poll, timeout=timeout)
    if ended is None:
        raise RuntimeError("files not made in time")
    return ended


def _report_stuck(pks: list[int]) -> None:
    from dsar.models import Job
    from requests_app.models import SubjectRequest

    for request in SubjectRequest.objects.filter(pk__in=pks)[:5]:
        jobs = list(Job.objects.filter(external_ref=request.reference).values_list("status", flat=True))
        print(f"  not ready: {request.reference} {request.status} jobs={jobs}", flush=True)


def _approve(request, dpo) -> None:
    from requests_app import workflow

    workflow.approve(request, actor=dpo)


def _bare_render(request) -> float:
    """WeasyPrint alone on the HTML of this request's report: seconds."""
    from weasyprint import HTML, Attachment

    from dsar.exports import pdf_export
    from dsar.exports.fetcher import StaticOnlyFetcher
    from requests_app.delivery.selectors import export_spec, latest_job

    spec = export_spec(request, latest_job(request))
    html = pdf_export.render_html(spec)
    fetcher = StaticOnlyFetcher()
    started, cpu = time.perf_counter(), time.process_time()
    HTML(string=html, base_url=fetcher.base_url(), url_fetcher=fetcher).write_pdf(io.BytesIO())
    _render_cpu.append(time.process_time() - cpu)
    bare = time.perf_counter() - started
    # Beside it, not as the floor: the same HTML written as the copy is, a
    # tagged PDF/A-3a with its JSON attached (pdf_export.write_pdf's options).
    started = time.perf_counter()
    HTML(string=html, base_url=fetcher.base_url(), url_fetcher=fetcher).write_pdf(
        io.BytesIO(),
        pdf_tags=True,
        pdf_variant="pdf/a-3a",
        attachments=[Attachment(string=_json_of(request), name="copy.json", relationship="Data", url_fetcher=fetcher)],
    )
    _render_as_the_copy.append(time.perf_counter() - started)
    return bare


def _json_of(request) -> bytes:
    from dsar.exports import service
    from dsar.exports.models import ExportFile
    from requests_app.delivery.selectors import latest_job

    return service.read_file(ExportFile.objects.get(job=latest_job(request), format=ExportFile.Format.JSON))


_render_cpu: list[float] = []  # CPU seconds of each bare render in this process
_render_as_the_copy: list[float] = []  # seconds of each render with the copy's options


def _phases(requests: list) -> str:
    """Where one request's time goes, from the times the desk records (median ms
    from the approval): the job created, its source started and done, the
    request in review, the files made."""
    from dsar.exports.models import ExportFile
    from dsar.models import Job, SourceRun
    from requests_app.models import RequestEvent

    marks: dict[str, list[float]] = {}
    for request in requests:
        approved = RequestEvent.objects.get(request=request, kind="request.approve").created_at
        job = Job.objects.get(external_ref=request.reference)
        run = SourceRun.objects.get(job=job)
        times = {
            "job created": job.created_at,
            "source started": run.started_at,
            "source done": run.finished_at,
            "in review": RequestEvent.objects.get(request=request, kind="request.in_review").created_at,
            "files": max(ExportFile.objects.filter(job=job).values_list("created_at", flat=True)),
        }
        for name, moment in times.items():
            marks.setdefault(name, []).append((moment - approved).total_seconds() * 1000)
    return ", ".join(f"{name} {statistics.median(values):.0f}" for name, values in marks.items())


def _render_html(args: tuple[str, int]) -> float:
    """In a pool process: WeasyPrint alone on this HTML ``rounds`` times."""
    from weasyprint import HTML

    from dsar.exports.fetcher import StaticOnlyFetcher

    html, rounds = args
    fetcher = StaticOnlyFetcher()
    # As in a worker's pool process (config.celery_app, pdf_export): what was
    # loaded before is out of the garbage collector's way.
    gc.freeze()
    started = time.perf_counter()
    for _ in range(rounds):
        HTML(string=html, base_url=fetcher.base_url(), url_fetcher=fetcher).write_pdf(io.BytesIO())
    return time.perf_counter() - started


def _floor_child(path: str, rounds: int) -> None:
    """``--render-floor``: CONCURRENCY processes render the HTML side by side; prints PDFs per second."""
    import multiprocessing

    import django

    django.setup()
    html = Path(path).read_text(encoding="utf-8")
    with multiprocessing.get_context("fork").Pool(CONCURRENCY) as pool:
        pool.map(_render_html, [(html, 1)] * CONCURRENCY)  # fonts loaded, first render done
        started = time.perf_counter()
        pool.map(_render_html, [(html, rounds)] * CONCURRENCY)
        print(CONCURRENCY * rounds / (time.perf_counter() - started))


def _parallel_floor(request, var_dir: Path, env: dict, rounds: int = 2) -> float:
    """PDFs per second that WeasyPrint alone makes of this request's report in
    as many processes as the worker has, side by side, now: the bound PDF
    rendering sets on the worker. In a session of its own, as the worker is:
    with the kernel's autogroup scheduling (Linux's default on a desktop or a
    shared VM) a loaded machine shares its CPU per session, so two processes
    of one session get about what one gets alone."""
    from dsar.exports import pdf_export
    from requests_app.delivery.selectors import export_spec, latest_job

    path = var_dir / "floor.html"
    path.write_text(pdf_export.render_html(export_spec(request, latest_job(request))), encoding="utf-8")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.bench_drain", "--render-floor", str(path), str(rounds)],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
        start_new_session=True,
    )
    return float(result.stdout.strip().splitlines()[-1])


def _one_by_one(requests: list, dpo, formats: int, *, floor: bool) -> tuple[list[float], list[float]]:
    times, floors = [], []
    for request in requests:
        started = time.perf_counter()
        _approve(request, dpo)
        times.append(_wait_ready([request.pk], formats) - started)
        if floor:
            floors.append(_bare_render(request))
    return times, floors


def _drain(requests: list, dpo, worker_name: str, formats: int) -> tuple[float, float]:
    """Approve them all while the worker does not take gathering work, then let
    it: req/s from the moment it is let, and from its first source's start."""
    from config.celery_app import app

    app.control.cancel_consumer("gathering", destination=[worker_name], reply=True, timeout=10)
    for request in requests:
        _approve(request, dpo)
    _settle_other_queues()
    from django.db.models import Max, Min
    from django.utils import timezone

    from dsar.exports.models import ExportFile
    from dsar.models import Job, SourceRun

    refs = [r.reference for r in requests]
    job_ids = list(Job.objects.filter(external_ref__in=refs).values_list("pk", flat=True))
    started, wall = time.perf_counter(), timezone.now()
    app.control.add_consumer("gathering", destination=[worker_name], reply=True, timeout=10)
    consuming = time.perf_counter() - started
    # Polled by counting the files made (one index lookup), then confirmed with
    # the whole check: that check, a subquery per request in review, polled
    # 20 times a second took PostgreSQL up to a third of a core by the end of
    # a drain of 400, taken from the worker it measures.
    ended = _wait_files(job_ids, formats, poll=0.05)
    pks = [r.pk for r in requests]
    if _ready(pks, formats) < len(requests):
        ended = _wait_ready(pks, formats, poll=0.05)
    first = SourceRun.objects.filter(job__external_ref__in=refs).aggregate(t=Min("started_at"))["t"]
    last = ExportFile.objects.filter(job__external_ref__in=refs).aggregate(t=Max("created_at"))["t"]
    print(
        f"  drain of {len(requests)}: consumer added after {consuming:.2f} s, first source started after "
        f"{(first - wall).total_seconds():.2f} s, last file after {(last - wall).total_seconds():.2f} s, "
        f"all seen ready after {ended - started:.2f} s",
        flush=True,
    )
    # Celery's consumer takes up to a second (the Redis transport's BRPOP
    # timeout) to listen to a queue added back: the benchmark's pause, not the
    # worker's pace. The rate from the first source's start is printed beside.
    return len(requests) / (ended - started), len(requests) / (last - first).total_seconds()


def _settle_other_queues() -> None:
    """What the approvals sent besides gathering (webhooks, e-mails) is done before the clock starts."""
    from django.conf import settings

    from config.celery_app import app

    others = [q for q in settings.CELERY_QUEUES_ALL if q != settings.CELERY_QUEUE_GATHERING]
    deadline = time.monotonic() + 60
    with app.connection_for_write() as connection:
        client = connection.default_channel.client
        while any(client.llen(q) for q in others) and time.monotonic() < deadline:
            time.sleep(0.1)


def _check(requests: list, formats: int) -> None:
    from dsar.models import Job

    refs = [r.reference for r in requests]
    bad = Job.objects.filter(external_ref__in=refs).exclude(status=Job.Status.DONE).count()
    if bad or _ready([r.pk for r in requests], formats) != len(requests):
        raise SystemExit(f"{bad} jobs not done, or requests without their files")


def main() -> None:
    url = os.environ.get("BENCH_DRAIN_DATABASE_URL", DEFAULT_URL)
    source_url = url + "_source"
    var_dir = Path(os.environ.get("DSAR_VAR_DIR") or ROOT / "var" / "bench") / "bench-drain-run"
    shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True)
    env = {
        "DATABASE_URL": url,
        "CELERY_BROKER_URL": os.environ.get("BENCH_DRAIN_BROKER_URL", "redis://127.0.0.1:6379/2"),
        "CACHE_URL": os.environ.get("BENCH_DRAIN_CACHE_URL", "rediscache://127.0.0.1:6379/3"),
        "DSAR_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    _recreate_database(url)
    _recreate_database(source_url)
    worker = None
    try:
        per_kind = WARM_UP + SAMPLES + COUNT
        _seed_source(source_url, per_kind)
        _setup(env, source_url)
        from django.contrib.auth import get_user_model

        from config.celery_app import app

        with app.connection_for_write() as connection:
            for queue in app.conf.task_queues:
                connection.default_channel.queue_purge(queue.name)
        dpo = get_user_model().objects.get(username="bench-dpo")
        started = time.monotonic()
        access = _make_requests("access", 1, per_kind)
        portability = _make_requests("portability", per_kind + 1, per_kind)
        print(f"{2 * per_kind} requests made in {time.monotonic() - started:.0f} s", flush=True)
        # The bare renders of this process as in a worker's pool process: what
        # was loaded before is out of the garbage collector's way.
        gc.collect()
        gc.freeze()

        worker = _start_worker(env, var_dir / "worker.log")
        name = _worker_name(worker)
        _settle()
        print(f"worker: {POOL}, concurrency {CONCURRENCY}, {name}", flush=True)
        print_load("start")

        # Warm-up: the pool processes import WeasyPrint, load fonts, connect.
        if "access" in KINDS:
            _one_by_one(access[:WARM_UP], dpo, 2, floor=True)
        _one_by_one(portability[:WARM_UP], dpo, 1, floor=False)

        json_times, _ = _one_by_one(portability[WARM_UP : WARM_UP + SAMPLES], dpo, 1, floor=False)
        print(f"JSON ready (s): {', '.join(f'{t:.3f}' for t in json_times)}", flush=True)
        print(f"  after the approval (median ms): {_phases(portability[WARM_UP : WARM_UP + SAMPLES])}", flush=True)
        figure("copy_json_ready", statistics.median(json_times), "s")
        if "access" in KINDS:
            pdf_times, floors = _one_by_one(access[WARM_UP : WARM_UP + SAMPLES], dpo, 2, floor=True)
            print(
                f"PDF ready (s): {', '.join(f'{t:.3f}' for t in pdf_times)}; "
                f"bare render (s): {', '.join(f'{t:.3f}' for t in floors)}; the same HTML as the copy is written "
                f"(tagged PDF/A-3a, its JSON attached; not the floor): median "
                f"{statistics.median(_render_as_the_copy[-len(floors) :]):.3f} s",
                flush=True,
            )
            print(f"  after the approval (median ms): {_phases(access[WARM_UP : WARM_UP + SAMPLES])}", flush=True)
            figure("copy_pdf_ready", statistics.median(pdf_times), "s", statistics.median(floors))
        print_load("after the single requests")
        if "access" in KINDS:
            drained = access[WARM_UP + SAMPLES :]
            # The bound PDF rendering alone sets on the worker's processes, measured
            # right before the drain and right after it (the load moves in between).
            bounds = [_parallel_floor(access[WARM_UP], var_dir, env)]
            children, cpu = _children(worker), _cpu_seconds(worker)
            rate, _ = _drain(drained, dpo, name, 2)
            print_load("after the access drain")
            after = _children(worker)
            drain_cpu = (_cpu_seconds(worker) - cpu) / len(drained)
            print(
                f"worker: {drain_cpu:.2f} s of CPU per request; "
                f"{len(set(children) - set(after))} pool processes replaced during the drain, "
                f"resident {', '.join(f'{mb:.0f}' for mb in after.values())} MB after it",
                flush=True,
            )
            bounds.append(_parallel_floor(access[WARM_UP], var_dir, env))
            bound = statistics.mean(bounds)
            print(
                f"PDF rendering alone: {bounds[0]:.2f} and {bounds[1]:.2f} PDF/s in {CONCURRENCY} processes side by "
                "side, before and after the drain; "
                f"{CONCURRENCY} / one bare render (median of the single requests') = "
                f"{CONCURRENCY / statistics.median(floors):.2f} PDF/s; one bare render takes "
                f"{statistics.median(_render_cpu):.2f} s of CPU",
                flush=True,
            )
            figure(f"drain_access_{len(drained)}_json_pdf", rate, "req/s", bound)
            # The same in CPU time, which the machine's load moves much less.
            figure("drain_access_cpu_per_request", drain_cpu, "s", statistics.median(_render_cpu))
            _check(drained, 2)

        drained = portability[WARM_UP + SAMPLES :]
        cpu = _cpu_seconds(worker)
        rate, from_first_start = _drain(drained, dpo, name, 1)
        print(f"worker: {(_cpu_seconds(worker) - cpu) / len(drained) * 1000:.0f} ms of CPU per request", flush=True)
        figure(f"drain_portability_{len(drained)}_json", rate, "req/s")
        figure(f"drain_portability_{len(drained)}_json_from_first_start", from_first_start, "req/s")
        _check(drained, 1)
        print_load("end")
    finally:
        if worker is not None:
            _stop_worker(worker)
        from django.db import connections

        connections.close_all()
        _drop_database(url)
        _drop_database(source_url)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--render-floor":
        _floor_child(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(main())
