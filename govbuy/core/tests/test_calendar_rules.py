"""The pure working-day rules, on the shipped 2025/2026 data (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govbuy.core.calendar import data as calendar_data
from govbuy.core.calendar.rules import (
    SHANGHAI,
    WEEKENDS_ONLY,
    TimeLimit,
    WorkingCalendar,
    YearStatus,
    add_calendar_days,
    end_of_day,
    local_date,
)


def shipped() -> WorkingCalendar:
    years = calendar_data.all_bundled()
    return WorkingCalendar.from_days(
        ((d.date, d.kind) for y in years for d in y.days), {y.year: y.status for y in years}
    )


CAL = shipped()


def d(text: str) -> date:
    return date.fromisoformat(text)


# --- the data agrees with the State Council notices as chinesecalendar carries them -------------


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_day_of_the_official_years_matches_chinesecalendar(year):
    day = date(year, 1, 1)
    mismatches = []
    while day.year == year:
        if CAL.is_working_day(day) != chinese_calendar.is_workday(day):
            mismatches.append(day)
        day += timedelta(days=1)
    assert mismatches == []


def test_shipped_year_statuses():
    assert CAL.year_status(2025) == YearStatus.OFFICIAL
    assert CAL.year_status(2026) == YearStatus.OFFICIAL
    assert CAL.year_status(2027) == YearStatus.PROVISIONAL
    assert CAL.year_status(2028) == YearStatus.MISSING


# --- Spring Festival 2026: 02-15..02-23 rest, Saturdays 02-14 and 02-28 worked ------------------


def test_spring_festival_2026_days():
    assert all(not CAL.is_working_day(date(2026, 2, n)) for n in range(15, 24))
    assert CAL.is_working_day(d("2026-02-14"))  # Saturday, make-up working day
    assert CAL.is_working_day(d("2026-02-28"))  # Saturday, make-up working day
    assert not CAL.is_working_day(d("2026-02-07"))  # an ordinary Saturday
    assert CAL.day_kind(d("2026-02-14")) == "workday"
    assert CAL.day_kind(d("2026-02-17")) == "holiday"


def test_add_working_days_across_spring_festival_2026():
    friday = d("2026-02-13")
    assert CAL.add_working_days(friday, 1) == d("2026-02-14")  # the make-up Saturday counts
    assert CAL.add_working_days(friday, 2) == d("2026-02-24")  # the nine rest days are skipped
    assert CAL.add_working_days(friday, 5) == d("2026-02-27")
    assert CAL.add_working_days(friday, 6) == d("2026-02-28")  # Saturday worked
    assert CAL.add_working_days(friday, 7) == d("2026-03-02")
    # Started inside the break: the first working day is the Tuesday after it.
    assert CAL.add_working_days(d("2026-02-17"), 1) == d("2026-02-24")
    assert CAL.working_days_between(friday, d("2026-02-28")) == 6


def test_weekends_only_would_get_spring_festival_2026_wrong():
    """The same count without the holiday table: the reason the table exists."""
    assert WEEKENDS_ONLY.add_working_days(d("2026-02-13"), 5) == d("2026-02-20")
    assert CAL.add_working_days(d("2026-02-13"), 5) == d("2026-02-27")


# --- National Day 2025: 10-01..10-08 rest, Sunday 09-28 and Saturday 10-11 worked ---------------


def test_national_day_2025():
    assert all(not CAL.is_working_day(date(2025, 10, n)) for n in range(1, 9))
    assert d("2025-09-28").weekday() == 6
    assert CAL.is_working_day(d("2025-09-28"))
    assert d("2025-10-11").weekday() == 5
    assert CAL.is_working_day(d("2025-10-11"))
    # Five working days from Friday 09-26: Sun 28, Mon 29, Tue 30, Thu 09 (after the break), Fri 10.
    assert CAL.add_working_days(d("2025-09-26"), 5) == d("2025-10-10")
    assert CAL.add_working_days(d("2025-09-26"), 6) == d("2025-10-11")
    assert CAL.add_working_days(d("2025-09-30"), 1) == d("2025-10-09")


def test_national_day_2026():
    assert all(not CAL.is_working_day(date(2026, 10, n)) for n in range(1, 8))
    assert CAL.is_working_day(d("2026-10-08"))
    assert CAL.is_working_day(d("2026-09-20"))  # Sunday worked
    assert CAL.is_working_day(d("2026-10-10"))  # Saturday worked
    assert CAL.add_working_days(d("2026-09-30"), 3) == d("2026-10-10")
    assert CAL.add_working_days(d("2026-09-30"), 5) == d("2026-10-13")


# --- counting rules --------------------------------------------------------------------------


def test_start_day_is_never_counted():
    monday = d("2026-03-02")
    assert CAL.add_working_days(monday, 1) == d("2026-03-03")
    saturday = d("2026-03-07")
    assert CAL.add_working_days(saturday, 1) == d("2026-03-09")


def test_zero_returns_the_start_unchanged_even_on_a_rest_day():
    assert CAL.add_working_days(d("2026-02-17"), 0) == d("2026-02-17")
    assert CAL.next_working_day(d("2026-02-17"), include_start=True) == d("2026-02-24")
    assert CAL.next_working_day(d("2026-02-24"), include_start=True) == d("2026-02-24")


def test_negative_counts_backwards():
    assert CAL.add_working_days(d("2026-02-24"), -1) == d("2026-02-14")  # back over the break
    assert CAL.add_working_days(d("2026-02-24"), -2) == d("2026-02-13")
    assert CAL.add_working_days(d("2026-03-08"), -1) == d("2026-03-06")  # Sunday → Friday
    assert CAL.working_days_between(d("2026-02-24"), d("2026-02-13")) == -2
    assert CAL.previous_working_day(d("2026-02-24")) == d("2026-02-14")


def test_a_moment_counts_from_its_shanghai_date():
    # 2026-02-13 16:30 UTC is already Saturday 02-14 00:30 in Beijing.
    moment = datetime(2026, 2, 13, 16, 30, tzinfo=UTC)
    assert local_date(moment) == d("2026-02-14")
    assert CAL.add_working_days(moment, 1) == d("2026-02-24")
    with pytest.raises(ValueError):
        local_date(datetime(2026, 2, 13, 16, 30))


def test_a_day_cannot_be_both_kinds():
    with pytest.raises(ValueError):
        WorkingCalendar(holidays=frozenset({d("2026-02-14")}), workdays=frozenset({d("2026-02-14")}))
    with pytest.raises(ValueError):
        WorkingCalendar.from_days([(d("2026-02-14"), "rest")])


# --- calendar days in Asia/Shanghai (no daylight saving) --------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2026-01-31", 1, "2026-02-01"),
        ("2026-02-28", 1, "2026-03-01"),
        ("2028-02-28", 1, "2028-02-29"),
        ("2026-12-31", 1, "2027-01-01"),
        ("2026-03-31", 30, "2026-04-30"),
        ("2026-03-01", -1, "2026-02-28"),
    ],
)
def test_calendar_days_across_month_ends(start, n, expected):
    assert add_calendar_days(d(start), n) == d(expected)


def test_calendar_days_from_a_utc_moment_use_the_beijing_date():
    # 2026-01-31 16:30 UTC = 2026-02-01 00:30 Beijing: a UTC date would be one day early.
    moment = datetime(2026, 1, 31, 16, 30, tzinfo=UTC)
    assert add_calendar_days(moment, 20) == d("2026-02-21")
    assert add_calendar_days(datetime(2026, 1, 31, 15, 59, tzinfo=UTC), 20) == d("2026-02-20")


def test_end_of_day_is_aware_and_always_utc_plus_8():
    for day in (d("2026-01-15"), d("2026-07-15")):  # winter and summer: no daylight saving
        moment = end_of_day(day)
        assert moment.utcoffset() == timedelta(hours=8)
        assert moment.astimezone(UTC) == datetime(day.year, day.month, day.day, 15, 59, 59, 999999, tzinfo=UTC)


# --- deadlines: "20 days" versus "5 working days" ----------------------------------------------


def test_tender_period_in_calendar_days_versus_working_days_over_spring_festival():
    notice = datetime(2026, 2, 10, 2, 0, tzinfo=UTC)  # 10:00 Beijing, Tuesday
    twenty_days = CAL.deadline_at(notice, TimeLimit.days(20))
    five_working = CAL.deadline_at(notice, TimeLimit.working_days(5))
    assert twenty_days == datetime(2026, 3, 2, 23, 59, 59, 999999, tzinfo=SHANGHAI)
    # 11, 12, 13, 14 (make-up Saturday), then 24 after the nine rest days.
    assert five_working == datetime(2026, 2, 24, 23, 59, 59, 999999, tzinfo=SHANGHAI)
    assert five_working.tzinfo is not None


def test_a_calendar_day_period_may_end_on_a_holiday_unless_extended():
    start = d("2026-09-20")
    assert CAL.last_day(start, TimeLimit.days(12)) == d("2026-10-02")
    assert CAL.last_day(start, TimeLimit.days(12), extend_past_rest_days=True) == d("2026-10-08")
    assert CAL.last_day(start, TimeLimit.days(11), extend_past_rest_days=True) == d("2026-10-08")
    assert CAL.last_day(start, TimeLimit.days(9), extend_past_rest_days=True) == d("2026-09-29")


def test_on_time_means_not_after_the_deadline():
    deadline = CAL.deadline_at(d("2026-02-13"), TimeLimit.working_days(1))
    assert datetime(2026, 2, 14, 23, 59, 59, tzinfo=SHANGHAI) <= deadline
    assert datetime(2026, 2, 15, 0, 0, 0, tzinfo=SHANGHAI) > deadline


# --- a year without data: weekends only, and flagged -----------------------------------------


def test_year_without_data_counts_weekends_only_and_is_flagged():
    # 2028 has no data: New Year's Day (a Saturday) changes nothing, and Spring Festival 2028
    # (26 January) is counted as ordinary working days.
    assert CAL.year_status(2028) == YearStatus.MISSING
    assert CAL.add_working_days(d("2028-01-24"), 3) == d("2028-01-27")
    assert CAL.uncertain_years(d("2028-01-24"), d("2028-01-27")) == (2028,)
    assert CAL.uncertain_years(d("2026-12-20"), d("2027-01-10")) == (2027,)
    assert CAL.uncertain_years(d("2026-03-01"), d("2026-04-01")) == ()
    assert CAL.uncertain_years(d("2029-01-01"), d("2028-01-01")) == (2028, 2029)


def test_provisional_2027_has_the_statutory_days_only():
    assert not CAL.is_working_day(d("2027-02-05"))  # New Year's Eve
    assert not CAL.is_working_day(d("2027-02-08"))  # Monday, third day of the first month
    assert CAL.is_working_day(d("2027-02-09"))  # the State Council will probably extend this
    assert not any(day.year == 2027 for day in CAL.workdays)


# --- properties --------------------------------------------------------------------------------

DATES = st.dates(min_value=date(2024, 6, 1), max_value=date(2028, 6, 30))
COUNTS = st.integers(min_value=-60, max_value=60)


@settings(max_examples=300, deadline=None)
@given(start=DATES, n=COUNTS)
def test_add_working_days_lands_on_a_working_day_and_inverts(start, n):
    end = CAL.add_working_days(start, n)
    if n != 0:
        assert CAL.is_working_day(end)
    assert CAL.working_days_between(start, end) == n
    assert (end > start) == (n > 0)
    assert (end < start) == (n < 0)


@settings(max_examples=300, deadline=None)
@given(start=DATES, n=COUNTS, m=COUNTS)
def test_add_working_days_is_monotone(start, n, m):
    low, high = sorted((n, m))
    if low < high:
        assert CAL.add_working_days(start, low) < CAL.add_working_days(start, high)
    else:
        assert CAL.add_working_days(start, low) == CAL.add_working_days(start, high)


@settings(max_examples=200, deadline=None)
@given(first=DATES, second=DATES, n=st.integers(min_value=0, max_value=40))
def test_a_later_start_never_gives_an_earlier_result(first, second, n):
    early, late = sorted((first, second))
    assert CAL.add_working_days(early, n) <= CAL.add_working_days(late, n)


@settings(max_examples=200, deadline=None)
@given(start=DATES, n=st.integers(min_value=1, max_value=40), m=st.integers(min_value=1, max_value=40))
def test_working_days_compose(start, n, m):
    assert CAL.add_working_days(CAL.add_working_days(start, n), m) == CAL.add_working_days(start, n + m)
