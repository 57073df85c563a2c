"""The subject's side under load: form submissions and status-page views.

Runs on a throw-away database (SQLite in a temporary folder unless
DATABASE_URL is set) and prints latency figures; no thresholds asserted.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time


def _setup():
    os.environ.setdefault("DSAR_VAR_DIR", tempfile.mkdtemp(prefix="bench-intake-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DSAR_INTAKE_RATES_PER_IP = ["100000/h"]
    settings.DSAR_INTAKE_RATES_PER_EMAIL = ["100000/h"]
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))


def _figures(label: str, samples: list[float]) -> None:
    samples_ms = sorted(s * 1000 for s in samples)
    p95 = samples_ms[int(len(samples_ms) * 0.95) - 1]
    print(
        f"{label}: n={len(samples_ms)} median={statistics.median(samples_ms):.1f} ms "
        f"p95={p95:.1f} ms max={samples_ms[-1]:.1f} ms ({len(samples_ms) / (sum(samples_ms) / 1000):.0f}/s sequential)"
    )


def main() -> None:
    _setup()
    from django.test import Client
    from django.urls import reverse

    from requests_app import workflow
    from requests_app.models import SubjectRequest

    client = Client()
    url = reverse("intake:form")
    timings = []
    for n in range(200):
        data = {
            "request_type": "erasure",
            "erasure_scope": "specific",
            "erasure_specific": "My phone number",
            "full_name": f"Bench Subject {n}",
            "email": f"bench{n}@example.be",
            "language": "nl",
            "phone": "+32 470 12 34 56",
            "customer_number": f"C-{n:06d}",
            "website": "",
        }
        start = time.perf_counter()
        response = client.post(url, data)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 302, response.status_code
    _figures("form submission (validate, create, queue verification e-mail)", timings)

    request = SubjectRequest.objects.order_by("pk").first()
    workflow.verify(request)
    status_url = reverse("intake:status", kwargs={"token": request.token})
    timings = []
    for _ in range(200):
        start = time.perf_counter()
        response = client.get(status_url)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200
    _figures("status page view", timings)

    timings = []
    for _ in range(200):
        start = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200
    _figures("empty form view", timings)


if __name__ == "__main__":
    main()
