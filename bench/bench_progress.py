"""Live progress (issue 15): the cost of one poll. Prints figures; takes under a minute.

With 200 processing requests (a page of the largest size), each gathering
from 3 sources of which one waits for a manual task and one still runs:
1. the queue's poll of all 200 visible rows (``workspace:queue_progress``):
   median time per call and queries per call, through the full stack;
2. the request page's poll of one request (``workspace:progress``).
A floor is measured in the same run: the bare health check view.

  DSAR_VAR_DIR=$PWD/var/bench .venv/bin/python -m bench bench_progress
"""

from __future__ import annotations

import os
import statistics
import time

from bench.figures import figure, print_load

ROWS = 200


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DSAR_VAR_DIR", os.path.join(os.getcwd(), "var", "bench-progress"))
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "false")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _timed(client, url, data=None, runs=30):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url, data)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.content[:200]
    with CaptureQueriesContext(connection) as queries:
        client.get(url, data)
    return statistics.median(times), len(queries)


def main() -> None:
    _setup_django()
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client
    from django.utils import timezone

    from dsar.models import Connector, Job, ManualTask, SourceRun
    from requests_app.accounts import roles
    from requests_app.models import SubjectRequest

    roles.ensure_groups()
    user, _ = get_user_model().objects.get_or_create(username="bench-dpo", defaults={"first_name": "Bench"})
    user.groups.add(Group.objects.get(name=roles.DPO))
    connectors = [
        Connector.objects.get_or_create(code=f"bench-progress-{n}", defaults={"name": f"Source {n}", "kind": kind})[0]
        for n, kind in enumerate(("sql", "http", "manual"))
    ]
    references = [f"DSAR-2098-{n:05d}" for n in range(ROWS)]
    if not SubjectRequest.objects.filter(reference__in=references).exists():
        today = timezone.localdate()
        SubjectRequest.objects.bulk_create(
            [
                SubjectRequest(
                    reference=reference,
                    request_type="access",
                    status="processing",
                    full_name=f"Bench Subject {n}",
                    email=f"bench{n}@example.org",
                    language="en",
                    due_date=today + dt.timedelta(days=20),
                    original_due_date=today + dt.timedelta(days=20),
                    internal_target_date=today + dt.timedelta(days=14),
                )
                for n, reference in enumerate(references)
            ],
            batch_size=500,
        )
        for reference in references:
            job = Job.objects.create(external_ref=reference, operation="access", identity="{}", status="running")
            SourceRun.objects.create(job=job, connector=connectors[0], status="done", record_count=3)
            SourceRun.objects.create(job=job, connector=connectors[1], status="running")
            waiting = SourceRun.objects.create(job=job, connector=connectors[2], status="waiting")
            ManualTask.objects.create(run=waiting, instructions="Look in the archive", assignee=user)

    client = Client()
    client.force_login(user)
    print_load("start")
    floor, floor_queries = _timed(client, "/healthz")
    print(f"{'floor: the health check':40s} median {floor:6.1f} ms   {floor_queries} queries")
    median, queries = _timed(client, "/workspace/progress/", {"ref": references})
    print(f"{'queue poll, 200 rows running':40s} median {median:6.1f} ms   {queries} queries")
    figure("progress_queue_poll_200_rows", median, "ms", floor)
    median, queries = _timed(client, f"/workspace/requests/{references[0]}/progress/")
    print(f"{'request page poll, 3 sources':40s} median {median:6.1f} ms   {queries} queries")
    figure("progress_request_poll", median, "ms", floor)
    print_load("end")


if __name__ == "__main__":
    main()
