"""API benchmarks (issue: REST API). Prints figures; takes about a minute.

With 2,000 requests in the database (half assigned, a tenth overdue) and one
request gathered from 20 sources:
1. the list (page of 50, with filters), the detail (20 sources) and the
   events: median time per call and queries per call, through the full
   stack (token authentication, throttle, serializers, JSON);
2. webhook fan-out: the time to enqueue the deliveries of one event for 20
   subscribers (the effect's cost in the request that caused the event).

Run on the real services for meaningful figures, e.g.
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/dsar_bench CACHE_URL=rediscache://127.0.0.1:6379/7 \\
  DSAR_VAR_DIR=$PWD/var/bench .venv/bin/python -m bench bench_api
"""

from __future__ import annotations

import os
import statistics
import time

from bench.figures import figure, print_load


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DSAR_VAR_DIR", os.path.join(os.getcwd(), "var", "bench-api"))
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "false")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _timed(client, url, headers, runs=30):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url, **headers)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.content[:200]
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        client.get(url, **headers)
    return statistics.median(times), len(queries)


def main() -> None:
    _setup_django()
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client
    from django.utils import timezone

    from dsar.models import Connector, Job, SourceRun
    from requests_app.accounts import roles
    from requests_app.api import webhooks
    from requests_app.api.models import ApiToken, WebhookDelivery, WebhookSubscription
    from requests_app.models import RequestEvent, SubjectRequest

    roles.ensure_groups()
    user, _ = get_user_model().objects.get_or_create(username="bench-dpo")
    user.groups.add(Group.objects.get(name=roles.DPO))
    _token, clear = ApiToken.issue(user=user, name="bench", days=1)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {clear}"}

    prefix = f"DSAR-2099-{int(time.time()) % 10000:04d}"
    if not SubjectRequest.objects.filter(reference__startswith="DSAR-2099-").exists():
        today = timezone.localdate()
        rows = [
            SubjectRequest(
                reference=f"{prefix}{n:04d}"[:20],
                request_type="access",
                status="new",
                full_name=f"Bench Subject {n}",
                email=f"bench{n}@example.org",
                language="en",
                due_date=today + dt.timedelta(days=(n % 40) - 4),
                original_due_date=today + dt.timedelta(days=(n % 40) - 4),
                internal_target_date=today + dt.timedelta(days=(n % 40) - 10),
                assignee=user if n % 2 else None,
            )
            for n in range(2000)
        ]
        SubjectRequest.objects.bulk_create(rows, batch_size=500)
    one = SubjectRequest.objects.filter(reference__startswith="DSAR-2099-").order_by("pk").first()
    if not Job.objects.filter(external_ref=one.reference).exists():
        job = Job.objects.create(external_ref=one.reference, operation="access", identity="{}")
        for n in range(20):
            connector, _ = Connector.objects.get_or_create(
                code=f"bench-{n}", defaults={"name": f"Bench {n}", "kind": "manual"}
            )
            SourceRun.objects.create(job=job, connector=connector, status="done", record_count=n)

    client = Client()
    print_load("start")
    for name, label, url in [
        ("api_list_median", "list, page of 50", "/api/v1/requests/"),
        ("api_list_filtered_median", "list, assignee=me&overdue=true", "/api/v1/requests/?assignee=me&overdue=true"),
        ("api_detail_median", "detail, 20 sources", f"/api/v1/requests/{one.reference}/"),
        ("api_events_median", "events", f"/api/v1/requests/{one.reference}/events/"),
    ]:
        median, queries = _timed(client, url, headers)
        print(f"{label:34s} median {median:6.1f} ms   {queries} queries")
        figure(name, median, "ms")

    subscriptions = [
        WebhookSubscription.objects.create(url=f"https://hooks{n}.example.org/", events=["*"]) for n in range(20)
    ]
    event = RequestEvent.objects.filter(request=one).first()
    if event is None:
        from requests_app import workflow

        event = workflow.record_event(one, actor=workflow.SYSTEM, kind="request.created")
    enqueued = []
    webhooks.enqueue, original = (lambda pk, countdown=0: enqueued.append(pk)), webhooks.enqueue
    try:
        start = time.perf_counter()
        webhooks.enqueue_webhooks(one, event)
        elapsed = (time.perf_counter() - start) * 1000
    finally:
        webhooks.enqueue = original
    print(f"webhook fan-out to 20 subscribers  {elapsed:6.1f} ms   ({len(enqueued)} deliveries enqueued)")
    figure("api_webhook_fanout_20", elapsed, "ms")
    print_load("end")
    WebhookDelivery.objects.filter(subscription__in=subscriptions).delete()
    for subscription in subscriptions:
        subscription.delete()
