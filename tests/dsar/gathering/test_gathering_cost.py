"""What gathering one source costs the database (issue 17: a portability
request's copy is mostly round trips), and what that may never lose."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dsar import gathering
from dsar.connectors.base import SubjectIdentity
from dsar.models import Job, SourceRecord, SourceRun
from tests.fixtures.engine import make_connector, sql_config

LOTTE = SubjectIdentity(email="lotte.peeters@example.be", full_name="Lotte Peeters", customer_number="C-100042")

pytestmark = pytest.mark.django_db(transaction=True)


def _statements(queries) -> list[str]:
    """Each statement shortened to what and where (the source's own queries go to its own database)."""
    shown = []
    for query in queries:
        words = query["sql"].replace('"', "").replace("(", " ").split()
        if words[0] in ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"):
            shown.append(words[0])
        elif words[0] == "SELECT":
            where = words[words.index("FROM") + 1]
            shown.append(f"SELECT {where}{' FOR UPDATE' if 'FOR UPDATE' in query['sql'] else ''}")
        else:
            shown.append(f"{words[0]} {words[2] if words[0] in ('INSERT', 'DELETE') else words[1]}")
    return shown


def _job_not_sent(monkeypatch, sqlite_url) -> tuple[Job, SourceRun]:
    make_connector("crm", config=sql_config(sqlite_url))
    monkeypatch.setattr(gathering, "_send", lambda run_id, limit: True)  # the broker's part
    job = gathering.start_job(external_ref="DSAR-TEST-1", identity=LOTTE)
    return job, job.runs.get()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the statements are PostgreSQL's")
def test_the_last_source_stores_its_records_and_closes_the_job_in_one_transaction(sqlite_url, monkeypatch):
    job, run = _job_not_sent(monkeypatch, sqlite_url)

    with CaptureQueriesContext(connection) as queries:
        gathering.run_source(run.pk)

    assert _statements(queries) == [
        "UPDATE dsar_sourcerun",  # claimed
        "SELECT dsar_sourcerun",  # with its source and job
        "SELECT dsar_datacategory",  # the source's category
        "BEGIN",
        # No DELETE of earlier records: a run that counts none has none.
        "INSERT dsar_sourcerecord",
        "UPDATE dsar_sourcerun",  # done
        "SELECT dsar_job FOR UPDATE",  # the last source: the job closes before the commit
        "SELECT dsar_sourcerun",
        "UPDATE dsar_job",
        "COMMIT",
        # After the commit, job_finished: the desk looks for the job's request (none here).
        "SELECT requests_app_subjectrequest",
    ]
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert SourceRecord.objects.filter(run=run).count() == 7


def test_a_source_run_again_replaces_its_records(sqlite_url, monkeypatch):
    job, run = _job_not_sent(monkeypatch, sqlite_url)
    gathering.run_source(run.pk)
    first = set(SourceRecord.objects.filter(run=run).values_list("pk", flat=True))
    assert len(first) == 7

    gathering.retry_source(SourceRun.objects.get(pk=run.pk))
    gathering.run_source(run.pk)

    again = set(SourceRecord.objects.filter(run=run).values_list("pk", flat=True))
    assert len(again) == 7 and not again & first
    assert SourceRun.objects.get(pk=run.pk).record_count == 7
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
