"""The Art. 15(4) review page with 10,000 records (issue 15). About a minute.

One access request in review whose gathering found 10,000 records in three
sources (five tables, eight fields each, a few fields withheld and records
left out). Through the full stack (Django's test client: middleware, session,
permission checks, the audit row of the read), for the first page, a search
(the data is encrypted at rest, so a search decrypts every record of the
request), a page filtered to one table, and a late page:

    FIGURE review_page_server_ms_<case> value=<median ms> unit=ms
    FIGURE review_page_html_kb_<case> value=<kB> unit=kB

and the JSON preview (the file rendered again with national numbers masked,
indented, for ``js/json_tree.js``): ``review_json_preview_server_ms`` and
``review_json_preview_html_kb`` (median of 3).

The search's floor is decrypting the same 10,000 records bare (Fernet and
``json.loads``, no Django): what any search over encrypted data costs.

  DSAR_VAR_DIR=$PWD/var/bench-review .venv/bin/python -m bench bench_review
"""

from __future__ import annotations

import json
import os
import time

from bench.figures import figure, median_ms, print_load

RECORDS = 10_000
RUNS = 7
REFERENCE = "DSAR-2098-00001"


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DSAR_VAR_DIR", os.path.join(os.getcwd(), "var", "bench-review"))
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "false")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _tables() -> list[tuple[str, str, str, int]]:
    """(source, table, category, records): 10,000 in all."""
    return [
        ("crm", "customers", "contact", 200),
        ("crm", "orders", "contact", 5800),
        ("crm", "notes", "contact", 1000),
        ("erp", "invoices", "billing", 2500),
        ("marketing", "events", "contact", 500),
    ]


def _make_request():
    from django.utils import timezone

    from dsar.models import Connector, Job, SourceRecord, SourceRun, WithheldField
    from requests_app.models import SubjectRequest

    request = SubjectRequest.objects.filter(reference=REFERENCE).first()
    if request is not None and SourceRecord.objects.filter(run__job__external_ref=REFERENCE).count() == RECORDS:
        return request
    SubjectRequest.objects.filter(reference=REFERENCE).delete()
    Job.objects.filter(external_ref=REFERENCE).delete()
    today = timezone.localdate()
    request = SubjectRequest.objects.create(
        reference=REFERENCE,
        request_type="access",
        status="in_review",
        full_name="Bench Subject",
        email="bench.subject@example.org",
        language="en",
        due_date=today,
        original_due_date=today,
        internal_target_date=today,
    )
    job = Job.objects.create(external_ref=REFERENCE, operation="access", identity="{}", status=Job.Status.DONE)
    runs = {}
    for code in ("crm", "erp", "marketing"):
        connector, _ = Connector.objects.get_or_create(
            code=f"bench-{code}", defaults={"name": f"Bench {code.upper()}", "kind": "sql"}
        )
        runs[code] = SourceRun.objects.create(job=job, connector=connector, status=SourceRun.Status.DONE)
    seq = 0
    rows = []
    for source, table, category, count in _tables():
        for n in range(count):
            data = {
                "id": seq,
                "customer_id": 42,
                "reference": f"{table[:3].upper()}-{n:06d}",
                "created_at": f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}T10:{n % 60:02d}:00+01:00",
                "amount": f"{(n * 7) % 1000}.50",
                "status": ("open", "paid", "cancelled")[n % 3],
                "city": ("Gent", "Antwerpen", "Brussel", "Liège")[n % 4],
                "text": f"Bench text {n} about the order, with a few words to read",
            }
            rows.append(SourceRecord(run=runs[source], seq=seq, entity=table, category=category, data=json.dumps(data)))
            seq += 1
    SourceRecord.objects.bulk_create(rows, batch_size=1000)
    notes = SourceRecord.objects.filter(run__job=job, entity="notes").order_by("seq")[:20]
    WithheldField.objects.bulk_create([WithheldField(record=r, column="text", note="Names a colleague") for r in notes])
    SourceRecord.objects.filter(run__job=job, entity="orders", seq__lt=230).update(excluded=True, exclusion_note="x")
    return request


def _timed(client, url: str, runs: int = RUNS) -> tuple[float, float]:
    times = []
    size = 0
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
        size = len(response.content)
    return median_ms(times), size / 1024


def _bare_decrypt_ms(request) -> float:
    """The floor of a search: decrypting the request's records, nothing else."""
    from django.db import connection

    from dsar.core.crypto import decrypt_str

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.data FROM dsar_sourcerecord r JOIN dsar_sourcerun s ON r.run_id = s.id "
            "JOIN dsar_job j ON s.job_id = j.id WHERE j.external_ref = %s",
            [request.reference],
        )
        raw = [row[0] for row in cursor.fetchall()]
    times = []
    for _ in range(3):
        start = time.perf_counter()
        for value in raw:
            json.loads(decrypt_str(value))
        times.append(time.perf_counter() - start)
    return median_ms(times)


def main() -> None:
    _setup_django()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client
    from django.urls import reverse

    from requests_app.accounts import roles

    roles.ensure_groups()
    user, _ = get_user_model().objects.get_or_create(username="bench-review-dpo")
    user.groups.add(Group.objects.get(name=roles.DPO))
    started = time.perf_counter()
    request = _make_request()
    print(f"{RECORDS} records ready in {time.perf_counter() - started:.1f} s", flush=True)
    client = Client()
    client.force_login(user)
    base = reverse("exports:records", args=[request.reference])
    print_load("start")
    floor = _bare_decrypt_ms(request)
    for case, query in [
        ("first_page", ""),
        ("search", "?q=ORD-005700"),
        ("table_filter", "?source=bench-crm&table=notes&page=3"),
        ("late_page", "?page=180"),
    ]:
        server_ms, html_kb = _timed(client, base + query)
        print(f"{case:13s} median {server_ms:7.1f} ms   {html_kb:6.1f} kB", flush=True)
        figure(f"review_page_server_ms_{case}", server_ms, "ms", floor if case == "search" else None)
        figure(f"review_page_html_kb_{case}", html_kb, "kB")
    # The JSON preview of the same 10,000 records (the file made once, as the worker would).
    from dsar.exports import service
    from dsar.exports.models import ExportFile
    from requests_app.delivery import selectors

    job = selectors.latest_job(request)
    if not ExportFile.objects.filter(job=job, format="json").exists():
        service.generate(selectors.export_spec(request, job), ["json"])
    server_ms, html_kb = _timed(client, reverse("exports:preview_json", args=[request.reference]), runs=3)
    print(f"json preview  median {server_ms:7.1f} ms   {html_kb:6.1f} kB", flush=True)
    figure("review_json_preview_server_ms", server_ms, "ms")
    figure("review_json_preview_html_kb", html_kb, "kB")
    print_load("end")


if __name__ == "__main__":
    main()
