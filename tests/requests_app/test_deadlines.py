import datetime as dt

import pytest
import time_machine

from requests_app import deadlines

D = dt.date


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (D(2027, 3, 5), D(2027, 4, 5)),  # plain case of Reg. 1182/71: same date next month (Monday)
        (D(2027, 1, 31), D(2027, 3, 1)),  # 28 Feb 2027 is a Sunday: next working day
        (D(2028, 1, 31), D(2028, 2, 29)),  # leap year: 29 February (a Tuesday)
        (D(2026, 1, 31), D(2026, 3, 2)),  # 28 Feb 2026 is a Saturday -> Monday 2 March
        (D(2026, 8, 31), D(2026, 9, 30)),  # 31 September does not exist -> 30 September
        (D(2026, 3, 21), D(2026, 4, 21)),  # ordinary Tuesday
    ],
)
def test_it_computes_the_legal_deadline_as_regulation_1182_71_says(received, due):
    assert deadlines.legal_deadline(received) == due


def test_it_moves_a_deadline_on_a_weekend_to_monday():
    # Received Thursday 10 Sept 2026 -> 10 Oct 2026 is a Saturday -> Monday 12 Oct.
    assert deadlines.legal_deadline(D(2026, 9, 10)) == D(2026, 10, 12)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (D(2026, 6, 21), D(2026, 7, 22)),  # 21 July is Belgian National Day (a Tuesday)
        (D(2026, 10, 11), D(2026, 11, 12)),  # 11 Nov Armistice Day (Wednesday)
        (D(2026, 11, 25), D(2026, 12, 28)),  # 25 Dec Christmas (Fri) -> Sat, Sun -> Mon 28
        (D(2026, 4, 6), D(2026, 5, 6)),  # ordinary day after Easter Monday
        (D(2026, 3, 6), D(2026, 4, 7)),  # 6 April 2026 is Easter Monday
    ],
)
def test_it_skips_belgian_public_holidays(received, due):
    assert deadlines.legal_deadline(received) == due


def test_the_holiday_country_is_a_setting(settings):
    deadlines._holidays_for.cache_clear()
    settings.DSAR_HOLIDAY_COUNTRY = "FR"
    # 14 July is a French holiday, not a Belgian one.
    assert deadlines.legal_deadline(D(2026, 6, 14)) == D(2026, 7, 15)
    settings.DSAR_HOLIDAY_COUNTRY = "BE"
    assert deadlines.legal_deadline(D(2026, 6, 14)) == D(2026, 7, 14)


def test_an_extension_counts_three_months_from_receipt_with_the_same_rules():
    assert deadlines.extended_deadline(D(2026, 11, 30), 2) == D(2027, 3, 1)  # 28 Feb 2027 is a Sunday
    assert deadlines.extended_deadline(D(2027, 10, 31), 1) == D(2027, 12, 31)
    with pytest.raises(ValueError):
        deadlines.extended_deadline(D(2026, 1, 1), 3)


def test_the_internal_target_never_passes_the_legal_deadline(settings):
    settings.DSAR_INTERNAL_TARGET_DAYS = 28
    assert deadlines.internal_target(D(2026, 2, 2), D(2026, 3, 2)) == D(2026, 3, 2)
    assert deadlines.internal_target(D(2026, 2, 2), D(2026, 3, 2), paused=10) == D(2026, 3, 2)
    settings.DSAR_PAUSE_MOVES_INTERNAL_TARGET = False
    assert deadlines.internal_target(D(2026, 2, 3), D(2026, 3, 3), paused=10) == D(2026, 3, 3)


def test_the_internal_target_falls_on_a_working_day_before_a_weekend_or_holiday(settings):
    settings.DSAR_INTERNAL_TARGET_DAYS = 28
    # Received 6 Dec 2026: 28 days later is Sunday 3 Jan 2027; Friday 1 Jan is New Year's Day.
    assert deadlines.internal_target(D(2026, 12, 6), D(2027, 1, 6)) == D(2026, 12, 31)
    # 1 March 2026 is a Sunday: back to Friday 27 February.
    assert deadlines.internal_target(D(2026, 2, 1), D(2026, 3, 2)) == D(2026, 2, 27)


def test_days_left_uses_the_controllers_time_zone():
    # 23:30 UTC on 1 March is already 2 March in Brussels.
    with time_machine.travel(dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC), tick=False):
        assert deadlines.today() == D(2026, 3, 2)
        assert deadlines.days_left(D(2026, 3, 5)) == 3
        assert deadlines.days_left(D(2026, 3, 1)) == -1


def test_receipt_late_in_the_evening_counts_in_brussels():
    moment = dt.datetime(2026, 1, 30, 23, 30, tzinfo=dt.UTC)  # 31 January 00:30 in Brussels
    assert deadlines.legal_deadline(deadlines.local_date(moment)) == D(2026, 3, 2)
