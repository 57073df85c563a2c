"""Lengths of time from the audit trail and the requests, with their median and 90th percentile.

PostgreSQL computes the percentiles itself (``percentile_cont``,
``percentile_disc``), so one row per status comes back whatever the volume;
SQLite has neither, and returns one row per status change or per answered
request of the last 12 months, whose percentiles Python takes.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics

from django.conf import settings
from django.db import connection
from django.db.models import F, Window
from django.db.models.functions import Lead

from requests_app import deadlines
from requests_app.models import OPEN_STATUSES, RequestEvent, Status, SubjectRequest

# Statuses in which a request waits for someone (time in a finished status means nothing).
TIMED_STATUSES = (Status.UNVERIFIED, *OPEN_STATUSES, Status.FORWARDED)


def percentile(values: list[float], fraction: float) -> float | None:
    """The nearest-rank percentile (the value at or below which ``fraction`` of them lie)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def summarise(durations: list[float]) -> tuple[int, float | None, float | None]:
    return len(durations), percentile(durations, 0.5), percentile(durations, 0.9)


def stays(since: dt.datetime) -> dict[str, list[float]]:
    """Each finished stay's length in days, per status (the portable way: one row per status change)."""
    changes = (
        RequestEvent.objects.filter(created_at__gte=since)
        .exclude(status_after="")
        .exclude(status_after=F("status_before"))
        .annotate(
            ended_at=Window(Lead("created_at"), partition_by=[F("request_id")], order_by=F("seq").asc()),
        )
        .order_by()
        .values_list("status_after", "created_at", "ended_at")
    )
    stays: dict[str, list[float]] = {}
    for status, started, ended in changes:
        if ended is not None and status in TIMED_STATUSES:
            stays.setdefault(status, []).append(round((ended - started).total_seconds() / 86400, 1))
    return stays


# The same figures computed by PostgreSQL: one row per status comes back, not one per change
# (percentile_disc is the nearest-rank percentile that ``percentile`` computes in Python).
_STAYS_SQL = """
WITH changes AS (
    SELECT status_after, created_at,
           LEAD(created_at) OVER (PARTITION BY request_id ORDER BY seq) AS ended_at
    FROM requests_app_requestevent
    WHERE created_at >= %s AND status_after <> '' AND status_after <> status_before
), stays AS (
    SELECT status_after, ROUND((EXTRACT(EPOCH FROM ended_at - created_at) / 86400)::numeric, 1) AS days
    FROM changes WHERE ended_at IS NOT NULL
)
SELECT status_after, COUNT(*),
       percentile_disc(0.5) WITHIN GROUP (ORDER BY days),
       percentile_disc(0.9) WITHIN GROUP (ORDER BY days)
FROM stays GROUP BY status_after
"""


def stays_in_postgresql(since: dt.datetime) -> dict[str, tuple[int, float | None, float | None]]:
    with connection.cursor() as cursor:
        cursor.execute(_STAYS_SQL, [since])
        return {
            status: (count, float(median), float(p90))
            for status, count, median, p90 in cursor.fetchall()
            if status in TIMED_STATUSES
        }


def days_to_answer(since: dt.datetime) -> tuple[int, float | None, float | None]:
    """Requests answered since ``since``: how many, and the median and 90th percentile of the days
    from receipt to the answer (local calendar days; the subject had the copy, the refusal or the
    closing reason). Closing a fulfilled request later is bookkeeping and does not count."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_ANSWER_SQL, [settings.TIME_ZONE, settings.TIME_ZONE, since])
            count, median, p90 = cursor.fetchone()
        return count, _whole(median), _whole(p90)
    durations = [
        max((deadlines.local_date(answered) - deadlines.local_date(received)).days, 0)
        for received, answered in SubjectRequest.objects.filter(answered_at__gte=since).values_list(
            "received_at", "answered_at"
        )
    ]
    median_days = statistics.median(durations) if durations else None
    return len(durations), median_days, percentile(durations, 0.9)


def _whole(value) -> float | None:
    """A number of days as SQLite's path gives it: 20, not 20.0 (the CSV shows it as is)."""
    if value is None:
        return None
    value = float(value)
    return int(value) if value.is_integer() else value


_ANSWER_SQL = """
SELECT COUNT(*),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY days),
       percentile_disc(0.9) WITHIN GROUP (ORDER BY days)
FROM (
    SELECT GREATEST((answered_at AT TIME ZONE %s)::date - (received_at AT TIME ZONE %s)::date, 0) AS days
    FROM requests_app_subjectrequest WHERE answered_at >= %s
) AS answered
"""
