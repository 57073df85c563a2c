"""Reads of the workspace: the queue and the dashboard figures.

The queue must stay fast with a million requests: each page is a fixed number
of queries (count, rows with their assignee, counts per status, the staff for
the filter), and every filter maps onto an index of ``SubjectRequest``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dsar.execution import deferred
from requests_app import deadlines
from requests_app.accounts import roles
from requests_app.inbox.models import InboxItem, InboxState
from requests_app.models import (
    OPEN_STATUSES,
    TRACKED_STATUSES,
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
MAX_SEARCH = 200
# The queue's sortable columns: the key in the URL (``?sort=due``, ``?sort=-due``
# for descending) and the fields it orders by; the primary key breaks ties so
# that pages never overlap. Soonest legal deadline first by default.
SORTS: dict[str, tuple[str, ...]] = {
    "reference": ("reference",),
    "subject": ("full_name",),
    "type": ("request_type",),
    "status": ("status",),
    "due": ("due_date",),
    "target": ("internal_target_date",),
    "assignee": ("assignee__username",),
    "channel": ("channel",),
    "language": ("language",),
}
DEFAULT_SORT = "due"


class TriStateField(forms.Field):
    """Yes, no, or not given (None): the values an HTML checkbox and a JSON
    client send (``1``/``on``/``true``..., ``0``/``off``/``false``...), as
    REST framework's ``BooleanField`` reads them."""

    TRUE = frozenset({"1", "true", "t", "yes", "y", "on"})
    FALSE = frozenset({"0", "false", "f", "no", "n", "off"})
    default_error_messages = {"invalid": _("Must be a valid boolean.")}

    def to_python(self, value):
        if value in (None, "") or str(value).lower() == "null":
            return None
        if str(value).lower() in self.TRUE:
            return True
        if str(value).lower() in self.FALSE:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class TriStateFilter(django_filters.Filter):
    field_class = TriStateField


class WholeNumberFilter(django_filters.Filter):
    # django-filter's NumberFilter takes decimals: a number of days is whole.
    field_class = forms.IntegerField


# A filter's unknown value, in the words an API client knows from REST framework.
INVALID_CHOICE = {"invalid_choice": _('"%(value)s" is not a valid choice.')}
STATUS_CHOICES = [(STATUS_OPEN, _("Open")), (STATUS_ALL, _("All")), *Status.choices]


_FORM_CLASSES: dict[type, type] = {}


class QueueFilterSet(django_filters.FilterSet):
    """The queue's filters, the one definition the workspace's queue page and
    the API's request list (``GET /api/v1/requests/``) share, so that the same
    filter gives the same requests in both.

    ``status``: a status, ``open`` (every open status) or ``all``; not given,
    every status (the page shows ``open`` by default, see ``QueueFilters``).
    ``request_type`` (or ``type``, the page's name for it), ``channel``.
    ``assignee``: a user id (the page's menu) or a user name (API clients),
    ``me``, or ``none`` for unassigned requests; a number matches the user of
    that id and a user whose name is that number, so that no existing link or
    client changes meaning. ``overdue``: open requests past their legal
    deadline (Art. 12(3)), or with ``false`` every other one. ``due_within``:
    legal deadline within so many days. ``held``: under an active retention
    hold, or not. ``q``: a reference, an e-mail address or part of a name.

    Bound to the query string: a value that is not valid is reported in
    ``errors`` (the API answers 400 with them) and left out of ``qs`` (the
    page ignores it rather than fail).
    """

    status = django_filters.ChoiceFilter(choices=STATUS_CHOICES, method="filter_status", error_messages=INVALID_CHOICE)
    request_type = django_filters.ChoiceFilter(choices=RequestType.choices, error_messages=INVALID_CHOICE)
    type = django_filters.ChoiceFilter(
        field_name="request_type", choices=RequestType.choices, error_messages=INVALID_CHOICE
    )
    channel = django_filters.ChoiceFilter(choices=Channel.choices, error_messages=INVALID_CHOICE)
    # Ids, "me" and "none" pass the user-name validator too: anything else cannot name anyone.
    assignee = django_filters.CharFilter(
        method="filter_assignee", max_length=150, validators=[UnicodeUsernameValidator()]
    )
    overdue = TriStateFilter(method="filter_overdue")
    due_within = WholeNumberFilter(method="filter_due_within")
    held = TriStateFilter(method="filter_held")
    q = django_filters.CharFilter(method="filter_search")

    class Meta:
        model = SubjectRequest
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, user=None, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        # The user "me" stands for; the API passes its request, the page its user.
        self.user = user if user is not None else getattr(request, "user", None)
        # The statuses the status filter kept (None: every status). It is
        # declared first, so applied before the filters that read this.
        self.statuses: tuple[str, ...] | None = None

    def get_form_class(self):
        # django-filter builds a new form class for every filter set (a
        # millisecond each, several times a queue page); its fields are the
        # same every time, and each form copies them for itself.
        if type(self) not in _FORM_CLASSES:
            _FORM_CLASSES[type(self)] = super().get_form_class()
        return _FORM_CLASSES[type(self)]

    def filter_values(self, values: dict):
        """The queryset under values this filter set's form has already
        cleaned (``QueueFilters`` holds them): each filter applied as
        ``filter_queryset`` applies the form's, without a second form."""
        queryset = self.queryset.all()
        for name, value in values.items():
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_status(self, queryset, name, value):
        if value == STATUS_ALL:
            return queryset
        if value == STATUS_OPEN:
            self.statuses = OPEN_STATUSES
            return queryset.filter(status__in=OPEN_STATUSES)
        self.statuses = (value,)
        return queryset.filter(status=value)

    def filter_assignee(self, queryset, name, value):
        if value == UNASSIGNED:
            return queryset.filter(assignee__isnull=True)
        if value == "me":
            return queryset.filter(assignee_id=self.user.pk)
        people = Q(username=value)
        if value.isdigit() and len(value) <= 18:  # longer cannot be a primary key
            people |= Q(pk=int(value))
        # A sub-select of ids rather than a join: the filter stays on the assignee index.
        return queryset.filter(assignee_id__in=get_user_model().objects.filter(people).values("pk"))

    def filter_overdue(self, queryset, name, value):
        # Only an open request is late (Art. 12(3)). When the status filter
        # already keeps open ones only, the statuses are not said twice:
        # PostgreSQL would multiply the two conditions, expect a fraction of
        # the rows there are and choose a plan that reads them all.
        late = Q(due_date__lt=deadlines.today())
        if self.statuses is None or not set(self.statuses) <= set(OPEN_STATUSES):
            late &= Q(status__in=OPEN_STATUSES)
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_due_within(self, queryset, name, value):
        days = max(0, min(value, MAX_DUE_WITHIN))
        return queryset.filter(due_date__lte=deadlines.today() + dt.timedelta(days=days))

    def filter_held(self, queryset, name, value):
        return queryset.held() if value else queryset.not_held()

    def filter_search(self, queryset, name, value):
        return queryset.filter(_search_q(value.strip()[:MAX_SEARCH]))


@dataclass
class QueueFilters:
    """The queue page's filters as it shows them: ``QueueFilterSet``'s values
    with the page's defaults (the ``open`` tab), read leniently from the URL."""

    status: str = STATUS_OPEN
    request_type: str = ""
    assignee: str = ""  # a user id or name, "none" or "me"
    channel: str = ""
    due_within: int | None = None
    overdue: bool = False
    # Under an active retention hold (whatever the status tab).
    held: bool = False
    q: str = ""
    # A key of SORTS, "-" in front for descending.
    sort: str = DEFAULT_SORT
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, params) -> QueueFilters:
        """Read the filters from the URL; a bad value is dropped, never an error page."""
        if not any(params.get(name) for name in (*QueueFilterSet.base_filters, "sort")):
            # The default queue (nothing in the URL, or only a page): no form to clean.
            return cls()
        form = QueueFilterSet(params).form
        form.is_valid()
        values = form.cleaned_data  # the valid fields only
        filters = cls()
        filters.held = values.get("held") is True
        filters.status = values.get("status") or filters.default_status
        filters.request_type = values.get("type") or values.get("request_type") or ""
        filters.channel = values.get("channel") or ""
        filters.assignee = values.get("assignee") or ""
        if "due_within" in form.errors:
            filters.errors.append("due_within")
        elif values.get("due_within") is not None:
            filters.due_within = max(0, min(values["due_within"], MAX_DUE_WITHIN))
        filters.overdue = values.get("overdue") is True
        filters.q = (values.get("q") or "").strip()[:MAX_SEARCH]
        sort = str(params.get("sort") or "")
        if sort.removeprefix("-") in SORTS:
            filters.sort = sort
        return filters

    def ordering(self) -> tuple:
        """The ``order_by`` of the chosen sort, the primary key last.

        By assignee, the requests nobody is assigned to come last in
        ascending order and first in descending order on every database
        (PostgreSQL's default; SQLite's is the reverse): the queue's pages by
        assignee are read per assignee in that order (``queue.QueuePaginator``).
        """
        descending = self.sort.startswith("-")
        key = self.sort.removeprefix("-")
        if key == "assignee":
            username = F("assignee__username")
            return (username.desc(nulls_first=True), "-pk") if descending else (username.asc(nulls_last=True), "pk")
        fields = SORTS.get(key, SORTS[DEFAULT_SORT])
        return tuple(f"-{name}" if descending else name for name in (*fields, "pk"))

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
            "sort": self.sort if self.sort != DEFAULT_SORT else "",
        }
        values.update(overrides)
        return {key: value for key, value in values.items() if value}

    def filtered(self, queryset, user, *, with_status: bool = True):
        """``queryset`` under these filters, through ``QueueFilterSet``'s
        filters. ``from_query`` had its form clean them: they are applied as
        they are (a page applies them three times; a form each time cost more
        than compiling the query)."""
        values = {
            # In the order the filter set declares them: the same SQL as through its form.
            "status": self.status if with_status else STATUS_ALL,
            "type": self.request_type,
            "channel": self.channel,
            "assignee": self.assignee,
            "overdue": True if self.overdue else None,
            "due_within": self.due_within,
            "held": True if self.held else None,
            "q": self.q,
        }
        return QueueFilterSet(None, queryset, user=user).filter_values(values)


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
    # Substring matches: on PostgreSQL the open tabs find them from trigram
    # indexes (migration 0024_queue_count_index), where pg_trgm is available.
    return Q(full_name__icontains=q) | Q(reference__endswith=q)


def _held() -> Exists:
    # Served by the partial unique index one_active_hold_per_request.
    return Exists(RetentionHold.objects.active().filter(request=OuterRef("pk")))


# What the queue's page and its CSV show of each request: plain rows (named
# tuples), not model instances; building 200 requests and their assignees
# was a fifth of a 200-row page's time.
QUEUE_FIELDS = (
    "pk",
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
    "assignee_id",
    "assignee_username",
    "assignee_first_name",
    "assignee_last_name",
    "held",
)


def queue(filters: QueueFilters, user):
    """Requests matching the filters, in the chosen order (soonest legal
    deadline first by default), as named rows of ``QUEUE_FIELDS``."""
    return (
        filters.filtered(SubjectRequest.objects.all(), user)
        .annotate(
            assignee_username=F("assignee__username"),
            assignee_first_name=F("assignee__first_name"),
            assignee_last_name=F("assignee__last_name"),
            held=_held(),
        )
        .order_by(*filters.ordering())
        .values_list(*QUEUE_FIELDS, named=True)
    )


def assignee_name(row) -> str:
    """A queue row's assignee as ``User.get_full_name() or get_username()`` gives it; "" when nobody."""
    if row.assignee_id is None:
        return ""
    return f"{row.assignee_first_name} {row.assignee_last_name}".strip() or row.assignee_username


# Finished requests pile up over the years (2.9M of 3M in bench_queue): a
# COUNT(*) of all of them on every view of a finished tab costs more than the
# page itself. The queue counts up to this many and pages through them only.
QUEUE_COUNT_CAP = 10_000


def capped_count(filters: QueueFilters, user, *, cap: int | None = None) -> tuple[int, bool]:
    """How many requests the filters match, counted up to ``cap``, and whether
    there are more: (cap, True) then. One COUNT over a LIMITed subquery, which
    stops reading the index after cap + 1 rows."""
    cap = QUEUE_COUNT_CAP if cap is None else cap
    found = filters.filtered(SubjectRequest.objects.all(), user).order_by().values("pk")[: cap + 1].count()
    return (cap, True) if found > cap else (found, False)


def tracked_counts(filters: QueueFilters, user, *, by_assignee: bool = False) -> dict[tuple, int]:
    """Open and forwarded requests per (status, channel), or per (status,
    channel, assignee id) with ``by_assignee``, under the filters other than
    status and channel: one GROUP BY, read from an index alone
    (req_tracked_groups, or req_tracked_counts under other filters;
    ``COUNT(*)``: ``COUNT(id)`` would need the id in the index).

    The status tabs (``status_counts``), the links per channel
    (``queue.channel_counts``) and, sorted by assignee, the share of each
    assignee in the list (``assignee_counts``) are all sums of it.

    Finished statuses are not counted: counting a million closed requests on
    every page view would cost more than the page. The count of a finished
    status, when it is the one shown, is the paginator's.
    """
    others = replace(filters, channel="", errors=[])
    groups = ("status", "channel", "assignee_id") if by_assignee else ("status", "channel")
    # Forwarded requests too: still tracked (the provider's deadline), with a
    # tab of their own. Overdue ones are open ones (the filter says so): not
    # said twice, which would make PostgreSQL expect a fraction of the rows.
    tracked = SubjectRequest.objects.all()
    if not filters.overdue:
        tracked = tracked.filter(status__in=(*OPEN_STATUSES, *TRACKED_STATUSES))
    rows = others.filtered(tracked, user, with_status=False).order_by().values_list(*groups).annotate(n=Count("*"))
    return {tuple(row[:-1]): row[-1] for row in rows}


def status_counts(filters: QueueFilters, cells: dict[tuple, int]) -> dict[str, int]:
    """Requests per open or forwarded status under every filter but the
    status (the tabs), from ``tracked_counts``; a status none has is left out."""
    counts: dict[str, int] = {}
    for (status, channel, *_assignee), n in cells.items():
        if not filters.channel or channel == filters.channel:
            counts[status] = counts.get(status, 0) + n
    return counts


def tab_statuses(filters: QueueFilters) -> tuple[str, ...]:
    """The statuses the list shows when its tab is counted by ``tracked_counts``; () for the other tabs."""
    if filters.status == STATUS_OPEN:
        return OPEN_STATUSES
    return (filters.status,) if filters.status in (*OPEN_STATUSES, *TRACKED_STATUSES) else ()


def assignee_counts(filters: QueueFilters, cells: dict[tuple, int]) -> dict[int | None, int]:
    """Requests of the list per assignee id (None: nobody), from
    ``tracked_counts(..., by_assignee=True)``: every filter applies."""
    statuses = tab_statuses(filters)
    counts: dict[int | None, int] = {}
    for (status, channel, assignee_id), n in cells.items():
        if status in statuses and (not filters.channel or channel == filters.channel):
            counts[assignee_id] = counts.get(assignee_id, 0) + n
    return counts


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
    # How requests arrive (no channel is compulsory: EDPB Guidelines 01/2022),
    # and the e-mails to the privacy address still to triage (requests_app.inbox).
    by_channel: list = field(default_factory=list)
    inbox_to_triage: int = 0


def _month_starts(today: dt.date, count: int = 12) -> list[dt.date]:
    months = []
    year, month = today.year, today.month
    for _step in range(count):
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
    channel_rows = dict(open_requests.order_by().values_list("channel").annotate(n=Count("pk")))
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
    from requests_app.workspace.durations import days_to_answer

    answered_count, median_days, p90_days = days_to_answer(since)
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
        closed_count=answered_count,
        median_days=median_days,
        p90_days=p90_days,
        per_month=per_month,
        max_per_month=max([n for _, n in per_month] + [1]),
        forwarded_pending=list(pending_forwardings[:10]),
        forwarded_pending_count=pending_forwardings.count(),
        held=SubjectRequest.objects.held().count(),
        deferred_erasures=deferred_figures["count"],
        deferred_next_due=deferred_figures["next_due"],
        deferred_attention=deferred_figures["attention"],
        by_channel=[(value, label, channel_rows.get(value, 0)) for value, label in Channel.choices],
        inbox_to_triage=InboxItem.objects.filter(state=InboxState.NEW).count(),
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


def due_soon_or_overdue(*, within_days: int = 7):
    today = deadlines.today()
    return (
        SubjectRequest.objects.open()
        .filter(due_date__lte=today + dt.timedelta(days=within_days))
        .select_related("assignee")
        .order_by("due_date", "pk")
    )
