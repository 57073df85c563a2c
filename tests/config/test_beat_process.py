"""Beat runs the whole schedule without setting Django up (issue 17: beat <= 100 MB).

It finds the schedules by their files rather than through the app registry,
and sends each entry by task name; these tests hold that to what the worker
sees, so that the lighter beat never drops or changes an entry.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import import_module
from pathlib import Path

celery_app = import_module("config.celery_app")  # the module: `config.celery_app` is also the app's name in config
app = celery_app.app

ROOT = Path(__file__).resolve().parents[2]


def test_beat_is_told_apart_from_a_worker():
    assert celery_app.running_beat(["-A", "config", "beat", "--loglevel", "INFO"])
    assert not celery_app.running_beat(["-A", "config", "worker", "-B"])
    assert not celery_app.running_beat(["-A", "config", "worker", "--queues", "exports"])


def test_beat_finds_by_their_files_the_schedules_the_registry_finds():
    assert celery_app._schedule_packages() == [
        package for package in celery_app._task_packages() if (celery_app.beat_schedule([package]))
    ]
    app.finalize()
    assert celery_app.beat_schedule(celery_app._schedule_packages()) == app.conf.beat_schedule


def test_the_beat_process_has_the_whole_schedule_without_the_apps_and_their_libraries(tmp_path):
    script = """
import json, sys
sys.argv = ["celery", "-A", "config", "beat"]
from config.celery_app import app
app.loader.import_default_modules()
app.finalize()
from django.apps import apps
print(json.dumps({
    "entries": {name: entry["task"] for name, entry in app.conf.beat_schedule.items()},
    "apps_ready": apps.ready,
    "loaded": [name for name in ("weasyprint", "rest_framework", "requests_app.workflow", "dsar.connectors")
               if name in sys.modules],
    "route": app.amqp.router.route({}, "requests_app.delivery.tasks.resend_lost_exports")["queue"].name,
}))
"""
    env = {**os.environ, "DSAR_VAR_DIR": str(tmp_path)}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    beat = json.loads(result.stdout.strip().splitlines()[-1])

    app.finalize()
    assert beat["entries"] == {name: entry["task"] for name, entry in app.conf.beat_schedule.items()}
    assert beat["apps_ready"] is False and beat["loaded"] == []
    # Sent by name, an entry still goes to its queue.
    assert beat["route"] == "exports"
