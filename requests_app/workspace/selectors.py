"""Reads of the workspace: the queue and the dashboard figures.

The queue must stay fast with a million requests: each page is a fixed number
of queries (count, rows with their assignee, counts per status, the staff for
the filter), and every filter maps onto an index of ``SubjectRequest``.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from dsar.execution import deferred
from requests_app import deadlines, roles
from requests_app.models import (
    OPEN_STATUSES,
    Channel,
    Forwarding,
    RequestType,
    RetentionHold,
    Status,
    SubjectRequest,
)

REFERENCE_RE = re.compile(r"^\s*DSAR-\d{4}-\d+\s*$", re.IGNORECASE)
# "open" is the default view; "all" shows every status.
STATUS_OPEN = "open"
STATUS_ALL = "all"
UNASSIGNED = "none"
MAX_DUE_WITHIN = 366


@dataclass
class QueueFilters:
    status: str = STATUS_OPEN
    request_type: str = ""
    assignee: str = ""  # a user id, "none" or "me"
    channel: str = ""
    due_within: int | None = None
    overdue: bool = False
    # Under an active retention hold (whatever the status tab).
    held: bool = False
    q: str = ""
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, params) -> QueueFilters:
        """Read the filters from the URL; a bad value is dropped, never an error page."""
        filters = cls()
        filters.held = params.get("held") in ("1", "on", "true")
        status = params.get("status", "")
        filters.status = status if status in (STATUS_OPEN, STATUS_ALL, *Status.values) else filters.default_status
        request_type = params.get("type", "")
        filters.request_type = request_type if request_type in RequestType.values else ""
        channel = params.get("channel", "")
        filters.channel = channel if channel in Channel.values else ""
        assignee = params.get("assignee", "")
        filters.assignee = assignee if assignee in (UNASSIGNED, "me") or assignee.isdigit() else ""
        due_within = params.get("due_within", "")
        if due_within:
            try:
                filters.due_within = max(0, min(int(due_within), MAX_DUE_WITHIN))
            except ValueError:
                filters.errors.append("due_within")
        filters.overdue = params.get("overdue") in ("1", "on", "true")
        filters.q = params.get("q", "").strip()[:200]
        return filters

    @property
    def default_status(self) -> str:
        # A hold is placed on requests kept as evidence, mostly closed ones:
        # ticking it on the default "Open" tab would find next to nothing.
        return STATUS_ALL if self.held else STATUS_OPEN

    def as_query(self, **overrides) -> dict:
        values = {
            "status": self.status if self.status != self.default_status else "",
            "type": self.request_type,
            "assignee": self.assignee,
            "channel": self.channel,
            "due_within": "" if self.due_within is None else str(self.due_within),
            "overdue": "1" if self.overdue else "",
            "held": "1" if self.held else "",
            "q": self.q,
        }
        values.update(overrides)
        return {key: value for key, value in values.items() if value}


def _status_q(status: str) -> Q:
    if status == STATUS_ALL:
        return Q()
    if status == STATUS_OPEN:
        return Q(status__in=OPEN_STATUSES)
    return Q(status=status)


def _search_q(q: str) -> Q:
    """A reference or an e-mail address is matched exactly (index-backed); a
    name by a case-insensitive substring, within the other filters."""
    if not q:
        return Q()
    if REFERENCE_RE.match(q):
        return Q(reference=q.strip().upper())
    if q.upper().startswith("DSAR-"):
        return Q(reference__startswith=q.upper())
    if "@" in q:
        # An index on UPPER(email) serves this (migration 0002_queue_indexes).
        return Q(email__iexact=q)
    return Q(full_name__icontains=q) | Q(reference__endswith=q)


def _filters_q(filters: QueueFilters, user, *, with_status: bool = True) -> Q:
    condition = _search_q(filters.q)
    if with_status:
        condition &= _status_q(filters.status)
    if filters.request_type:
        condition &= Q(request_type=filters.request_type)
    if filters.channel:
        condition &= Q(channel=filters.channel)
    if filters.assignee == UNASSIGNED:
        condition &= Q(assignee__isnull=True)
    elif filters.assignee == "me":
        condition &= Q(assignee_id=user.pk)
    elif filters.assignee:
        condition &= Q(assignee_id=int(filters.assignee))
    today = deadlines.today()
    if filters.overdue:
        condition &= Q(due_date__lt=today)
    if filters.due_within is not None:
        condition &= Q(due_date__lte=today + dt.timedelta(days=filters.due_within))
    if filters.held:
        condition &= Q(_held())
    return condition


def _held() -> Exists:
    # Served by the partial unique index one_active_hold_per_request.
    return Exists(RetentionHold.objects.active().filter(request=OuterRef("pk")))


def queue(filters: QueueFilters, user):
    """Requests matching the filters, soonest legal deadline first."""
    return (
        SubjectRequest.objects.filter(_filters_q(filters, user))
        .select_related("assignee")
        .only(
            "reference",
            "request_type",
            "status",
            "channel",
            "language",
            "full_name",
            "email",
            "received_at",
            "due_date",
            "internal_target_date",
            "extended_at",
            "assignee__username",
            "assignee__first_name",
            "assignee__last_name",
        )
        .annotate(held=_held())
        .order_by("due_date", "pk")
    )


def status_counts(filters: QueueFilters, user) -> dict[str, int]:
    """Counts per open status under the other filters (one GROUP BY).

    Only open statuses are counted: counting a million closed requests on
    every page view would cost more than the page. The count of a finished
    status, when it is the one shown, is the paginator's.
    """
    rows = (
        SubjectRequest.objects.filter(_filters_q(filters, user, with_status=False), status__in=OPEN_STATUSES)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
    )
    return {row["status"]: row["n"] for row in rows}


def staff_members():
    """People a request can be assigned to (DPOs and agents), for menus."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name__in=(roles.DPO, roles.AGENT)) | Q(is_superuser=True))
        .distinct()
        .order_by("username")
    )


# ------------------------------------------------------------------------------
# Dashboard
# ------------------------------------------------------------------------------
def _percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class Dashboard:
    by_status: list[tuple[str, str, int]]
    by_type: list[tuple[str, str, int]]
    open_total: int
    due_this_week: int
    overdue: int
    unassigned: int
    closed_count: int
    median_days: float | None
    p90_days: float | None
    per_month: list[tuple[dt.date, int]]
    max_per_month: int
    # Forwarded to the controller they belong to, not yet acknowledged (oldest first).
    forwarded_pending: list = field(default_factory=list)
    forwarded_pending_count: int = 0
    # Kept past the retention periods as evidence, whatever their status.
    held: int = 0
    # Records kept under a legal hold, to erase when it ends (failed or manual ones included).
    deferred_erasures: int = 0
    deferred_next_due: dt.date | None = None
    deferred_attention: int = 0
    # E-mails unsent for more than DSAR_EMAIL_ALERT_MINUTES, or given up: the
    # subject may not have been told (Art. 12(3)); the DPO checks the provider.
    emails_failing: int = 0
    emails_given_up: int = 0


def _month_starts(today: dt.date, count: int = 12) -> list[dt.date]:
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(dt.date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(months))


def dashboard() -> Dashboard:
    today = deadlines.today()
    open_requests = SubjectRequest.objects.open()
    status_rows = dict(open_requests.order_by().values_list("status").annotate(n=Count("pk")))
    type_rows = dict(open_requests.order_by().values_list("request_type").annotate(n=Count("pk")))
    figures = open_requests.aggregate(
        total=Count("pk"),
        due_week=Count("pk", filter=Q(due_date__gte=today, due_date__lte=today + dt.timedelta(days=7))),
        overdue=Count("pk", filter=Q(due_date__lt=today)),
        unassigned=Count("pk", filter=Q(assignee__isnull=True)),
    )
    # Days to answer over the last 12 months: received -> the subject had the
    # desk's answer (copy released, refusal, closing reason). Closing a
    # fulfilled request later is bookkeeping and does not count.
    since = timezone.now() - dt.timedelta(days=365)
    durations = [
        max((deadlines.local_date(answered) - deadlines.local_date(received)).days, 0)
        for received, answered in SubjectRequest.objects.filter(answered_at__gte=since).values_list(
            "received_at", "answered_at"
        )
    ]
    months = _month_starts(today)
    start = timezone.make_aware(dt.datetime.combine(months[0], dt.time.min))
    month_rows = {
        (row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]): row["n"]
        for row in SubjectRequest.objects.filter(received_at__gte=start)
        .annotate(month=TruncMonth("received_at"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
    }
    per_month = [(month, month_rows.get(month, 0)) for month in months]
    deferred_figures = deferred.pending_summary()
    pending_forwardings = (
        Forwarding.objects.filter(acknowledged_at__isnull=True).select_related("request").order_by("sent_at")
    )
    return Dashboard(
        by_status=[
            (value, label, status_rows.get(value, 0)) for value, label in Status.choices if value in OPEN_STATUSES
        ],
        by_type=[(value, label, type_rows.get(value, 0)) for value, label in RequestType.choices],
        open_total=figures["total"],
        due_this_week=figures["due_week"],
        overdue=figures["overdue"],
        unassigned=figures["unassigned"],
        closed_count=len(durations),
        median_days=statistics.median(durations) if durations else None,
        p90_days=_percentile(durations, 0.9),
        per_month=per_month,
        max_per_month=max([n for _, n in per_month] + [1]),
        forwarded_pending=list(pending_forwardings[:10]),
        forwarded_pending_count=pending_forwardings.count(),
        held=SubjectRequest.objects.held().count(),
        deferred_erasures=deferred_figures["count"],
        deferred_next_due=deferred_figures["next_due"],
        deferred_attention=deferred_figures["attention"],
        **_email_alert(),
    )


def _email_alert() -> dict[str, int]:
    from requests_app import emails
    from requests_app.models import OutgoingEmail

    figures = emails.failing().aggregate(
        failing=Count("pk", filter=~Q(status=OutgoingEmail.Status.FAILED)),
        given_up=Count("pk", filter=Q(status=OutgoingEmail.Status.FAILED)),
    )
    return {"emails_failing": figures["failing"], "emails_given_up": figures["given_up"]}


def unassigned_since(cutoff: dt.datetime):
    """Open requests nobody took, received before ``cutoff``."""
    return SubjectRequest.objects.open().filter(assignee__isnull=True, received_at__lt=cutoff)


def due_soon_or_overdue(*, within_days: int = 7):
    today = deadlines.today()
    return (
        SubjectRequest.objects.open()
        .filter(due_date__lte=today + dt.timedelta(days=within_days))
        .select_related("assignee")
        .order_by("due_date", "pk")
    )
