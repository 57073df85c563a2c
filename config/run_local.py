"""`make run`: the web server, a Celery worker and Celery beat in the foreground.

Ctrl-C (or SIGTERM) stops all three; if one of them dies, the others are
stopped too, so a half-running system never passes for a working one.

Why not a Procfile run by honcho (tried with honcho 2.0): honcho gives each
process its own PORT (the web's, then +100, +200), so the worker, which sends
the e-mails, would link to http://127.0.0.1:8100 (``SITE_URL`` defaults to
``PORT``); on Ctrl-C it sends SIGTERM to each whole process group, Celery's
pool children included, instead of letting the worker stop them after its
running tasks, and kills everything after 5 seconds instead of 10.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def main() -> int:
    port = os.environ.get("PORT", "8000")
    python = sys.executable
    celery = [python, "-m", "celery", "-A", "config"]
    concurrency = os.environ.get("CELERY_CONCURRENCY", "6")
    queues = ",".join(worker_queues())
    commands = {
        "web": [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        "worker": [
            *celery,
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            concurrency,
            "--hostname",
            "local@%h",
            "--queues",
            queues,
        ],
        "beat": [*celery, "beat", "--loglevel", "INFO"],
    }
    processes: dict[str, subprocess.Popen] = {}
    for name, command in commands.items():
        processes[name] = subprocess.Popen(command, cwd=BASE_DIR, start_new_session=True)

    def stop(*_args):
        for process in processes.values():
            if process.poll() is None:
                # The main process only: Celery stops its own pool children cleanly.
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for process in processes.values():
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

    signal.signal(signal.SIGTERM, lambda *a: (stop(), sys.exit(0)))
    print(banner(port), flush=True)
    try:
        while True:
            for name, process in processes.items():
                if process.poll() is not None:
                    print(f"\n{name} stopped (exit code {process.returncode}); stopping the others.", flush=True)
                    stop()
                    return process.returncode or 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nStopping...", flush=True)
        stop()
        return 0


def banner(port: str) -> str:
    """What `make run` prints first: where to go, and the demo DPO's password,
    read from the var directory this run uses (DSAR_VAR_DIR, settings.VAR_DIR),
    where `create_demo_dpo` wrote it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings

    password_file = Path(settings.VAR_DIR) / ".dpo-password"
    if password_file.exists():
        password = f"password '{password_file.read_text().strip()}'"
    else:
        password = f"no password in {password_file}: run `python manage.py create_demo_dpo`"
    return (
        "\n"
        f"  DSAR desk is starting on http://127.0.0.1:{port}/\n"
        f"  Public request form:  http://127.0.0.1:{port}/\n"
        f"  DPO workspace:        http://127.0.0.1:{port}/workspace/  (user 'dpo', {password})\n"
        f"  E-mails (local):      http://127.0.0.1:{port}/dev/outbox/  (files in {settings.DSAR_OUTBOX_DIR})\n"
        "  Press Ctrl-C to stop the web server, the worker and beat.\n"
    )


def worker_queues() -> list[str]:
    """Every queue (settings.CELERY_QUEUES_ALL): the one local worker does all the work."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings

    return list(settings.CELERY_QUEUES_ALL)


if __name__ == "__main__":
    sys.exit(main())
