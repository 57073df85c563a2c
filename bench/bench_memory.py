"""Memory (issue 17), side by side: a worker's pool process after 200 PDFs
(target <= 250 MB), beat (target <= 100 MB) and the peak of the report of
10,000 records rendered in parts (target <= 400 MB; bench_exports's child).

The pool process is a fresh Python process set up as a prefork child is:
Django, every task module imported, its start-up objects frozen
(config.celery_app), then 200 access-request PDFs of 11 records made one after
the other, as the export queue's child makes them. Beat is the real
``celery -A config beat``, its resident size read once it has sent its first
due entries. Runs on its own scratch database (var/bench-memory/).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.figures import child_figures, figure, print_load, start_child  # noqa: E402

POOL_PDFS = int(os.environ.get("BENCH_POOL_PDFS", "200"))
POOL_TARGET_MB = 250
BEAT_TARGET_MB = 100
# Beat runs beside the pool process, which takes minutes: reading its size
# after a minute rather than 20 s costs nothing and covers the entries due
# every 15 s and every minute. (The same 69 MB at both; 78 MB when its var
# dir is new, as in a first run.)
BEAT_SETTLE_S = 60


def _rss_mb(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _env() -> dict:
    env = {**os.environ, "LOG_LEVEL": "WARNING"}
    env.setdefault("DSAR_VAR_DIR", str(ROOT / "var" / "bench-memory"))
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    return env


def _pool_child() -> None:
    import gc
    import io

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from config.celery_app import app

    app.loader.import_default_modules()  # every task module, as a worker imports them
    app.finalize()
    gc.freeze()  # what worker_process_init does in a prefork child
    from dsar.exports import pdf_export
    from dsar.exports.content import ExportSpec
    from dsar.exports.register import register_snapshot
    from tests.support.export_factories import CONTROLLER, make_job

    job = make_job("BENCH-POOL-0001")
    started_mb = _rss_mb()
    started = time.perf_counter()
    rss = []
    for n in range(POOL_PDFS):
        spec = ExportSpec(job=job, controller=CONTROLLER, register=register_snapshot(), language="nl")
        pdf_export.write_pdf(spec, io.BytesIO(), json_bytes=b"{}")
        if n in (0, 9, 49, 99) or n == POOL_PDFS - 1:
            rss.append((n + 1, _rss_mb()))
    print(
        json.dumps(
            {"start_mb": started_mb, "rss": rss, "seconds": time.perf_counter() - started, "final_mb": _rss_mb()}
        )
    )


def start_pool() -> subprocess.Popen:
    return start_child("bench.bench_memory", "--pool-child", env=_env())


def bench_pool(child: subprocess.Popen) -> None:
    figures = child_figures(child)
    curve = ", ".join(f"{n}: {mb:.0f}" for n, mb in figures["rss"])
    print(
        f"Pool process: {figures['start_mb']:.0f} MB after start-up; after N PDFs (MB) {curve}; "
        f"{figures['seconds']:.0f} s in all; target <= {POOL_TARGET_MB} MB"
    )
    figure(f"worker_pool_rss_after_{POOL_PDFS}_pdfs", figures["final_mb"], "MB")


def bench_beat() -> None:
    env = _env()
    var_dir = Path(env["DSAR_VAR_DIR"])
    var_dir.mkdir(parents=True, exist_ok=True)
    schedule = var_dir / "bench-beat-schedule"
    for stale in var_dir.glob("bench-beat-schedule*"):
        stale.unlink()
    celery = Path(sys.executable).with_name("celery")
    process = subprocess.Popen(  # noqa: S603
        [str(celery), "-A", "config", "beat", "--loglevel", "INFO", "--schedule", str(schedule)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        time.sleep(BEAT_SETTLE_S)
        rss = _rss_mb(process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    sent = output.count("Sending due task")
    print(
        f"Beat: {rss:.0f} MB resident after {BEAT_SETTLE_S} s, {sent} due entries sent; target <= {BEAT_TARGET_MB} MB"
    )
    figure("beat_rss", rss, "MB")


def main() -> None:
    os.environ.setdefault("DSAR_VAR_DIR", _env()["DSAR_VAR_DIR"])
    from bench import bench_exports

    bench_exports._setup()
    large = bench_exports.large_pdf_job()  # before the children start: they read the database it writes
    print_load("start")
    # Beat, the pool process and the report of 10,000 records side by side:
    # their figures are resident sizes, which the others' CPU does not move,
    # and make bench keeps within its 15 minutes on a slow machine (issue 17).
    # The seconds printed beside them are then those of a shared machine.
    load_before = os.getloadavg()[0]
    children = [start_pool(), bench_exports.start_pdf_large(large)]
    try:
        bench_beat()
        print_load("after beat")
        bench_pool(children[0])
        bench_exports.report_pdf_large(children[1], "parts", load_before, beside=", beside the pool process")
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    print_load("end")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--pool-child":
        _pool_child()
    else:
        main()
