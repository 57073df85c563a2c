"""The dashboard's figures: how well the desk keeps the law's deadlines, and where work waits.

Every figure is aggregated by the database (``GROUP BY`` with filtered
counts), never by looping over all requests in Python. Time spent in each
status needs a median and a 90th percentile: ``durations`` has PostgreSQL
compute them; SQLite, which cannot, returns one row per status change of the
last 12 months and Python takes the percentiles.

The deadline is Art. 12(3): one month from receipt, extended by up to two
further months where the subject was told why within the first month; the
workflow moves ``due_date`` when it extends, so "on time" always compares
with the deadline that applied.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from requests_app import deadlines
from requests_app.models import (
    Channel,
    RejectionReason,
    RequestType,
    Status,
    SubjectRequest,
)

from . import durations
from .charts import Chart, Series

MONTHS = 12
# Days a request has been open, and days left before its deadline: (label upper bound, inclusive).
AGE_BUCKETS: tuple[tuple[int | None, str], ...] = (
    (7, "0–7"),
    (14, "8–14"),
    (30, "15–30"),
    (60, "31–60"),
    (None, "> 60"),
)
LEFT_BUCKETS: tuple[tuple[int | None, str | None], ...] = (
    (-1, None),
    (7, "0–7"),
    (14, "8–14"),
    (30, "15–30"),
    (None, "> 30"),
)


def month_starts(today: dt.date, count: int = MONTHS) -> list[dt.date]:
    months = []
    year, month = today.year, today.month
    for _step in range(count):
        months.append(dt.date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(months))


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _month_label(month: dt.date) -> str:
    return formats.date_format(month, "M y")


# ------------------------------------------------------------------------------
# The numbers
# ------------------------------------------------------------------------------
@dataclass
class OnTimeMonth:
    month: dt.date
    on_time: int
    late: int
    pending: int

    @property
    def rate(self) -> float | None:
        decided = self.on_time + self.late
        return round(100 * self.on_time / decided, 1) if decided else None


def on_time_by_month(today: dt.date) -> list[OnTimeMonth]:
    """Per month of the answer: answered by the legal deadline (as extended) or after it.

    Counted when the answer was given (release, refusal, closing reason,
    forwarding), so a request answered early shows now, not in the month of a
    deadline still ahead (walkthrough finding 12). A request still open after
    its deadline owes an answer and counts as late in the month its deadline
    passed; one withdrawn or never confirmed before any answer owed none.
    """
    months = month_starts(today)
    since = timezone.make_aware(dt.datetime.combine(months[0], dt.time.min))
    answered = (
        SubjectRequest.objects.filter(answered_at__gte=since)
        .annotate(month=TruncMonth("answered_at"))
        .order_by()
        .values("month")
        .annotate(
            on_time=Count("pk", filter=Q(answered_at__date__lte=F("due_date"))),
            late=Count("pk", filter=Q(answered_at__date__gt=F("due_date"))),
        )
    )
    overdue = (
        SubjectRequest.objects.open()
        .filter(answered_at__isnull=True, due_date__gte=months[0], due_date__lt=today)
        .annotate(month=TruncMonth("due_date"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
    )
    counts: dict[dt.date, list[int]] = {month: [0, 0] for month in months}
    for row in answered:
        month = _as_date(row["month"])
        if month in counts:
            counts[month][0] += row["on_time"]
            counts[month][1] += row["late"]
    for row in overdue:
        month = _as_date(row["month"])
        if month in counts:
            counts[month][1] += row["n"]
    # Deadlines still ahead in this month: neither on time nor late yet.
    pending = SubjectRequest.objects.open().filter(due_date__gte=today, due_date__lt=_next_month(today)).count()
    return [
        OnTimeMonth(month, on_time, late, pending if month == months[-1] else 0)
        for month, (on_time, late) in counts.items()
    ]


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def ageing(today: dt.date) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Open requests by days since receipt, and by days left before the legal deadline (one query)."""
    aggregates = {}
    lower = 0
    for index, (upper, _label) in enumerate(AGE_BUCKETS):
        # received on or before today - lower days, and after today - upper - 1 days
        condition = Q(received_at__date__lte=today - dt.timedelta(days=lower))
        if upper is not None:
            condition &= Q(received_at__date__gt=today - dt.timedelta(days=upper + 1))
        aggregates[f"age{index}"] = Count("pk", filter=condition)
        lower = (upper or 0) + 1
    lower_left: int | None = None
    for index, (upper, _left_label) in enumerate(LEFT_BUCKETS):
        condition = Q()
        if lower_left is not None:
            condition &= Q(due_date__gte=today + dt.timedelta(days=lower_left))
        if upper is not None:
            condition &= Q(due_date__lte=today + dt.timedelta(days=upper))
        aggregates[f"left{index}"] = Count("pk", filter=condition)
        lower_left = (upper if upper is not None else 0) + 1
    counts = SubjectRequest.objects.open().aggregate(**aggregates)
    age = [(label, counts[f"age{i}"]) for i, (_u, label) in enumerate(AGE_BUCKETS)]
    left = [(label or _("overdue"), counts[f"left{i}"]) for i, (_u, label) in enumerate(LEFT_BUCKETS)]
    return age, left


@dataclass
class StatusTime:
    status: str
    label: str
    count: int
    median_days: float | None
    p90_days: float | None


def time_in_status(since: dt.datetime) -> list[StatusTime]:
    """Median and 90th percentile of the days a request stayed in each status.

    From the audit trail: a stay begins with the event that moved the request
    into the status and ends with its next change of status. Stays still
    running are left out (they have no length yet; the ageing chart shows them).
    """
    if connection.vendor == "postgresql":
        summary = durations.stays_in_postgresql(since)
    else:
        summary = {status: durations.summarise(days) for status, days in durations.stays(since).items()}
    labels = dict(Status.choices)
    result = []
    for status in durations.TIMED_STATUSES:
        count, median, p90 = summary.get(status, (0, None, None))
        result.append(StatusTime(status, str(labels[status]), count, median, p90))
    return result


@dataclass
class Workload:
    name: str
    open: int
    overdue: int


def workload(today: dt.date) -> list[Workload]:
    """Open and overdue requests per assignee, the unassigned ones first (one GROUP BY)."""
    rows = (
        SubjectRequest.objects.open()
        .order_by()
        .values("assignee")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    )
    counts = {row["assignee"]: row for row in rows}
    users = get_user_model().objects.filter(pk__in=[pk for pk in counts if pk is not None])
    names = {user.pk: user.get_full_name() or user.get_username() for user in users}
    result = []
    if None in counts:
        result.append(Workload(_("Nobody (unassigned)"), counts[None]["open"], counts[None]["overdue"]))
    for pk in sorted((pk for pk in counts if pk is not None), key=lambda pk: names.get(pk, "").lower()):
        result.append(Workload(names.get(pk, str(pk)), counts[pk]["open"], counts[pk]["overdue"]))
    return result


def outcomes(since: dt.datetime) -> list[tuple[str, str, int]]:
    """What became of the requests received since ``since``: (key, label, count), refusals per reason."""
    rows = (
        SubjectRequest.objects.filter(received_at__gte=since)
        .order_by()
        .values("status", "rejection_reason")
        .annotate(n=Count("pk"), reasoned=Count("pk", filter=~Q(closing_reason="")))
    )
    totals: dict[str, int] = {}

    def add(key: str, n: int) -> None:
        totals[key] = totals.get(key, 0) + n

    for row in rows:
        status, n = row["status"], row["n"]
        if status == Status.FULFILLED:
            add("fulfilled", n)
        elif status == Status.CLOSED:
            # Closed after release is bookkeeping; closed before any answer carries its reason.
            add("fulfilled", n - row["reasoned"])
            add("closed_with_reason", row["reasoned"])
        elif status == Status.REJECTED:
            add(f"refused:{row['rejection_reason'] or 'other'}", n)
        elif status == Status.CANCELLED:
            add("withdrawn", n)
        elif status == Status.EXPIRED:
            add("expired", n)
        elif status == Status.FORWARDED:
            add("forwarded", n)
        elif status == Status.UNVERIFIED:
            add("unverified", n)
        else:
            add("open", n)
    reasons = dict(RejectionReason.choices)
    labels = [
        ("fulfilled", _("Answered (copy released or action carried out)")),
        *((f"refused:{value}", _("Refused: %(reason)s") % {"reason": label}) for value, label in reasons.items()),
        ("refused:other", _("Refused: other reason")),
        ("closed_with_reason", _("Closed before an answer, with the reason told to the subject")),
        ("withdrawn", _("Withdrawn by the subject")),
        ("forwarded", _("Forwarded to the controller it belongs to")),
        ("expired", _("E-mail address never confirmed")),
        ("unverified", _("Waiting for the e-mail address to be confirmed")),
        ("open", _("Still open")),
    ]
    return [(key, str(label), totals[key]) for key, label in labels if totals.get(key)]


def received_by(field: str, months: list[dt.date]) -> dict[str, list[int]]:
    """Requests received per month, per value of ``field`` (request_type or channel): one GROUP BY."""
    start = timezone.make_aware(dt.datetime.combine(months[0], dt.time.min))
    rows = (
        SubjectRequest.objects.filter(received_at__gte=start)
        .annotate(month=TruncMonth("received_at"))
        .order_by()
        .values("month", field)
        .annotate(n=Count("pk"))
    )
    index = {month: i for i, month in enumerate(months)}
    result: dict[str, list[int]] = {}
    for row in rows:
        month = _as_date(row["month"])
        if month in index:
            result.setdefault(row[field], [0] * len(months))[index[month]] += row["n"]
    return result


# ------------------------------------------------------------------------------
# The charts
# ------------------------------------------------------------------------------
@dataclass
class Figures:
    on_time: list[OnTimeMonth]
    age: list[tuple[str, int]]
    left: list[tuple[str, int]]
    status_times: list[StatusTime]
    workload: list[Workload]
    outcomes: list[tuple[str, str, int]]
    per_type: dict[str, list[int]]
    per_channel: dict[str, list[int]]
    months: list[dt.date]
    received: list[int]

    def charts(self) -> list[Chart]:
        return [
            self.received_chart(),
            self.on_time_chart(),
            self.age_chart(),
            self.left_chart(),
            self.status_time_chart(),
            self.workload_chart(),
            self.outcome_chart(),
            self.per_value_chart(
                "per-type",
                _("Requests received per right"),
                _("Requests received in each of the last 12 months, per right exercised."),
                self.per_type,
                RequestType.choices,
            ),
            self.per_value_chart(
                "per-channel",
                _("Requests received per channel"),
                _("Requests received in each of the last 12 months, per channel they came by."),
                self.per_channel,
                Channel.choices,
            ),
        ]

    def received_chart(self) -> Chart:
        labels = [_month_label(m) for m in self.months]
        return Chart(
            "received",
            _("Requests received per month"),
            _("Number of requests received in each of the last 12 months."),
            labels,
            [Series(_("Received"), list(self.received))],
            table_head=[_("Month"), _("Received")],
            table_rows=[[label, n] for label, n in zip(labels, self.received, strict=True)],
        )

    def on_time_chart(self) -> Chart:
        labels = [_month_label(row.month) for row in self.on_time]
        return Chart(
            "on-time",
            _("Answered on time, per month of the answer"),
            _(
                "Share of the requests answered in each month that were answered by their legal deadline "
                "(Art. 12(3)), the extended deadline where it was extended. A request still open after its "
                "deadline counts as late in the month its deadline passed."
            ),
            labels,
            [Series(_("On time"), [row.rate for row in self.on_time])],
            axis_max=100,
            unit="%",
            table_head=[_("Month"), _("On time"), _("Late"), _("Still due"), _("Rate")],
            table_rows=[
                [
                    label,
                    row.on_time,
                    row.late,
                    row.pending,
                    "–" if row.rate is None else f"{formats.number_format(row.rate, 1)} %",
                ]
                for label, row in zip(labels, self.on_time, strict=True)
            ],
        )

    def age_chart(self) -> Chart:
        return Chart(
            "age",
            _("Open requests by days since receipt"),
            _("How long the open requests have been waiting, in days since they were received."),
            [label for label, _n in self.age],
            [Series(_("Open requests"), [n for _l, n in self.age])],
            horizontal=True,
            table_head=[_("Days open"), _("Requests")],
            table_rows=[[label, n] for label, n in self.age],
        )

    def left_chart(self) -> Chart:
        return Chart(
            "left",
            _("Open requests by days left before the deadline"),
            _("How many days the open requests have left before their legal deadline; overdue ones first."),
            [label for label, _n in self.left],
            [Series(_("Open requests"), [n for _l, n in self.left])],
            horizontal=True,
            table_head=[_("Days left"), _("Requests")],
            table_rows=[[label, n] for label, n in self.left],
        )

    def status_time_chart(self) -> Chart:
        def shown(value: float | None) -> str:
            return "–" if value is None else formats.number_format(value, 1)

        return Chart(
            "status-time",
            _("Days spent in each status (12 months)"),
            _("Median days a request stayed in each status, from the audit trail; the table adds the 90th percentile."),
            [row.label for row in self.status_times],
            [Series(_("Median days"), [row.median_days for row in self.status_times])],
            horizontal=True,
            unit="",
            table_head=[_("Status"), _("Stays"), _("Median days"), _("90th percentile days")],
            table_rows=[
                [row.label, row.count, shown(row.median_days), shown(row.p90_days)] for row in self.status_times
            ],
        )

    def workload_chart(self) -> Chart:
        return Chart(
            "workload",
            _("Open requests per person"),
            _("Open requests assigned to each person, the overdue ones in the second colour."),
            [row.name for row in self.workload],
            [
                Series(_("Within the deadline"), [row.open - row.overdue for row in self.workload]),
                Series(_("Overdue"), [row.overdue for row in self.workload], colour="#b42318"),
            ],
            horizontal=True,
            table_head=[_("Assigned to"), _("Open"), _("Overdue")],
            table_rows=[[row.name, row.open, row.overdue] for row in self.workload],
        )

    def outcome_chart(self) -> Chart:
        return Chart(
            "outcomes",
            _("Outcome of the requests received in the last 12 months"),
            _("What became of the requests received in the last 12 months, refusals per reason."),
            [label for _k, label, _n in self.outcomes],
            [Series(_("Requests"), [n for _k, _l, n in self.outcomes])],
            horizontal=True,
            table_head=[_("Outcome"), _("Requests")],
            table_rows=[[label, n] for _k, label, n in self.outcomes],
        )

    def per_value_chart(self, key: str, title: str, description: str, counts: dict[str, list[int]], choices) -> Chart:
        labels = [_month_label(m) for m in self.months]
        present = [(value, str(label)) for value, label in choices if value in counts]
        return Chart(
            key,
            title,
            description,
            labels,
            [Series(label, list(counts[value])) for value, label in present],
            table_head=[_("Month"), *(label for _v, label in present), _("Total")],
            table_rows=[
                [label, *(counts[value][i] for value, _l in present), sum(counts[v][i] for v, _l in present)]
                for i, label in enumerate(labels)
            ],
        )


def figures() -> Figures:
    """Every figure of the dashboard, in about ten queries whatever the number of requests."""
    today = deadlines.today()
    months = month_starts(today)
    since = timezone.make_aware(dt.datetime.combine(months[0], dt.time.min))
    per_type = received_by("request_type", months)
    per_channel = received_by("channel", months)
    received = [sum(values[i] for values in per_type.values()) for i in range(len(months))]
    age, left = ageing(today)
    return Figures(
        on_time=on_time_by_month(today),
        age=age,
        left=left,
        status_times=time_in_status(since),
        workload=workload(today),
        outcomes=outcomes(since),
        per_type=per_type,
        per_channel=per_channel,
        months=months,
        received=received,
    )


def write_csv_rows(writer, board: Figures) -> None:
    """The figures as ``section, key, value`` rows of the dashboard's CSV: codes, not labels, so
    a spreadsheet built on it keeps working in every language. Keys are the desk's own codes and
    numbers; an assignee's name is the only free text, neutralised like the subject's CSV files."""
    from dsar.exports.csv_export import neutralise as safe_cell

    for row in board.on_time:
        stamp = row.month.strftime("%Y-%m")
        writer.writerow(["on_time_by_answer_month", f"{stamp}:on_time", row.on_time])
        writer.writerow(["on_time_by_answer_month", f"{stamp}:late", row.late])
        writer.writerow(["on_time_by_answer_month", f"{stamp}:rate", "" if row.rate is None else row.rate])
    for (upper, _label), (_l, n) in zip(AGE_BUCKETS, board.age, strict=True):
        writer.writerow(["open_by_days_open", f"up_to_{upper}" if upper is not None else "more", n])
    for (upper, _left_label), (_l, n) in zip(LEFT_BUCKETS, board.left, strict=True):
        left_key = "overdue" if upper == -1 else (f"up_to_{upper}" if upper is not None else "more")
        writer.writerow(["open_by_days_left", left_key, n])
    for stay in board.status_times:
        writer.writerow(["days_in_status_12_months", f"{stay.status}:stays", stay.count])
        writer.writerow(["days_in_status_12_months", f"{stay.status}:median", _blank(stay.median_days)])
        writer.writerow(["days_in_status_12_months", f"{stay.status}:p90", _blank(stay.p90_days)])
    for load in board.workload:
        writer.writerow(["workload", safe_cell(f"{load.name}:open"), load.open])
        writer.writerow(["workload", safe_cell(f"{load.name}:overdue"), load.overdue])
    for key, _label, n in board.outcomes:
        writer.writerow(["outcomes_12_months", key, n])
    for section, counts in (("received_per_type", board.per_type), ("received_per_channel", board.per_channel)):
        for value, values in sorted(counts.items()):
            for month, n in zip(board.months, values, strict=True):
                writer.writerow([section, f"{month.strftime('%Y-%m')}:{value}", n])


def _blank(value: float | None):
    return "" if value is None else value
