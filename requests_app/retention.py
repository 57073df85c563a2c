"""Retention of the desk's own records (Art. 5(1)(e) storage limitation,
weighed against Art. 5(2) accountability).

The law fixes no period for a DSAR desk's records. Two settings do:

- ``DSAR_PAYLOAD_RETENTION_DAYS`` (90) after a request ended, its payloads go:
  identity, free text, messages and their attachments (identity documents
  among them), notes, e-mail texts, the data gathered and the copies made
  (``workflow.purge_personal_data``). The reference, type, dates, outcome and
  the audit trail stay, to show what was done and when.
- ``DSAR_RECORD_RETENTION_YEARS`` (5) after it ended, that record goes too
  (``workflow.delete_records``).

A request ends when it is fulfilled (released), closed, rejected, cancelled
or expired; the periods run from the moment it entered that status. A request
whose download link still works, or whose manual tasks are still open, waits:
the subject may still fetch their copy, and a person still needs the
identifiers to finish the work.

A request under a retention hold (``models.RetentionHold``: a complaint with
the supervisory authority, a court case, an inquiry) is skipped by both steps,
however long ago it ended, and counted as ``held`` in the run's summary. The
DPO places and lifts holds; once lifted, the periods apply again from the
request's end, so one that ended long ago goes at the next run.

Why the record deletion cuts the audit chain at a signed checkpoint instead
of asking the DPO to confirm each deletion: the events themselves hold no
personal data, but they tie a reference to dates and staff names for as long
as they exist, and a confirmation step that nobody takes keeps them forever,
which is the failure this module exists to prevent. A checkpoint keeps the
chain verifiable (``requests_app.audit``): ``verify_audit_chain`` still
detects any other edit or deletion, and the checkpoint itself, HMAC-signed,
says how many events were removed, the hash they ended on, under which
period. The request row stays as an empty shell (reference, type, status,
channel, language, dates) so that the reference is never reused, the
numbering has no unexplained gaps and the yearly figures stay whole.

Both steps are idempotent, work in batches (each request in its own
transaction) and record one audit event per request.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from dsar.models import ManualTask
from requests_app import workflow
from requests_app.downloads.models import DownloadLink
from requests_app.models import ENDED_STATUSES, RequestEvent, SubjectRequest

log = logging.getLogger(__name__)

BATCH_SIZE = 200


def ended_requests() -> QuerySet[SubjectRequest]:
    """Ended requests, each annotated with ``ended_at``: when it entered its current status."""
    entered = (
        RequestEvent.objects.filter(request=OuterRef("pk"), status_after=OuterRef("status"))
        .order_by("-seq")
        .values("created_at")[:1]
    )
    return SubjectRequest.objects.filter(status__in=ENDED_STATUSES).annotate(
        ended_at=Coalesce(Subquery(entered), "closed_at")
    )


def payload_cutoff(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(days=settings.DSAR_PAYLOAD_RETENTION_DAYS)


def record_cutoff(now: dt.datetime) -> dt.datetime:
    return now - relativedelta(years=settings.DSAR_RECORD_RETENTION_YEARS)


def payloads_past_period(now: dt.datetime) -> QuerySet[SubjectRequest]:
    """Ended requests whose payload period has passed, held or not."""
    cutoff = payload_cutoff(now)
    link_works = DownloadLink.objects.filter(
        request=OuterRef("pk"), expires_at__gt=now, revoked_at__isnull=True, files_deleted_at__isnull=True
    )
    task_open = ManualTask.objects.filter(run__job__external_ref=OuterRef("reference"), status=ManualTask.Status.OPEN)
    return (
        ended_requests()
        # Nothing ends before it is received: this bound lets the received_at
        # index narrow the rows whose end is looked up.
        .filter(purged_at__isnull=True, received_at__lte=cutoff, ended_at__lte=cutoff)
        .exclude(Exists(link_works))
        .exclude(Exists(task_open))
        .order_by("pk")
    )


def payloads_due(now: dt.datetime) -> QuerySet[SubjectRequest]:
    return payloads_past_period(now).not_held()


def records_past_period(now: dt.datetime) -> QuerySet[SubjectRequest]:
    """Ended requests whose record period has passed, held or not."""
    cutoff = record_cutoff(now)
    return (
        ended_requests()
        .filter(records_deleted_at__isnull=True, received_at__lte=cutoff, ended_at__lte=cutoff)
        .order_by("pk")
    )


def records_due(now: dt.datetime) -> QuerySet[SubjectRequest]:
    return records_past_period(now).not_held()


def held_back(now: dt.datetime) -> int:
    """Requests that either step would take now, but for a retention hold."""
    # Holds are few (a handful of disputes), ended requests are many: start from the holds.
    held = list(SubjectRequest.objects.held().values_list("pk", flat=True))
    if not held:
        return 0
    payloads = payloads_past_period(now).filter(pk__in=held).values_list("pk", flat=True)
    records = records_past_period(now).filter(pk__in=held).values_list("pk", flat=True)
    return len({*payloads, *records})


@dataclass
class Sweep:
    purged: int = 0
    deleted: int = 0
    failed: int = 0
    # Past a period but under a retention hold: left alone.
    held: int = 0


def apply_retention(*, now: dt.datetime | None = None, batch_size: int = BATCH_SIZE) -> Sweep:
    """Purge the payloads and delete the records whose period ended, a batch of each.

    A request that fails is logged and left for the next run; the others go on.
    A request under a retention hold is left alone and counted in ``held``.
    """
    now = now or timezone.now()
    sweep = Sweep()
    sweep.held = held_back(now)
    for request in payloads_due(now)[:batch_size]:
        try:
            workflow.purge_personal_data(request, actor=workflow.SYSTEM, reason="retention")
            sweep.purged += 1
        except workflow.RetentionHeld:
            # Held between the query and the row lock.
            sweep.held += 1
        except Exception:
            log.exception("Retention: could not purge %s", request.reference)
            sweep.failed += 1
    for request in records_due(now)[:batch_size]:
        try:
            if not request.purged_at:
                workflow.purge_personal_data(request, actor=workflow.SYSTEM, reason="retention")
            workflow.delete_records(
                request, actor=workflow.SYSTEM, retention_years=settings.DSAR_RECORD_RETENTION_YEARS
            )
            sweep.deleted += 1
        except workflow.RetentionHeld:
            sweep.held += 1
        except Exception:
            log.exception("Retention: could not delete the records of %s", request.reference)
            sweep.failed += 1
    log.info(
        "Retention: %s purged, %s records deleted, %s failed, %s skipped under a retention hold.",
        sweep.purged,
        sweep.deleted,
        sweep.failed,
        sweep.held,
    )
    return sweep
