"""A label in the DPO's language beside each machine-readable key of the dashboard's CSV.

The ``section`` and ``key`` columns stay codes, so a spreadsheet built on them
keeps working in every language (``figures.write_csv_rows``); the ``label``
column says the same in words for the person reading the file for the annual
accountability report (Art. 5(2)). A part of a key nobody labelled (an
assignee's name) is written as it is.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from requests_app.models import Channel, RejectionReason, RequestType, Status

SECTIONS = {
    "open_by_status": gettext_lazy("Open requests by status"),
    "open_by_type": gettext_lazy("Open requests by right"),
    "open_by_channel": gettext_lazy("Open requests by channel"),
    "inbox": gettext_lazy("Privacy mailbox"),
    "deadlines": gettext_lazy("Deadlines"),
    "days_to_close_12_months": gettext_lazy("Days to close, last 12 months"),
    "forwarding": gettext_lazy("Forwarded requests"),
    "retention": gettext_lazy("Retention"),
    "deferred_erasures": gettext_lazy("Deferred erasures"),
    "received_per_month": gettext_lazy("Requests received per month"),
    "on_time_by_answer_month": gettext_lazy("Answered on time, per month of the answer"),
    "open_by_days_open": gettext_lazy("Open requests by days since receipt"),
    "open_by_days_left": gettext_lazy("Open requests by days left"),
    "days_in_status_12_months": gettext_lazy("Days in each status, last 12 months"),
    "workload": gettext_lazy("Workload per person"),
    "outcomes_12_months": gettext_lazy("Outcomes, last 12 months"),
    "received_per_type": gettext_lazy("Requests received per right"),
    "received_per_channel": gettext_lazy("Requests received per channel"),
}

WORDS = {
    "to_triage": gettext_lazy("to triage"),
    "open_total": gettext_lazy("open"),
    "open": gettext_lazy("open"),
    "due_this_week": gettext_lazy("due this week"),
    "overdue": gettext_lazy("overdue"),
    "unassigned": gettext_lazy("nobody assigned"),
    "closed": gettext_lazy("requests closed"),
    "median": gettext_lazy("median, days"),
    "p90": gettext_lazy("90th percentile, days"),
    "stays": gettext_lazy("times in this status"),
    "not_acknowledged": gettext_lazy("not acknowledged yet"),
    "held": gettext_lazy("under a retention hold"),
    "pending": gettext_lazy("waiting"),
    "next_due": gettext_lazy("next one due"),
    "on_time": gettext_lazy("on time"),
    "late": gettext_lazy("late"),
    "rate": gettext_lazy("share on time, %"),
    "more": gettext_lazy("more"),
    "fulfilled": gettext_lazy("answered"),
    "refused": gettext_lazy("refused"),
    "closed_with_reason": gettext_lazy("closed before an answer, with the reason"),
    "withdrawn": gettext_lazy("withdrawn by the subject"),
    "forwarded": gettext_lazy("forwarded to the controller"),
    "expired": gettext_lazy("e-mail address never confirmed"),
    "unverified": gettext_lazy("e-mail address not confirmed yet"),
    "other": gettext_lazy("other reason"),
}

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_UP_TO = re.compile(r"^up_to_(\d+)$")


def _part(part: str) -> str:
    if match := _MONTH.match(part):
        return formats.date_format(dt.date(int(match[1]), int(match[2]), 1), "YEAR_MONTH_FORMAT")
    if match := _UP_TO.match(part):
        return _("up to %(n)s days") % {"n": match[1]}
    if part in WORDS:
        return str(WORDS[part])
    for choices in (Status.choices, RequestType.choices, Channel.choices, RejectionReason.choices):
        found = dict(choices).get(part)
        if found:
            return str(found)
    return part


def label(section: str, key: str) -> str:
    """``open_by_status``, ``new`` → "Open requests by status: New"."""
    return f"{SECTIONS.get(section, section)}: {' · '.join(_part(part) for part in str(key).split(':'))}"


class LabelledWriter:
    """A csv writer of ``section, key, value`` rows that adds the label as a fourth column."""

    HEADER = ["section", "key", "value", "label"]

    def __init__(self, writer) -> None:
        self.writer = writer

    def writerow(self, row) -> None:
        section, key, value = row
        self.writer.writerow([section, key, value, label(section, key)])
