"""The queue's rows, written as HTML here rather than by the template engine.

A page of the queue holds up to 200 requests. Through ``{% for %}`` each row
cost about thirty variable look-ups, two date filters, a translation per cell
and an escape per value: at 200 rows, most of the page's time (bench_queue),
and the same whatever the number of requests. Here what is the same for every
row is prepared once per page: the labels, translated and escaped; the
request page's URL prefix; the text of each number of days left; each date's
format; each assignee's name. A row is then one ``str.format`` of its own
values, each escaped once (the standard library's ``html.escape``, which
Django's ``escape`` wraps; labels are made text before, never escaped lazily).

The markup is the one ``templates/workspace/queue.html`` had (the phone
layout reads ``data-label``, the live progress ``data-progress-ref``); the
rest of the page stays in that template.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from html import escape

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from requests_app import deadlines
from requests_app.models import OPEN_STATUSES, Channel, Forwarding, RequestType, Status
from requests_app.workspace import selectors

DUE_SOON_DAYS = 7


def deadline_info(days: int, *, is_open: bool) -> dict:
    """How a "days left" figure (from deadlines.days_left) is shown: on the
    queue's rows and on the request page."""
    if not is_open:
        state = "closed"
    elif days < 0:
        state = "late"
    elif days == 0:
        state = "today"
    elif days <= DUE_SOON_DAYS:
        state = "soon"
    else:
        state = "ok"
    if state == "closed":
        text = "—"
    elif state == "late":
        text = ngettext("%(n)d day late", "%(n)d days late", -days) % {"n": -days}
    elif state == "today":
        text = _("due today")
    else:
        text = ngettext("%(n)d day left", "%(n)d days left", days) % {"n": days}
    return {"days": days, "late": -days, "state": state, "text": text}


def _braces(text: str) -> str:
    """A label put into the row's format string: its braces are text."""
    return text.replace("{", "{{").replace("}", "}}")


@dataclass(frozen=True)
class _Markup:
    """What every row of every page shares, in one language."""

    format: str
    url_prefix: str
    tick: str
    held_flag: str
    provider_flag: str
    extended: str
    nobody: str
    stale_flag: str
    type_labels: dict[str, str]
    status_labels: dict[str, str]
    channel_labels: dict[str, str]


@lru_cache(maxsize=32)
def _markup(language: str | None, url_prefix: str) -> _Markup:
    """The rows' markup in ``language`` (the active one, which renders it),
    made once per process and language; ``url_prefix`` starts the URL of a
    request's page."""
    from requests_app.workspace.queue import COLUMNS

    # Each cell repeats its column's header in data-label: the phone layout shows it beside the value.
    labels = [_braces(escape(str(label))) for _key, label, _css in COLUMNS]
    # Translations written in the template were not escaped there (a literal
    # of the template is safe): the same here, so that the stale flag's
    # "&gt;" stays one character.
    flag = '<span class="flag">{}</span>'
    return _Markup(
        format=(
            '<tr class="row-{legal_state}">{pick}'
            '<td class="ref"><a href="{url}">{ref}</a></td>'
            f'<td class="who" data-label="{labels[1]}">{{name}}<div class="muted small">{{email}}</div></td>'
            f'<td data-label="{labels[2]}">{{type}}</td>'
            f'<td data-label="{labels[3]}" data-progress-ref="{{ref}}" data-status="{{status}}">'
            '<span class="status status-{status}">{status_label}</span>{flags}</td>'
            f'<td class="num" data-label="{labels[4]}">{{legal}}<div class="muted small">{{due}}{{extended}}</div></td>'
            f'<td class="num" data-label="{labels[5]}">{{internal}}<div class="muted small">{{target}}</div></td>'
            f'<td data-label="{labels[6]}">{{assignee}}</td>'
            f'<td data-label="{labels[7]}">{{channel}}</td>'
            f'<td data-label="{labels[8]}">{{language}}</td>'
            "</tr>"
        ),
        url_prefix=escape(url_prefix),
        tick=_("Tick %(ref)s"),
        held_flag=" " + flag.format(_("retention hold")),
        provider_flag=" " + flag.format(_("provider's deadline passed")),
        extended=" · " + _("extended"),
        nobody='<span class="muted">{}</span>'.format(_("nobody")),
        stale_flag=' <span class="flag" title="{}">{}</span>'.format(
            _("Unassigned for more than one working day"), _("unassigned &gt; 1 working day")
        ),
        type_labels={value: escape(str(label)) for value, label in RequestType.choices},
        status_labels={value: escape(str(label)) for value, label in Status.choices},
        channel_labels={value: escape(str(label)) for value, label in Channel.choices},
    )


class QueueRows:
    """Writes the rows of one page of the queue, in the reader's language.
    ``can_bulk`` adds the box to tick each row (not for auditors)."""

    def __init__(self, *, can_bulk: bool, today: dt.date | None = None):
        self.today = today or deadlines.today()
        self.markup = _markup(get_language(), reverse("workspace:request", args=["REF"])[: -len("REF/")])
        self.can_bulk = can_bulk
        # Filled as rows ask: a page holds few distinct days, dates and people.
        self._days: dict[tuple[int, bool], tuple[str, str]] = {}
        self._dates: dict[dt.date, str] = {}
        self._names: dict[int | None, str] = {}
        self._stale: dict[dt.date, bool] = {}

    def days(self, deadline: dt.date, *, is_open: bool) -> tuple[str, str]:
        """The state of a deadline (the row's colour) and its "days left" cell."""
        key = ((deadline - self.today).days, is_open)
        if key not in self._days:
            info = deadline_info(key[0], is_open=is_open)
            self._days[key] = (info["state"], f'<span class="days {info["state"]}">{escape(info["text"])}</span>')
        return self._days[key]

    def date(self, day: dt.date) -> str:
        if day not in self._dates:
            self._dates[day] = escape(date_format(day, "MONTH_DAY_FORMAT"))
        return self._dates[day]

    def assignee_name(self, row) -> str:
        """The assignee's name as the queue shows it ("" when nobody), once per person."""
        if row.assignee_id not in self._names:
            self._names[row.assignee_id] = selectors.assignee_name(row)
        return self._names[row.assignee_id]

    def assignee(self, row) -> str:
        """The assignee cell: the name, or "nobody" and the flag of a request nobody took for a working day."""
        if row.assignee_id is None:
            return self.markup.nobody + (self.markup.stale_flag if self.is_stale(row) else "")
        return escape(self.assignee_name(row))

    def is_stale(self, subject_request) -> bool:
        """``reminders.is_stale_unassigned`` for an unassigned request, once per day of receipt."""
        if subject_request.status not in OPEN_STATUSES:
            return False
        received = deadlines.local_date(subject_request.received_at)
        if received not in self._stale:
            self._stale[received] = self.today > deadlines.next_working_day(received + dt.timedelta(days=1))
        return self._stale[received]

    def row(self, subject_request, *, provider_overdue: bool = False) -> str:
        """One request's row; ``subject_request`` is a row of ``selectors.queue``."""
        is_open = subject_request.status in OPEN_STATUSES
        legal_state, legal = self.days(subject_request.due_date, is_open=is_open)
        _internal_state, internal = self.days(subject_request.internal_target_date, is_open=is_open)
        ref = escape(subject_request.reference)
        status = subject_request.status
        flags = self.markup.held_flag if subject_request.held else ""
        if provider_overdue:
            flags += self.markup.provider_flag
        pick = ""
        if self.can_bulk:
            label = self.markup.tick % {"ref": ref}
            pick = f'<td class="pick"><input type="checkbox" name="reference" value="{ref}" form="bulk" aria-label="{label}"></td>'
        return self.markup.format.format(
            legal_state=legal_state,
            pick=pick,
            url=f"{self.markup.url_prefix}{ref}/",
            ref=ref,
            name=escape(subject_request.full_name),
            email=escape(subject_request.email),
            type=self.markup.type_labels.get(subject_request.request_type) or escape(subject_request.request_type),
            status=escape(status),
            status_label=self.markup.status_labels.get(status) or escape(status),
            flags=flags,
            legal=legal,
            due=self.date(subject_request.due_date),
            extended=self.markup.extended if subject_request.extended_at else "",
            internal=internal,
            target=self.date(subject_request.internal_target_date),
            assignee=self.assignee(subject_request),
            channel=self.markup.channel_labels.get(subject_request.channel) or escape(subject_request.channel),
            language=escape(subject_request.language.upper()),
        )

    def page(self, requests: list) -> tuple[list[dict], SafeString]:
        """The rows of a page (of ``selectors.queue``): each with the assignee's name as shown, and their markup."""
        # Patient requests forwarded and not acknowledged past the provider's
        # 15 days (Patient Rights Act): one query for the page's forwarded rows.
        forwarded = [r.pk for r in requests if r.status == Status.FORWARDED]
        provider_overdue: set[int] = set()
        if forwarded:
            provider_overdue = set(
                Forwarding.objects.filter(
                    request_id__in=forwarded, acknowledged_at__isnull=True, due_date__lt=self.today
                ).values_list("request_id", flat=True)
            )
        rows, html = [], []
        for subject_request in requests:
            html.append(self.row(subject_request, provider_overdue=subject_request.pk in provider_overdue))
            rows.append({"request": subject_request, "assignee": self.assignee_name(subject_request)})
        return rows, mark_safe("\n".join(html))  # noqa: S308 - every value above is escaped
