"""Deadlines of Art. 12(3), computed as Regulation (EEC, Euratom) 1182/71 says.

- A period in months ends on the same date in the last month as the day of
  receipt; where that date does not exist, on the last day of that month
  (Art. 3(2)(c)).
- A period ending on a Saturday, Sunday or public holiday ends at the end of
  the next working day (Art. 3(4)).
- Extension (Art. 12(3)): by up to two further months, counted from receipt.

Every "days left" figure in the product comes from ``days_left``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import timezone

MAX_EXTENSION_MONTHS = 2


def local_date(moment: dt.datetime) -> dt.date:
    """The calendar day of ``moment`` in the controller's time zone."""
    return timezone.localtime(moment).date()


def today() -> dt.date:
    return timezone.localdate()


@lru_cache(maxsize=64)
def _holidays_for(country: str, subdivision: str | None, year: int):
    return holidays.country_holidays(country, subdiv=subdivision, years=[year])


def is_working_day(day: dt.date) -> bool:
    if day.weekday() >= 5:
        return False
    return day not in _holidays_for(settings.DSAR_HOLIDAY_COUNTRY, settings.DSAR_HOLIDAY_SUBDIVISION, day.year)


def next_working_day(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end``."""
    days, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        days += is_working_day(day)
    return days


def add_months(day: dt.date, months: int) -> dt.date:
    """Same date ``months`` later, or the last day of that month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def legal_deadline(received: dt.date, months: int = 1) -> dt.date:
    """The last day to answer a request received on ``received``."""
    return next_working_day(add_months(received, months))


def extended_deadline(received: dt.date, extra_months: int) -> dt.date:
    if not 1 <= extra_months <= MAX_EXTENSION_MONTHS:
        raise ValueError("An extension is one or two months (Art. 12(3)).")
    return legal_deadline(received, months=1 + extra_months)


def paused_days(pauses: Iterable, *, until: dt.date | None = None) -> int:
    """Whole calendar days spent waiting for the subject (open pauses count to ``until``)."""
    until = until or today()
    total = 0
    for pause in pauses:
        start = local_date(pause.started_at)
        end = local_date(pause.ended_at) if pause.ended_at else until
        total += max((end - start).days, 0)
    return total


def internal_target(received: dt.date, due: dt.date, *, paused: int = 0) -> dt.date:
    """The internal target (default 28 days), never after the legal deadline.

    Pauses move it only when ``DSAR_PAUSE_MOVES_INTERNAL_TARGET`` is on. It is
    a date for the desk's own work, so one falling on a weekend or public
    holiday comes back to the working day before (not after: the target is
    the margin kept before the legal deadline, which Art. 3(4) of Regulation
    1182/71 already moves forward). Never before the day of receipt.
    """
    target = received + dt.timedelta(days=settings.DSAR_INTERNAL_TARGET_DAYS)
    if settings.DSAR_PAUSE_MOVES_INTERNAL_TARGET:
        target += dt.timedelta(days=paused)
    target = min(target, due)
    while not is_working_day(target) and target > received:
        target -= dt.timedelta(days=1)
    return target


def days_left(deadline: dt.date, *, on: dt.date | None = None) -> int:
    """Calendar days from today (controller's time zone) to the deadline.

    0 means due today; negative means overdue by that many days.
    """
    return (deadline - (on or today())).days


def add_working_days(day: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``day``."""
    while days > 0:
        day += dt.timedelta(days=1)
        days -= is_working_day(day)
    return day


def patient_rights_deadline(received: dt.date) -> dt.date:
    """The care provider's deadline for a patient's request (Patient Rights Act
    of 22 August 2002, art. 9 §2: "at the latest within 15 days of its
    receipt"), counted from our day of receipt, the day itself excluded, and
    ending on a working day as Regulation 1182/71 (Art. 3(4)) ends the GDPR's."""
    return next_working_day(received + dt.timedelta(days=settings.DSAR_PATIENT_RIGHTS_DAYS))
