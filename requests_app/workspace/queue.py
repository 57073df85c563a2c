"""The queue's tools around its list: sortable columns, the counts beside it
(privacy mailbox, channels), saved views per staff member, and the CSV export
of exactly the filtered and sorted queue.

The list itself is ``views.queue`` over ``selectors.queue``; the filters and
the sort order are ``selectors.QueueFilters``, read from the URL, so that the
page, its CSV and a saved view show the same requests in the same order.
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Iterator
from urllib.parse import quote, urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from requests_app import deadlines, permissions
from requests_app.inbox.models import InboxItem, InboxState
from requests_app.models import OPEN_STATUSES, TRACKED_STATUSES, Channel, RequestType, Status
from requests_app.permissions import staff_view
from requests_app.workspace import selectors
from requests_app.workspace.models import SavedQueueFilter

# The columns of the table, in order: (sort key or None, label, CSS class).
COLUMNS = (
    ("reference", gettext_lazy("Reference"), ""),
    ("subject", gettext_lazy("Subject"), ""),
    ("type", gettext_lazy("Type"), ""),
    ("status", gettext_lazy("Status"), ""),
    ("due", gettext_lazy("Legal deadline"), "num"),
    ("target", gettext_lazy("Internal target"), "num"),
    ("assignee", gettext_lazy("Assignee"), ""),
    ("channel", gettext_lazy("Channel"), ""),
    ("language", gettext_lazy("Lang."), ""),
)
MAX_SAVED_VIEWS = 50


def query_string(filters: selectors.QueueFilters, **overrides) -> str:
    return urlencode(filters.as_query(**overrides))


def link_prefixes(filters: selectors.QueueFilters) -> dict[str, SafeString]:
    """The filters as the start of the tabs' links (all but the status) and
    of the pager's (all of them), each parameter followed by ``&amp;``:
    written once here rather than by a loop in each of a dozen links."""

    def prefix(query: dict) -> SafeString:
        return mark_safe("".join(f"{escape(key)}={escape(quote(value))}&amp;" for key, value in query.items()))  # noqa: S308

    query = filters.as_query()
    return {
        "tab_query": prefix({key: value for key, value in query.items() if key != "status"}),
        "page_query": prefix(query),
    }


def columns(filters: selectors.QueueFilters) -> list[dict]:
    """The header cells: a link that sorts by the column (ascending first,
    descending when it is already sorted ascending), and ``aria-sort`` on the
    column the list is sorted by, so a screen reader says so."""
    current = filters.sort.removeprefix("-")
    descending = filters.sort.startswith("-")
    cells = []
    for key, label, css in COLUMNS:
        sorted_here = key == current
        next_sort = f"-{key}" if sorted_here and not descending else key
        cells.append(
            {
                "key": key,
                "label": label,
                "css": css,
                "url": "?" + query_string(filters, sort=next_sort if next_sort != selectors.DEFAULT_SORT else ""),
                "aria_sort": ("descending" if descending else "ascending") if sorted_here else "",
            }
        )
    return cells


def channel_counts(filters: selectors.QueueFilters, cells: dict[tuple, int]) -> list[dict]:
    """Requests per channel under the other filters, each a link that filters
    the queue on that channel: sums of ``selectors.tracked_counts`` (the
    query that counts the status tabs), on the open and tracked tabs only.
    Counting the channels of a million closed requests on every view would
    cost more than the page: other tabs get the links without counts.
    """
    others = dataclasses.replace(filters, channel="", errors=[])
    statuses = selectors.tab_statuses(filters)
    rows: dict[str, int] = {}
    for (status, channel, *_assignee), n in cells.items():
        if status in statuses:
            rows[channel] = rows.get(channel, 0) + n
    counted = bool(statuses)
    return [
        {
            "value": value,
            "label": label,
            "count": rows.get(value, 0) if counted else None,
            "url": "?" + query_string(others, channel=value),
            "current": value == filters.channel,
        }
        for value, label in Channel.choices
    ]


class QueuePaginator(Paginator):
    """The queue's pages.

    Sorted by assignee (their user name, in another table), the database
    sorts every request of the list to find one page: 90,000 open ones at 3M
    requests. On the open and tracked tabs the list's share of each assignee
    is known (``assignees``: ``selectors.assignee_counts``, from the query
    that counts the tabs): the page is found by going through the assignees
    in order of user name, reading from each only the slice of their
    requests the page needs, in id order (index req_open_assignee). On other
    tabs, a page's ids are found first (``ids_first``), which PostgreSQL sorts
    from an index without reading the rows, and only that page's rows are
    then read: sorting whole rows costs several times more.
    """

    def __init__(
        self,
        *args,
        ids_first: bool = False,
        assignees: dict[int | None, int] | None = None,
        descending: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.ids_first = ids_first
        self.assignees = assignees
        self.descending = descending

    def page(self, number):
        if self.assignees is None:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        return super()._get_page(self._rows(self._ids_by_assignee(bottom, top)), number, self)

    def _get_page(self, object_list, number, paginator):
        if self.ids_first:
            object_list = self._rows(list(object_list.values_list("pk", flat=True)))
        return super()._get_page(object_list, number, paginator)

    def _rows(self, ids: list[int]) -> list:
        found = {row.pk: row for row in self.object_list.filter(pk__in=ids)}
        return [found[pk] for pk in ids if pk in found]

    def _ids_by_assignee(self, bottom: int, top: int) -> list[int]:
        """The ids of the list's requests bottom to top (excluded), walking the
        assignees as ``selectors.QueueFilters.ordering`` sorts them: by user
        name, nobody last (first when descending), then by id."""
        assigned = [pk for pk in self.assignees if pk is not None]
        people = list(
            get_user_model()
            .objects.filter(pk__in=assigned)
            .order_by("-username" if self.descending else "username")
            .values_list("pk", flat=True)
        )
        order: list[int | None] = [None, *people] if self.descending else [*people, None]
        requests = self.object_list.order_by()
        ids: list[int] = []
        position = 0
        for assignee_id in order:
            if position >= top:
                break
            count = self.assignees.get(assignee_id, 0)
            if position + count > bottom:
                theirs = (
                    requests.filter(assignee_id__isnull=True)
                    if assignee_id is None
                    else requests.filter(assignee_id=assignee_id)
                )
                ids += theirs.order_by("-pk" if self.descending else "pk").values_list("pk", flat=True)[
                    max(bottom - position, 0) : top - position
                ]
            position += count
        return ids


def list_count(filters: selectors.QueueFilters, user, counts: dict[str, int]) -> tuple[int, bool]:
    """How many requests the list holds, and whether that is only the first
    ``selectors.QUEUE_COUNT_CAP`` of more: the open tabs take it from the
    counts per status; finished tabs and "all" count up to the cap."""
    if filters.status == selectors.STATUS_OPEN:
        return sum(counts.get(s, 0) for s in OPEN_STATUSES), False
    if filters.status in (*OPEN_STATUSES, *TRACKED_STATUSES):
        return counts.get(filters.status, 0), False
    return selectors.capped_count(filters, user)


def count_context(count: int, *, capped: bool) -> dict:
    """The list's count as the page shows it: past the cap, "10,000+" (in the
    reader's number format) in the tab and under the list, and a notice."""
    number = number_format(count, force_grouping=True)
    return {"count_capped": capped, "count_cap": number, "count_label": f"{number}+" if capped else number}


def context(request, filters: selectors.QueueFilters, cells: dict[tuple, int], staff: list) -> dict:
    """What the queue page shows around its rows (views.queue adds it);
    ``cells`` are the counts of ``selectors.tracked_counts``, ``staff`` the
    people of the assignee menu."""
    from requests_app.workspace import bulk

    return {
        "columns": columns(filters),
        **link_prefixes(filters),
        "query_string": query_string(filters),
        "channel_counts": channel_counts(filters, cells),
        # E-mails to the privacy address not yet triaged: requests may hide there (Art. 12(3) runs from receipt).
        "inbox_to_triage": InboxItem.objects.filter(state=InboxState.NEW).count(),
        "saved_views": list(SavedQueueFilter.objects.filter(user=request.user)),
        "saved_view_query": query_string(filters, q=""),
        # Auditors change nothing: no boxes to tick, no bulk form.
        "can_bulk": not permissions.is_read_only(request.user),
        "bulk_fields": bulk.unbound_fields(staff),
    }


# ------------------------------------------------------------------------------
# Saved views: per staff member, never shared
# ------------------------------------------------------------------------------
class SaveViewForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of this view"), max_length=80)
    query = forms.CharField(required=False, max_length=2000)

    def normalised_query(self) -> str:
        """The filters and sort order only, read as the queue reads them:
        nothing else the URL holds, and never the search text (it usually
        names a person: ``SavedQueueFilter``)."""
        filters = selectors.QueueFilters.from_query(QueryDict(self.cleaned_data["query"]))
        return query_string(filters, q="")


# Saving or deleting a view changes nothing of the requests: every role of the
# workspace may (an auditor keeps their own views too).
@require_POST
@staff_view
def save_view(request):
    form = SaveViewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the view a name of at most 80 characters."))
        return redirect(reverse("workspace:queue") + "?" + request.POST.get("query", "")[:2000])
    query = form.normalised_query()
    name = form.cleaned_data["name"].strip()
    mine = SavedQueueFilter.objects.filter(user=request.user)
    if not mine.filter(name=name).exists() and mine.count() >= MAX_SAVED_VIEWS:
        messages.error(
            request, _("You have %(n)d saved views, the most allowed: delete one first.") % {"n": MAX_SAVED_VIEWS}
        )
    else:
        SavedQueueFilter.objects.update_or_create(user=request.user, name=name, defaults={"query": query})
        messages.success(request, _("View “%(name)s” saved; only you see it.") % {"name": name})
    return redirect(reverse("workspace:queue") + ("?" + query if query else ""))


@require_POST
@staff_view
def delete_view(request, view_id: int):
    # Only one's own: another person's view is "not found", like one that never was.
    saved = get_object_or_404(SavedQueueFilter, pk=view_id, user=request.user)
    saved.delete()
    messages.success(request, _("View “%(name)s” deleted.") % {"name": saved.name})
    return redirect("workspace:queue")


# ------------------------------------------------------------------------------
# The CSV export of the filtered queue
# ------------------------------------------------------------------------------
# A spreadsheet runs a cell that starts with one of these as a formula (CSV
# injection): a subject's name is theirs to choose, so every text cell is
# neutralised with a leading apostrophe (OWASP's advice).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str | int:
    if isinstance(value, int):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Line:
    """csv.writer writes into this and gets the line back (streamed, never the whole file in memory)."""

    def write(self, value: str) -> str:
        return value


def csv_rows(filters: selectors.QueueFilters, user) -> Iterator[list]:
    """The header and one row per request, in the page's order; labels in the
    reader's language, no internal id (the reference is what the DPO knows)."""
    today = deadlines.today()
    types, statuses, channels = (
        {value: str(label) for value, label in choices}
        for choices in (RequestType.choices, Status.choices, Channel.choices)
    )
    languages = {code: str(name) for code, name in settings.LANGUAGES}
    yes = _("yes")
    yield [
        _("Reference"),
        _("Subject"),
        _("E-mail"),
        _("Type"),
        _("Status"),
        _("Received"),
        _("Legal deadline"),
        _("Days left"),
        _("Extended"),
        _("Internal target"),
        _("Assignee"),
        _("Channel"),
        _("Language"),
        _("Retention hold"),
    ]
    for item in selectors.queue(filters, user).iterator(chunk_size=2000):
        is_open = item.status in OPEN_STATUSES
        yield [
            item.reference,
            item.full_name,
            item.email,
            types.get(item.request_type, item.request_type),
            statuses.get(item.status, item.status),
            deadlines.local_date(item.received_at).isoformat(),
            item.due_date.isoformat(),
            deadlines.days_left(item.due_date, on=today) if is_open else "",
            yes if item.extended_at else "",
            item.internal_target_date.isoformat() if item.internal_target_date else "",
            selectors.assignee_name(item),
            channels.get(item.channel, item.channel),
            languages.get(item.language, item.language),
            yes if item.held else "",
        ]


@require_GET
@staff_view
def queue_csv(request):
    """The queue as the page shows it (same filters, same order), every page of it."""
    filters = selectors.QueueFilters.from_query(request.GET)
    body = csv_rows(filters, request.user)
    # The first step reads the labels, in the reader's language, before the response streams.
    header = next(body)
    writer = csv.writer(_Line())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # the byte-order mark: Excel then reads the file as UTF-8
        yield writer.writerow([neutralise(cell) for cell in header])
        for row in body:
            yield writer.writerow([neutralise(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="dsar-queue-{stamp}.csv"'
    # Names and e-mail addresses of subjects: kept by no shared cache.
    response["Cache-Control"] = "no-store"
    return response
