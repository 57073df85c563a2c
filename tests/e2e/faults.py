"""Fault scenarios on real services: each breaks something, then measures how
long the desk takes to recover by itself (no person, no retry button).

    .venv/bin/python -m tests.e2e.faults <scenario>   # prints one JSON line

Run by tests/e2e/test_faults.py (marker ``faults``, the services stage
of .ci/run). Each scenario has its own PostgreSQL database (dsar_faults) and
its own throwaway Redis on port 6391, the broker and the cache at once as in
docker-compose.yml, so stopping it disturbs nobody else; a worker with an
embedded beat runs the sweepers every minute, as in production.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

BASE = Path(__file__).resolve().parents[2]
VAR = BASE / "var" / "faults"
REDIS_PORT = 6391
DB = "dsar_faults"
os.environ.update(
    DSAR_VAR_DIR=str(VAR),
    DATABASE_URL=os.environ.get("DSAR_FAULTS_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{DB}"),
    CELERY_BROKER_URL=f"redis://127.0.0.1:{REDIS_PORT}/0",
    CACHE_URL=f"rediscache://127.0.0.1:{REDIS_PORT}/1",
    DJANGO_SETTINGS_MODULE="config.settings",
)
for name in ("CELERY_TASK_ALWAYS_EAGER", "DSAR_CI_SERVICES", "DSAR_PRODUCTION"):
    os.environ.pop(name, None)
PY = sys.executable


def redis_up() -> None:
    subprocess.run(
        [
            "redis-server",
            "--daemonize",
            "yes",
            "--port",
            str(REDIS_PORT),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(VAR),
            "--logfile",
            str(VAR / "redis.log"),
        ],
        check=True,
    )
    _wait(lambda: subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True).returncode == 0)


def redis_down() -> None:
    subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "shutdown", "nosave"], capture_output=True)
    _wait(lambda: subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True).returncode != 0)


def _wait(predicate, timeout: float = 30, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return None


class Worker:
    """A Celery worker with an embedded beat (the sweepers), in its own session."""

    def __init__(self, name: str):
        self.log = open(VAR / f"worker-{name}.log", "ab")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [
                PY,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-B",
                "--loglevel",
                "INFO",
                "--concurrency",
                "2",
                "--hostname",
                f"{name}@%h",
                "--schedule",
                str(VAR / f"beat-{name}"),
            ],
            cwd=BASE,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


class SlowSource(BaseHTTPRequestHandler):
    """An HTTP source: the first search takes ``first_delay`` seconds (the
    worker is killed meanwhile), the others answer at once."""

    first_delay = 0.0
    calls = 0

    def do_GET(self):  # noqa: N802
        type(self).calls += 1
        if type(self).calls == 1:
            time.sleep(self.first_delay)
        body = json.dumps({"results": [{"email": "lotte.peeters@example.be", "name": "Lotte"}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def setup() -> None:
    import shutil

    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    redis_down()
    redis_up()
    if "5432" in os.environ["DATABASE_URL"]:
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-q",
                "-c",
                f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)",
                "-c",
                f"CREATE DATABASE {DB}",
            ],
            check=True,
        )
    subprocess.run([PY, "manage.py", "migrate", "--noinput"], cwd=BASE, check=True, capture_output=True)
    import django

    django.setup()


def _source(delay: float = 0.0):
    from dsar.models import Connector

    SlowSource.first_delay, SlowSource.calls = delay, 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowSource)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return Connector.objects.create(
        code="slow-api",
        name="Slow API",
        kind="http",
        config={
            "base_url": f"http://127.0.0.1:{server.server_port}/api/",
            "resources": [{"name": "contacts", "path": "contacts?email={email}", "records": "$.results[*]"}],
        },
        identity_fields=["email"],
        operations=["access"],
        timeout_seconds=300,
    )


def _start_job():
    from dsar import gathering
    from dsar.connectors.base import SubjectIdentity

    return gathering.start_job(
        external_ref="DSAR-FAULTS-1", identity=SubjectIdentity(email="lotte.peeters@example.be", full_name="Lotte")
    )


def _job_done(job) -> bool:
    from dsar.models import Job

    return Job.objects.get(pk=job.pk).status == Job.Status.DONE


# ------------------------------------------------------------------------------
# Scenarios: each returns {"recovered": bool, "seconds": time to recover, ...}
# ------------------------------------------------------------------------------
def broker_and_cache_down_at_submission() -> dict:
    """Redis (broker and cache) down when a subject submits: the form answers,
    the request is stored, and its e-mail goes once Redis is back."""
    from django.test import Client

    from requests_app.models import OutgoingEmail, SubjectRequest

    worker = Worker("submission")
    try:
        redis_down()
        response = Client().post(
            "/",
            {
                "request_type": "access",
                "full_name": "Lotte Peeters",
                "email": "lotte.peeters@example.be",
                "language": "nl",
                "phone": "",
                "postal_address": "",
                "customer_number": "",
                "details": "",
                "website": "",
            },
        )
        stored = SubjectRequest.objects.count() == 1
        redis_up()
        back = time.monotonic()
        sent = _wait(lambda: OutgoingEmail.objects.filter(status="sent").exists(), timeout=180, interval=1)
        return {
            "recovered": bool(sent) and stored and response.status_code == 302,
            "status_code": response.status_code,
            "seconds": round(time.monotonic() - back, 1),
        }
    finally:
        worker.stop()


def broker_down_at_approval() -> dict:
    """Redis down when gathering starts (the DPO approves): nothing fails, the
    runs wait in the database, and gathering finishes once Redis is back."""
    worker = Worker("approval")
    try:
        _source()
        redis_down()
        job = _start_job()
        redis_up()
        back = time.monotonic()
        done = _wait(lambda: _job_done(job), timeout=240, interval=1)
        return {"recovered": bool(done), "seconds": round(time.monotonic() - back, 1)}
    finally:
        worker.stop()


def worker_killed_mid_gathering() -> dict:
    """The whole worker SIGKILLed while a source is being searched: another
    worker resumes the run through the heartbeat and the sweep."""
    from dsar.models import SourceRun

    first = Worker("doomed")
    second = None
    try:
        _source(delay=45)
        job = _start_job()
        _wait(lambda: SourceRun.objects.filter(job=job, status="running").exists(), timeout=60)
        time.sleep(2)
        first.kill()
        killed = time.monotonic()
        second = Worker("survivor")
        done = _wait(lambda: _job_done(job), timeout=300, interval=1)
        return {"recovered": bool(done), "seconds": round(time.monotonic() - killed, 1)}
    finally:
        first.stop()
        if second:
            second.stop()


def postgres_restarted_under_load() -> dict:
    """PostgreSQL restarted while gunicorn serves: no request after the restart
    fails (CONN_HEALTH_CHECKS), measured on a throwaway cluster. A real server:
    Django's test client skips the connection checks of request_started."""
    import httpx

    cluster = os.environ["DSAR_FAULTS_PG_CLUSTER"]  # "<version> <name>", made by the test
    # Not a port of the end-to-end checks (8765-8769): .ci/run runs them beside these scenarios.
    port = 8779
    web = subprocess.Popen(
        [
            str(Path(PY).parent / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "2",
        ],
        cwd=BASE,
        stdout=open(VAR / "web.log", "ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # noqa: SIM115
    )
    url = f"http://127.0.0.1:{port}/healthz"
    try:
        _wait(lambda: _status(httpx, url) == 200, timeout=60)
        # Load: every process and thread holds a kept-alive connection (CONN_MAX_AGE).
        before = [_status(httpx, url) for _ in range(40)]
        subprocess.run(["pg_ctlcluster", *cluster.split(), "restart"], check=True)
        restarted = time.monotonic()
        after, first_ok = [], None
        for _ in range(40):
            after.append(_status(httpx, url))
            if after[-1] == 200 and first_ok is None:
                first_ok = round(time.monotonic() - restarted, 2)
    finally:
        os.killpg(web.pid, signal.SIGTERM)
        web.wait(timeout=20)
    errors = [status for status in after if status != 200]
    return {
        "recovered": not errors and set(before) == {200},
        "seconds": first_ok,
        "errors": errors,
        "requests_after_restart": len(after),
    }


def _status(httpx, url: str):
    try:
        return httpx.get(url, timeout=5).status_code
    except httpx.HTTPError as exc:
        return type(exc).__name__


SCENARIOS = {
    f.__name__: f
    for f in (
        broker_and_cache_down_at_submission,
        broker_down_at_approval,
        worker_killed_mid_gathering,
        postgres_restarted_under_load,
    )
}


def main(argv: list[str]) -> int:
    scenario = SCENARIOS[argv[0]]
    setup()
    try:
        result = scenario()
    finally:
        redis_down()
    print(json.dumps({"scenario": argv[0], **result}))
    return 0 if result["recovered"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
