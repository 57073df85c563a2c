"""A web process holds what it serves (issue 17: a gunicorn worker stays under
150 MB after 1,000 requests). The libraries of the worker's jobs (reading and
erasing in sources, sending webhooks, making PDFs) and of rare pages (the
two-factor QR code, loading a configuration file, seeding the demo) are
imported where they run, not when the web application and its URLs load."""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

WORKER_OR_RARE = ["sqlalchemy", "httpx", "qrcode", "PIL", "faker", "jsonschema", "weasyprint", "pikepdf"]

PROBE = (
    "import json, sys; from config.wsgi import application; from django.urls import get_resolver; "
    "get_resolver().url_patterns; "
    f"print(json.dumps([m for m in {WORKER_OR_RARE!r} if m in sys.modules]))"
)


def test_the_web_application_loads_without_the_workers_libraries(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DSAR_", "DATABASE_URL", "CELERY_", "CACHE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DSAR_VAR_DIR=str(tmp_path),
        # As in production: the embedded broker is kombu's SQLAlchemy transport,
        # which a web process on embedded defaults does need.
        CELERY_BROKER_URL="redis://127.0.0.1:9/0",
        CACHE_URL="rediscache://127.0.0.1:9/1",
    )
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=BASE_DIR, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
