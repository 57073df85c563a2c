"""Gathering a subject's data from every source: fan-out, outcomes per source,
retries, idempotence, manual tasks, and no secret in the database or the logs."""

from __future__ import annotations

import json
import logging
import time
from unittest import mock

import pytest
from django.db import connection

from dsar import gathering, signals
from dsar.connectors.base import SubjectIdentity
from dsar.models import Job, ManualTask, SourceRecord, SourceRun
from tests.conftest import wait_for
from tests.fixtures.engine import make_connector, sql_config

LOTTE = SubjectIdentity(email="lotte.peeters@example.be", full_name="Lotte Peeters", customer_number="C-100042")


@pytest.fixture
def finished_jobs():
    jobs = []

    def listen(sender, job, **kwargs):
        jobs.append(job.pk)

    signals.job_finished.connect(listen, dispatch_uid="test-finished")
    yield jobs
    signals.job_finished.disconnect(dispatch_uid="test-finished")


def start(**kwargs) -> Job:
    return gathering.start_job(external_ref="DSAR-TEST-1", identity=LOTTE, **kwargs)


def run_of(job: Job, connector) -> SourceRun:
    return SourceRun.objects.get(job=job, connector=connector)


@pytest.mark.django_db(transaction=True)
def test_a_failing_source_does_not_lose_the_others(sqlite_url, tmp_path, finished_jobs):
    good = make_connector("crm", config=sql_config(sqlite_url))
    bad = make_connector("erp", config=sql_config(f"sqlite:///{tmp_path / 'nowhere' / 'erp.sqlite3'}"))

    job = start()

    job.refresh_from_db()
    assert job.status == Job.Status.PARTIAL
    assert run_of(job, good).status == SourceRun.Status.DONE
    assert run_of(job, good).record_count == 7
    assert run_of(job, bad).status == SourceRun.Status.FAILED
    assert "cannot be opened" in run_of(job, bad).error
    assert finished_jobs == [job.pk]


@pytest.mark.django_db(transaction=True)
def test_records_are_stored_encrypted_with_their_category(sqlite_url):
    crm = make_connector("crm", config=sql_config(sqlite_url))

    job = start()

    record = SourceRecord.objects.get(run__job=job, entity="customers")
    assert record.values["email"] == "lotte.peeters@example.be"
    assert record.category == "identification"
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM dsar_sourcerecord WHERE id = %s", [record.pk])
        stored = cursor.fetchone()[0]
    assert "lotte" not in stored
    assert run_of(job, crm).duration_ms is not None
    SourceRecord.objects.filter(run__job=job, entity="tickets").update(excluded=True, exclusion_note="Other people")
    assert [r.entity for r in gathering.records_of(job, include_excluded=False)] == [
        "customers", "invoices", "invoices", "invoice_lines", "invoice_lines", "invoice_lines",
    ]  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_running_a_source_twice_gives_one_result(sqlite_url):
    crm = make_connector("crm", config=sql_config(sqlite_url))
    job = start()
    run = run_of(job, crm)

    # A redelivered message after a worker restart: the run was left "running".
    SourceRun.objects.filter(pk=run.pk).update(status=SourceRun.Status.RUNNING)
    gathering.run_source(run.pk)
    gathering.run_source(run.pk)  # and once more after it is done: nothing changes

    assert SourceRecord.objects.filter(run=run).count() == 7
    assert sorted(SourceRecord.objects.filter(run=run).values_list("seq", flat=True)) == list(range(7))


@pytest.mark.django_db(transaction=True)
def test_a_second_message_for_a_live_run_searches_nothing(sqlite_url, monkeypatch):
    """The sweep sent a run's message again while a worker searches it: the
    second worker finds it running, with a live heartbeat, and leaves it."""
    from django.utils import timezone

    crm = make_connector("crm", config=sql_config(sqlite_url))
    monkeypatch.setattr(gathering, "_enqueue", lambda run_ids: None)
    monkeypatch.setattr(gathering, "_send_new", lambda messages: None)
    run = run_of(start(), crm)
    assert run.status == SourceRun.Status.PENDING
    SourceRun.objects.filter(pk=run.pk).update(
        status=SourceRun.Status.RUNNING, attempts=1, started_at=timezone.now(), heartbeat_at=timezone.now()
    )
    with mock.patch.object(gathering, "connector_for") as connector_for:
        gathering.run_source(run.pk)
    connector_for.assert_not_called()
    run.refresh_from_db()
    assert run.status == SourceRun.Status.RUNNING and run.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_a_pending_run_is_claimed_once(sqlite_url, monkeypatch):
    crm = make_connector("crm", config=sql_config(sqlite_url))
    monkeypatch.setattr(gathering, "_send_new", lambda messages: None)
    run = run_of(start(), crm)
    gathering.run_source(run.pk)
    gathering.run_source(run.pk)
    run.refresh_from_db()
    assert run.status == SourceRun.Status.DONE and run.attempts == 1 and run.started_at is not None
    assert SourceRecord.objects.filter(run=run).count() == 7


@pytest.mark.django_db(transaction=True)
def test_a_transient_error_is_retried_and_then_succeeds(fake_api):
    calls = []

    @fake_api.route("/api/contacts")
    def contacts(query, headers):
        calls.append(1)
        if len(calls) < 3:
            return 503, {}, 0
        return 200, {"results": [{"email": query["email"]}]}, 0

    api = make_connector(
        "api",
        kind="http",
        config={
            "base_url": fake_api.url + "/api/",
            "resources": [{"name": "contacts", "path": "contacts?email={email}", "records": "$.results[*]"}],
        },
    )

    job = start()

    run = run_of(job, api)
    assert run.status == SourceRun.Status.DONE
    assert run.attempts == 3
    assert run.record_count == 1


@pytest.mark.django_db(transaction=True)
def test_a_source_that_keeps_timing_out_fails_in_plain_words(fake_api, sqlite_url):
    fake_api.routes["/api/contacts"] = lambda q, h: (200, {"results": []}, 1)
    make_connector("crm", config=sql_config(sqlite_url))
    api = make_connector(
        "api",
        kind="http",
        config={
            "base_url": fake_api.url + "/api/",
            "timeout": 0.2,
            "resources": [{"name": "contacts", "path": "contacts?email={email}"}],
        },
    )

    job = start()

    run = run_of(job, api)
    assert run.status == SourceRun.Status.FAILED
    assert (
        run.error
        == f"127.0.0.1:{fake_api.url.rsplit(':', 1)[1]} did not answer within 0.2 s. (gave up after 4 attempts)"
    )
    job.refresh_from_db()
    assert job.status == Job.Status.PARTIAL


@pytest.mark.django_db(transaction=True)
def test_the_dpo_can_retry_one_failed_source(sqlite_url, tmp_path, finished_jobs):
    from tests.fixtures.engine import seed

    make_connector("crm", config=sql_config(sqlite_url))
    later_url = f"sqlite:///{tmp_path / 'later.sqlite3'}"
    erp = make_connector("erp", config=sql_config(later_url))
    (tmp_path / "later.sqlite3").mkdir()  # a directory: the file cannot be opened
    job = start()
    assert run_of(job, erp).status == SourceRun.Status.FAILED
    crm_records = list(SourceRecord.objects.filter(run__connector__code="crm").values_list("pk", flat=True))

    (tmp_path / "later.sqlite3").rmdir()
    seed(later_url)
    gathering.retry_source(run_of(job, erp))

    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert run_of(job, erp).record_count == 7
    # The other source was not gathered again.
    assert list(SourceRecord.objects.filter(run__connector__code="crm").values_list("pk", flat=True)) == crm_records
    assert finished_jobs == [job.pk, job.pk]


@pytest.mark.django_db(transaction=True)
def test_a_manual_source_waits_for_its_task(sqlite_url, dpo, finished_jobs):
    make_connector("crm", config=sql_config(sqlite_url))
    camera = make_connector(
        "camera", kind="manual", config={"instructions": "Search the recordings."}, default_assignee=dpo
    )

    job = start()

    run = run_of(job, camera)
    assert run.status == SourceRun.Status.WAITING
    task = ManualTask.objects.get(run=run)
    assert (task.assignee, task.instructions) == (dpo, "Search the recordings.")
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING and finished_jobs == []

    gathering.complete_manual_task(task, user=dpo, findings="Seen at the entrance on 3 May, 09:12.")

    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert finished_jobs == [job.pk]
    record = SourceRecord.objects.get(run=run)
    assert record.values == {"findings": "Seen at the entrance on 3 May, 09:12."}


@pytest.mark.django_db(transaction=True)
def test_a_job_without_sources_finishes_at_once(finished_jobs):
    job = start()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert finished_jobs == [job.pk]


@pytest.mark.django_db(transaction=True)
def test_no_secret_reaches_the_database_or_the_logs(fake_api, sqlite_url, monkeypatch, caplog):
    monkeypatch.setenv("DSAR_SOURCE_API_TEST_TOKEN", "tok-7f3e9a-very-secret")
    monkeypatch.setenv("DSAR_SOURCE_DB_TEST_PASSWORD", "pw-91c2-very-secret")
    fake_api.routes["/api/contacts"] = lambda q, h: (403, {"error": "token tok-7f3e9a-very-secret refused"}, 0)
    make_connector(
        "api",
        kind="http",
        config={
            "base_url": fake_api.url + "/api/",
            "secret_headers": {"Authorization": {"env": "DSAR_SOURCE_API_TEST_TOKEN", "prefix": "Bearer "}},
            "resources": [{"name": "contacts", "path": "contacts?email={email}"}],
        },
    )
    make_connector(
        "db",
        config=sql_config("postgresql+psycopg://reader@127.0.0.1:9/crm", password_env="DSAR_SOURCE_DB_TEST_PASSWORD"),
        timeout_seconds=2,
    )
    make_connector("crm", config=sql_config(sqlite_url))
    caplog.set_level(logging.DEBUG)

    job = start()

    assert fake_api.requests[0]["headers"]["Authorization"] == "Bearer tok-7f3e9a-very-secret"
    job.refresh_from_db()
    assert job.status == Job.Status.PARTIAL
    dumped = json.dumps(
        [list(model.objects.values()) for model in (Job, SourceRun, SourceRecord, ManualTask)]
        + [list(make_connector.__globals__["Connector"].objects.values())],
        default=str,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT identity FROM dsar_job")
        dumped += str(cursor.fetchall())
    for secret in ("tok-7f3e9a-very-secret", "pw-91c2-very-secret"):
        assert secret not in dumped
        assert secret not in caplog.text
    # Nor the subject's identifiers in the logs.
    assert "lotte.peeters" not in caplog.text.lower()


@pytest.mark.worker
def test_gathering_with_a_real_worker(real_worker, sqlite_url, fake_api, finished_jobs):
    fake_api.routes["/api/contacts"] = lambda q, h: (200, {"results": [{"email": q["email"]}]}, 0)
    make_connector("crm", config=sql_config(sqlite_url))
    make_connector(
        "api",
        kind="http",
        config={
            "base_url": fake_api.url + "/api/",
            "resources": [{"name": "contacts", "path": "contacts?email={email}", "records": "$.results[*]"}],
        },
    )

    job = start()

    wait_for(lambda: Job.objects.get(pk=job.pk).is_finished, timeout=60)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert sorted(job.runs.values_list("record_count", flat=True)) == [1, 7]
    wait_for(lambda: finished_jobs == [job.pk])


@pytest.mark.django_db(transaction=True)
def test_a_run_left_by_a_lost_worker_is_resumed_within_two_minutes(sqlite_url, finished_jobs):
    import time_machine
    from django.utils import timezone

    from dsar import recovery

    crm = make_connector("crm", config=sql_config(sqlite_url), timeout_seconds=60)
    job = start()
    run = run_of(job, crm)
    # The worker died mid-search: the run stays "running", its heartbeat stops.
    lost_at = timezone.now()
    SourceRun.objects.filter(pk=run.pk).update(
        status=SourceRun.Status.RUNNING, heartbeat_at=lost_at, attempts=1, finished_at=None
    )
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)

    assert recovery.recover_runs()["resumed"] == 0  # a live worker keeps its run
    with time_machine.travel(lost_at + timezone.timedelta(seconds=61)):
        # Resumed on its own (eagerly here: the resent message runs at once).
        assert recovery.recover_runs()["resumed"] == 1
    run.refresh_from_db()
    assert run.status == SourceRun.Status.DONE and run.attempts == 2 and run.heartbeat_at is None


@pytest.mark.django_db(transaction=True)
def test_a_source_that_loses_its_worker_every_time_fails_in_plain_words(sqlite_url, finished_jobs):
    import time_machine
    from django.utils import timezone

    from dsar import recovery

    crm = make_connector("crm", config=sql_config(sqlite_url), timeout_seconds=60)
    job = start()
    run = run_of(job, crm)
    lost_at = timezone.now()
    SourceRun.objects.filter(pk=run.pk).update(
        status=SourceRun.Status.RUNNING, heartbeat_at=lost_at, attempts=gathering.MAX_ATTEMPTS, finished_at=None
    )
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    with time_machine.travel(lost_at + timezone.timedelta(seconds=61)):
        assert recovery.recover_runs()["failed"] == 1
    run.refresh_from_db()
    assert run.status == SourceRun.Status.FAILED and "retry it" in run.error
    assert Job.objects.get(pk=job.pk).status == Job.Status.FAILED


@pytest.mark.django_db(transaction=True)
def test_a_run_whose_message_the_broker_refused_is_sent_again(sqlite_url, finished_jobs, monkeypatch):
    import time_machine
    from django.utils import timezone

    from dsar import recovery, tasks

    crm = make_connector("crm", config=sql_config(sqlite_url))
    real = tasks.gather_source.apply_async
    monkeypatch.setattr(tasks.gather_source, "apply_async", mock.Mock(side_effect=OSError("broker down")))
    job = start()  # no error for the caller: the run waits in the database
    run = run_of(job, crm)
    assert run.status == SourceRun.Status.PENDING
    monkeypatch.setattr(tasks.gather_source, "apply_async", real)  # the broker is back
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=61)):
        assert recovery.recover_runs()["resent"] == 1
    run.refresh_from_db()
    assert run.status == SourceRun.Status.DONE


@pytest.mark.django_db(transaction=True)
def test_a_refused_message_is_sent_again_at_the_next_sweep(sqlite_url, finished_jobs, monkeypatch):
    """A new job's runs are marked sent with the job; a message the broker
    refused is marked unsent again, so the next sweep sends it, not one a
    minute later."""
    from dsar import recovery, tasks

    crm = make_connector("crm", config=sql_config(sqlite_url))
    real = tasks.gather_source.apply_async
    monkeypatch.setattr(tasks.gather_source, "apply_async", mock.Mock(side_effect=OSError("broker down")))
    run = run_of(start(), crm)
    assert run.status == SourceRun.Status.PENDING and run.enqueued_at is None
    monkeypatch.setattr(tasks.gather_source, "apply_async", real)
    assert recovery.recover_runs()["resent"] == 1
    run.refresh_from_db()
    assert run.status == SourceRun.Status.DONE and run.enqueued_at is not None


def test_a_long_search_beats_so_that_it_is_not_taken_for_lost(monkeypatch):
    from dsar import heartbeat

    beats = []
    monkeypatch.setattr(heartbeat, "INTERVAL", 0.01)
    monkeypatch.setattr(heartbeat, "beat", beats.append)
    with heartbeat.beating(7):
        time.sleep(0.1)
    assert beats and set(beats) == {7}
    count = len(beats)
    time.sleep(0.05)
    assert len(beats) == count  # stopped with the search


@pytest.mark.django_db(transaction=True)
def test_a_source_error_quoting_the_subject_is_stored_without_it():
    job = start()
    connector = make_connector("crm", config={})
    run = SourceRun.objects.create(job=job, connector=connector)

    gathering.fail_source(run.pk, 'invalid input syntax for type integer: "Lotte.Peeters@example.be"')

    run.refresh_from_db()
    assert run.error == 'invalid input syntax for type integer: "***"'
