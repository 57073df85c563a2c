"""Reads of the retention: which ended requests are past their periods."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from dsar.models import ManualTask
from requests_app.delivery.downloads.models import DownloadLink
from requests_app.models import ENDED_STATUSES, RequestEvent, SubjectRequest


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
