"""Gathering a subject's data from every source, in parallel.

``start_job`` creates one ``SourceRun`` per connector and, after commit,
enqueues one Celery task per run (fan-out). Each task calls ``run_source``.
There is no chord (no result backend): the last source to finish closes the
job in ``_finish_if_complete`` under a row lock on the job, and the
``job_finished`` signal tells the caller.

Records are written in batches from the connector's stream, so a subject with
100,000 records never sits in memory at once; a run is idempotent because its
records are deleted and re-inserted in the same transaction.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
import time

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_noop

from dsar import heartbeat, signals
from dsar.connectors import connector_for
from dsar.connectors.base import ConnectorError, FoundRecord, Message, SubjectIdentity, as_stored
from dsar.models import Connector, Job, ManualTask, Operation, SourceRecord, SourceRun, pick

log = logging.getLogger(__name__)

BATCH_SIZE = 1000
MAX_ATTEMPTS = 4
TIME_LIMIT_MESSAGE = gettext_noop("The source did not finish within its time limit (%(limit)s s).")
STALE_MESSAGE = gettext_noop(
    "The search of this source stopped without an answer (the worker may have restarted); retry it."
)
LOST_MESSAGE = gettext_noop(
    "The worker searching this source was lost %(attempts)s times; retry it when the source is reachable."
)


def identity_of(job: Job) -> SubjectIdentity:
    return SubjectIdentity.from_dict(json.loads(job.identity or "{}"))


def records_of(job: Job, *, include_excluded: bool = True, chunk_size: int = 2000):
    """The job's records in source and sequence order, read in chunks (a subject
    may have 100,000 of them): for exports and reviews."""
    records = SourceRecord.objects.filter(run__job=job).select_related("run__connector").order_by("run_id", "seq")
    if not include_excluded:
        records = records.filter(excluded=False)
    return records.iterator(chunk_size=chunk_size)


def start_job(
    *,
    external_ref: str,
    identity: SubjectIdentity,
    operation: str = Operation.ACCESS,
    connectors=None,
    options: dict | None = None,
) -> Job:
    """Create a job with one run per enabled connector supporting ``operation``
    and enqueue the runs after commit. Call inside the caller's transaction."""
    if connectors is None:
        connectors = Connector.objects.filter(enabled=True)
    connectors = [c for c in connectors if operation in (c.operations or [])]
    # No savepoint inside the caller's transaction: a failure here fails it all anyway.
    with transaction.atomic(savepoint=False):
        job = Job.objects.create(
            external_ref=external_ref,
            operation=operation,
            identity=json.dumps(identity.as_dict()),
            options=options or {},
            status=Job.Status.RUNNING,
        )
        # Marked as sent with the job: the messages go right after the commit.
        now = timezone.now()
        runs = SourceRun.objects.bulk_create([SourceRun(job=job, connector=c, enqueued_at=now) for c in connectors])
        if all(run.pk for run in runs):
            messages = [(run.pk, connector.timeout_seconds) for run, connector in zip(runs, connectors, strict=True)]
            transaction.on_commit(lambda: _send_new(messages))
        else:
            run_ids = list(job.runs.values_list("pk", flat=True))
            transaction.on_commit(lambda: _enqueue(run_ids))
        if not runs:
            _finish_if_complete(job.pk)
    return job


def _enqueue(run_ids: list[int]) -> None:
    """Hand the runs' messages to the broker. The runs are in the database
    already: one the broker refuses or loses is sent again by dsar.recovery."""
    for run in SourceRun.objects.filter(pk__in=run_ids).select_related("connector"):
        SourceRun.objects.filter(pk=run.pk).update(enqueued_at=timezone.now())
        _send(run.pk, run.connector.timeout_seconds)


def _send_new(messages: list[tuple[int, int]]) -> None:
    """The messages of a new job's runs, already marked as sent: a run whose
    message the broker refused is marked unsent, for the sweep's next pass."""
    for run_id, limit in messages:
        if not _send(run_id, limit):
            SourceRun.objects.filter(pk=run_id, status=SourceRun.Status.PENDING).update(enqueued_at=None)


def _send(run_id: int, limit: int) -> bool:
    from dsar.queueing import enqueue
    from dsar.tasks import gather_source

    # Celery enforces the source's time limit: soft first (the task records
    # a plain-words failure), hard a little later (the process is stopped).
    return enqueue(gather_source, (run_id,), soft_time_limit=limit, time_limit=limit + 30, what=f"source run {run_id}")


def retry_source(run: SourceRun) -> SourceRun:
    """Run one source again (the DPO's "retry" on a failed source)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=run.job_id)
        run = SourceRun.objects.select_for_update().get(pk=run.pk)
        run.status = SourceRun.Status.PENDING
        run.error = ""
        run.warnings = []
        run.attempts = 0
        run.save(update_fields=["status", "error", "warnings", "attempts"])
        job.status = Job.Status.RUNNING
        job.finished_at = None
        job.save(update_fields=["status", "finished_at"])
        transaction.on_commit(lambda: _enqueue([run.pk]))
    return run


def run_source(run_id: int) -> SourceRun:
    """Find the subject's records in one source and store them.

    Raises ``ConnectorError`` (transient or not) for the task to retry or
    record; every other outcome is stored on the run.
    """
    run = _claim(run_id)
    if run is None:
        run, mine = _claim_locked(run_id)
        if not mine:
            return run

    started = time.monotonic()
    with heartbeat.beating(run.pk):
        try:
            connector = connector_for(run.connector)
            result = connector.find(identity_of(run.job))
            batches = _batches(result.records, run.connector)
            # Connect and fetch the first batch before taking the write lock: on SQLite
            # a write transaction blocks every other writer for its whole length.
            first: list = next(batches, [])
        except BaseException:
            # Back to pending, so that the task's retry (or the DPO's) is not
            # mistaken for a second worker on a live run; fail_source records
            # a failure whatever the status.
            SourceRun.objects.filter(pk=run.pk, status=SourceRun.Status.RUNNING).update(
                status=SourceRun.Status.PENDING, heartbeat_at=None
            )
            raise
        run = _store(run, first, batches, result, started)
    return run


def _claim(run_id: int) -> SourceRun | None:
    """The usual case in one statement: a pending run of a source searched by
    the desk becomes this worker's. Two workers given the same message (the
    sweep sent it again) cannot both claim it: the second finds it running."""
    now = timezone.now()
    claimed = (
        SourceRun.objects.filter(pk=run_id, status=SourceRun.Status.PENDING)
        .exclude(connector__kind=Connector.Kind.MANUAL)
        .update(
            status=SourceRun.Status.RUNNING,
            attempts=F("attempts") + 1,
            started_at=Coalesce(F("started_at"), Value(now)),
            heartbeat_at=now,
        )
    )
    return SourceRun.objects.select_related("connector", "job").get(pk=run_id) if claimed else None


def _claim_locked(run_id: int) -> tuple[SourceRun, bool]:
    """Every other case, under the run's lock: (the run, whether this worker runs it)."""
    with transaction.atomic():
        run = SourceRun.objects.select_for_update().select_related("connector", "job").get(pk=run_id)
        if run.is_finished or run.status == SourceRun.Status.WAITING:
            # A duplicate message (redelivery after a worker restart): one result.
            return run, False
        if run.status == SourceRun.Status.RUNNING and not heartbeat.is_lost(run):
            # Another worker is running it right now (a message sent again by
            # the sweep while the first was still queued): one search at a time.
            return run, False
        if run.connector.kind == Connector.Kind.MANUAL:
            return _open_manual_task(run), False
        run.status = SourceRun.Status.RUNNING
        run.attempts += 1
        run.started_at = run.started_at or timezone.now()
        run.heartbeat_at = timezone.now()
        run.save(update_fields=["status", "attempts", "started_at", "heartbeat_at"])
    return run, True


def _store(run: SourceRun, first, batches, result, started: float) -> SourceRun:
    count = 0
    with transaction.atomic():
        if run.record_count:
            # An earlier attempt's records (a retry): replaced. A run's count is
            # written with its records, so a run that counts none has none (and a
            # record left by other means would trip the unique (run, seq), never
            # be doubled).
            SourceRecord.objects.filter(run_id=run.pk).delete()
        for batch in itertools.chain([first], batches):
            SourceRecord.objects.bulk_create(
                [
                    SourceRecord(
                        run_id=run.pk,
                        seq=count + i,
                        entity=r.entity,
                        category=r.category,
                        data=r_json,
                        matched_on=r.matched_on,
                    )
                    for i, (r, r_json) in enumerate(batch)
                ]
            )
            count += len(batch)
        run.status = SourceRun.Status.DONE
        run.record_count = count
        run.error = ""
        run.warnings = [str(warning) for warning in result.warnings]
        run.summary = {**(run.summary or {}), "warnings": [as_stored(w) for w in result.warnings]}
        run.summary.pop("error", None)
        run.finished_at = timezone.now()
        run.duration_ms = int((time.monotonic() - started) * 1000)
        run.heartbeat_at = None
        run.save(
            update_fields=[
                "status",
                "record_count",
                "error",
                "warnings",
                "summary",
                "finished_at",
                "duration_ms",
                "heartbeat_at",
            ]
        )
        _after_run(run)
    return run


def _batches(records, connector: Connector):
    default_category = _default_category(connector)
    while True:
        chunk = list(itertools.islice(records, BATCH_SIZE))
        if not chunk:
            return
        for record in chunk:
            record.category = record.category or default_category
        yield [(record, _to_json(record)) for record in chunk]


def _to_json(record: FoundRecord) -> str:
    return json.dumps(record.data, cls=DjangoJSONEncoder, ensure_ascii=False)


def _default_category(connector: Connector) -> str:
    codes = list(connector.categories.values_list("code", flat=True)[:2])
    return codes[0] if len(codes) == 1 else ""


def _scrub(message: str, identity: SubjectIdentity) -> str:
    """Remove the subject's identifiers from a message a source sent back (a
    driver may quote a value it could not use); errors are stored in clear."""
    for value in identity.as_dict().values():
        if value and len(value.strip()) > 2:
            message = re.sub(re.escape(value.strip()), "***", message, flags=re.IGNORECASE)
    return message


def fail_source(run_id: int, message: Message | str) -> SourceRun:
    """Record a source's failure in plain words; the other sources go on.

    ``run.error`` holds the English text; ``run.summary["error"]`` the message
    in a form the workspace shows in the reader's language."""
    with transaction.atomic():
        run = SourceRun.objects.select_for_update().select_related("connector", "job").get(pk=run_id)
        if run.is_finished:
            return run
        if message == TIME_LIMIT_MESSAGE:
            message = Message(TIME_LIMIT_MESSAGE, limit=run.connector.timeout_seconds)
        identity = identity_of(run.job)
        if isinstance(message, Message):
            message = message.replace_values(lambda value: _scrub(value, identity))
        else:
            message = _scrub(str(message), identity)
        run.status = SourceRun.Status.FAILED
        run.error = str(message)[:2000]
        run.summary = {**(run.summary or {}), "error": as_stored(message)}
        run.finished_at = timezone.now()
        if run.started_at:
            run.duration_ms = int((run.finished_at - run.started_at).total_seconds() * 1000)
        run.save(update_fields=["status", "error", "summary", "finished_at", "duration_ms"])
        _after_run(run)
    return run


def manual_instructions(config: dict) -> tuple[str, dict]:
    """A manual source's instructions: one text, or one per language
    (``{en: ..., nl: ...}``) so that a Dutch-speaking DPO reads them in Dutch.
    Returns the text to keep (English, else any) and the translations."""
    value = (config or {}).get("instructions") or ""
    if isinstance(value, dict):
        translations = {str(lang): str(text) for lang, text in value.items() if text}
        return pick(translations, "en"), translations
    return str(value), {}


def manual_instructions_text(config: dict, language: str | None = None) -> str:
    """A manual source's instructions in ``language`` (or the active one)."""
    text, translations = manual_instructions(config)
    return pick(translations, language) or text


def _open_manual_task(run: SourceRun) -> SourceRun:
    connector = run.connector
    text, translations = manual_instructions(connector.config)
    task, created = ManualTask.objects.get_or_create(
        run=run,
        defaults={
            "instructions": text,
            "instructions_translations": translations,
            "assignee": connector.default_assignee,
        },
    )
    run.status = SourceRun.Status.WAITING
    run.attempts += 1
    run.started_at = run.started_at or timezone.now()
    run.save(update_fields=["status", "attempts", "started_at"])
    if created:
        transaction.on_commit(lambda: signals.manual_task_created.send(sender=ManualTask, task=task))
    return run


def complete_manual_task(
    task: ManualTask, *, user, findings: str, files: list | None = None, nothing_found: bool = False
) -> ManualTask:
    """A person entered what they found (and attached files): the run is done.

    ``files`` are ``ManualTaskFile`` objects already saved for this task; each
    becomes a record so that it appears in the subject's copy. With
    ``nothing_found`` the person searched and found nothing about the subject:
    ``findings`` is then their note of what was searched, kept on the task for
    the DPO, and the source has 0 records ("searched, nothing found") rather
    than one record of the category saying there is none (Art. 15(1)).
    """
    with transaction.atomic():
        task = ManualTask.objects.select_for_update().select_related("run", "run__connector").get(pk=task.pk)
        if task.status == ManualTask.Status.DONE:
            raise ConnectorError(Message(gettext_noop("This task was already completed.")))
        run = task.run
        task.status = ManualTask.Status.DONE
        task.findings = findings
        task.completed_at = timezone.now()
        task.completed_by = user
        task.save(update_fields=["status", "findings", "completed_at", "completed_by"])
        category = _default_category(run.connector)
        records = []
        if findings.strip() and not nothing_found:
            records.append(
                SourceRecord(
                    run=run, seq=0, entity="findings", category=category, data=json.dumps({"findings": findings})
                )
            )
        for attached in task.files.all():
            records.append(
                SourceRecord(
                    run=run,
                    seq=len(records),
                    entity="file",
                    category=category,
                    data=json.dumps(
                        {
                            "file_id": attached.pk,
                            "name": attached.original_name,
                            "content_type": attached.content_type,
                            "size": attached.size,
                        }
                    ),
                )
            )
        SourceRecord.objects.filter(run=run).delete()
        SourceRecord.objects.bulk_create(records)
        run.status = SourceRun.Status.DONE
        run.record_count = len(records)
        run.finished_at = task.completed_at
        run.duration_ms = int((run.finished_at - (run.started_at or task.created_at)).total_seconds() * 1000)
        run.save(update_fields=["status", "record_count", "finished_at", "duration_ms"])
        _after_run(run)
    return task


def _after_run(run: SourceRun) -> None:
    """In the transaction that finished the run: the job closes with its last source."""
    transaction.on_commit(lambda: signals.source_finished.send(sender=SourceRun, run=run))
    _finish_if_complete(run.job_id)


def _finish_if_complete(job_id) -> None:
    """Close the job when its last source has finished.

    The lock on the job row serialises the sources finishing at the same
    moment: each checks the runs after the previous one committed, so exactly
    one of them sees every run finished and closes the job.
    """
    # No savepoint inside a caller's transaction (a source storing its records):
    # an error fails that transaction anyway.
    with transaction.atomic(savepoint=False):
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.is_finished:
            return
        # order_by(): the runs' default order (by source name) joins the connectors.
        statuses = list(job.runs.order_by().values_list("status", flat=True))
        if any(status not in SourceRun.FINISHED for status in statuses):
            return
        failed = statuses.count(SourceRun.Status.FAILED)
        if not failed:
            job.status = Job.Status.DONE
        elif failed < len(statuses):
            job.status = Job.Status.PARTIAL
        else:
            job.status = Job.Status.FAILED
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "finished_at"])
        transaction.on_commit(lambda: signals.job_finished.send(sender=Job, job=job))


def test_connection(connector: Connector) -> tuple[bool, Message | str]:
    """(ok, plain-words message) for the "test connection" action; show it with
    ``dsar.connectors.base.translate(as_stored(message))``."""
    try:
        return True, connector_for(connector).test_connection()
    except ConnectorError as exc:
        return False, exc.message
    except Exception as exc:  # noqa: BLE001 - any failure is reported, never raised to the page
        log.warning("Connection test of %s failed unexpectedly: %s", connector.code, type(exc).__name__)
        return False, unexpected_error(exc)


def unexpected_error(exc: Exception) -> Message:
    return Message(gettext_noop("Unexpected error (%(error)s); see the worker log."), error=type(exc).__name__)
