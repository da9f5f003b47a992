"""The working-day calendar: statutory time limits in calendar days and in working days.

Every statutory limit in govbuy is computed here, so that the screens, the API calculator and the
services that enforce deadlines count the same way.

The rules (pure, no queries) live on `WorkingCalendar`, an immutable value holding the exceptions
to the Monday–Friday week: public holidays (rest days, including the weekend days the State
Council folds into a break) and make-up working days (調休, usually a Saturday or Sunday). Tests
build one by hand; production code gets the one loaded from the holiday table with
`get_calendar()`, cached per process and reloaded when the table changes.

Counting conventions (the same as the PRC Civil Code, Art. 201: the day an event happens is not
counted, and a period ends at the end of its last day):

* `add_working_days(start, n)` for n > 0 is the n-th working day *after* `start`; `start` itself is
  never counted, whether or not it is a working day. n = 0 returns `start` unchanged (use
  `next_working_day` to roll a date forward). n < 0 is the |n|-th working day *before* `start`, so
  the result is strictly increasing in n.
* `working_days_between(start, end)` is the inverse: for every n,
  `working_days_between(s, add_working_days(s, n)) == n`.
* `add_calendar_days(start, n)` is plain date arithmetic; a moment is first turned into its date
  in Asia/Shanghai (`local_date`), because a UTC date is wrong for eight hours of every day.
* `deadline_at(start, limit)` is the last instant of the period's last day in Asia/Shanghai
  (23:59:59.999999+08:00): an act at a moment `m` is on time when `m <= deadline`.

A year with no row in the holiday table is counted with weekends only, and a year whose row is
provisional has the statutory holidays but not the make-up days; `uncertain_years()` names those
years so every screen that shows a deadline can warn about it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from enum import StrEnum
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction

SHANGHAI = ZoneInfo("Asia/Shanghai")
ONE_DAY = timedelta(days=1)


class YearStatus(StrEnum):
    """How well the holiday table knows a year (the values match CalendarYear.Status)."""

    OFFICIAL = "official"
    PROVISIONAL = "provisional"
    MISSING = "missing"


class Unit(StrEnum):
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"


@dataclass(frozen=True)
class TimeLimit:
    """A statutory period: "20 days" is TimeLimit(20, Unit.CALENDAR_DAYS), "5 working days"
    is TimeLimit(5, Unit.WORKING_DAYS). The rules of each procedure hold these as data."""

    amount: int
    unit: Unit

    @classmethod
    def days(cls, amount: int) -> TimeLimit:
        return cls(amount, Unit.CALENDAR_DAYS)

    @classmethod
    def working_days(cls, amount: int) -> TimeLimit:
        return cls(amount, Unit.WORKING_DAYS)


def local_date(moment: date | datetime) -> date:
    """The date in Asia/Shanghai of an aware moment (a plain date passes through).

    A naive datetime is refused: guessing its zone is how a deadline slips by eight hours."""
    if isinstance(moment, datetime):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("local_date() needs an aware datetime")
        return moment.astimezone(SHANGHAI).date()
    return moment


def add_calendar_days(start: date | datetime, n: int) -> date:
    """`start` (its Asia/Shanghai date) plus n calendar days; n may be negative."""
    return local_date(start) + timedelta(days=n)


def end_of_day(day: date) -> datetime:
    """The last instant of `day` in Asia/Shanghai, as an aware datetime."""
    return datetime.combine(day, dtime.max, tzinfo=SHANGHAI)


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, dtime.min, tzinfo=SHANGHAI)


@dataclass(frozen=True)
class WorkingCalendar:
    """The exceptions to the Monday–Friday week, and how well each year is known.

    holidays: rest days that would otherwise be working days (and the weekend days inside a
    break, which change nothing but keep the break visible as a whole).
    workdays: make-up working days (調休) that would otherwise be a weekend.
    years: year → YearStatus for the years the table covers; any other year is MISSING.
    """

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    years: Mapping[int, YearStatus] = field(default_factory=lambda: MappingProxyType({}), hash=False)

    def __post_init__(self) -> None:
        both = self.holidays & self.workdays
        if both:
            raise ValueError(f"a day cannot be both a holiday and a working day: {sorted(both)}")
        object.__setattr__(self, "years", MappingProxyType({int(y): YearStatus(s) for y, s in self.years.items()}))

    @classmethod
    def from_days(cls, days: Iterable[tuple[date, str]], years: Mapping[int, str] | None = None) -> WorkingCalendar:
        """Build from (date, kind) pairs where kind is "holiday" or "workday"."""
        holidays: set[date] = set()
        workdays: set[date] = set()
        for day, kind in days:
            if kind == "holiday":
                holidays.add(day)
            elif kind == "workday":
                workdays.add(day)
            else:
                raise ValueError(f"unknown calendar day kind {kind!r}")
        return cls(
            frozenset(holidays),
            frozenset(workdays),
            MappingProxyType({y: YearStatus(s) for y, s in (years or {}).items()}),
        )

    # --- single days ---------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def day_kind(self, day: date) -> str:
        """ "workday" (make-up working day), "holiday", "weekend" or "weekday"."""
        if day in self.workdays:
            return "workday"
        if day in self.holidays:
            return "holiday"
        return "weekend" if day.weekday() >= 5 else "weekday"

    def next_working_day(self, day: date, *, include_start: bool = False) -> date:
        """The first working day after `day` (or `day` itself when include_start and it works)."""
        current = day if include_start else day + ONE_DAY
        while not self.is_working_day(current):
            current += ONE_DAY
        return current

    def previous_working_day(self, day: date, *, include_start: bool = False) -> date:
        current = day if include_start else day - ONE_DAY
        while not self.is_working_day(current):
            current -= ONE_DAY
        return current

    # --- counting ------------------------------------------------------------------------

    def add_working_days(self, start: date | datetime, n: int) -> date:
        """The n-th working day after `start` (before it for n < 0); see the module docstring."""
        current = local_date(start)
        step = ONE_DAY if n > 0 else -ONE_DAY
        remaining = abs(n)
        while remaining:
            current += step
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: date | datetime, end: date | datetime) -> int:
        """Working days d with start < d <= end; negative (minus those with end <= d < start)
        when end is before start, so that it inverts add_working_days exactly."""
        first, last = local_date(start), local_date(end)
        if last >= first:
            return sum(1 for d in _days(first + ONE_DAY, last) if self.is_working_day(d))
        return -sum(1 for d in _days(last, first - ONE_DAY) if self.is_working_day(d))

    def last_day(self, start: date | datetime, limit: TimeLimit, *, extend_past_rest_days: bool = False) -> date:
        """The last day of a period of `limit` that begins the day after `start`.

        extend_past_rest_days applies Civil Code Art. 203 to calendar-day periods that a party
        must act within: when the last day is a rest day the period runs to the next working day.
        A working-day period always ends on a working day, so the flag changes nothing there."""
        if limit.unit == Unit.WORKING_DAYS:
            return self.add_working_days(start, limit.amount)
        day = add_calendar_days(start, limit.amount)
        if extend_past_rest_days and not self.is_working_day(day):
            day = self.next_working_day(day)
        return day

    def deadline_at(self, start: date | datetime, limit: TimeLimit, *, extend_past_rest_days: bool = False) -> datetime:
        """The last instant of the period: end of its last day in Asia/Shanghai."""
        return end_of_day(self.last_day(start, limit, extend_past_rest_days=extend_past_rest_days))

    # --- how sure we are -------------------------------------------------------------------

    def year_status(self, year: int) -> YearStatus:
        return self.years.get(year, YearStatus.MISSING)

    def uncertain_years(self, start: date | datetime, end: date | datetime) -> tuple[int, ...]:
        """Years touched by [start, end] whose holiday data is provisional or missing."""
        first, last = sorted((local_date(start), local_date(end)))
        return tuple(y for y in range(first.year, last.year + 1) if self.year_status(y) != YearStatus.OFFICIAL)


def _days(first: date, last: date) -> Iterable[date]:
    current = first
    while current <= last:
        yield current
        current += ONE_DAY


WEEKENDS_ONLY = WorkingCalendar()


# --- the calendar in the database, cached per process ----------------------------------------
#
# The table changes a few times a year, while deadlines are computed on most requests. Each
# process keeps the loaded calendar with a fingerprint of the table (row counts, version sum and
# latest change). A write through calendar_services drops this process's copy at once and again
# on commit; other processes notice through the fingerprint, which they check at most every
# GOVBUY_CALENDAR_RECHECK_SECONDS -- except inside a transaction, where the fingerprint is always
# checked (one small query): a service that enforces a deadline while it writes must see the
# table as it is in that transaction, and a rolled-back transaction (every test) must not leave
# its calendar behind. Code that computes many deadlines calls get_calendar() once and uses the
# returned WorkingCalendar's methods.


@dataclass
class _Cached:
    calendar: WorkingCalendar
    stamp: tuple[Any, ...]
    checked_at: float


_lock = threading.Lock()
_cache: _Cached | None = None
_clock = time.monotonic


def _recheck_seconds() -> float:
    return float(getattr(settings, "GOVBUY_CALENDAR_RECHECK_SECONDS", 30))


def _table_stamp() -> tuple[Any, ...]:
    """One cheap query whose answer changes whenever either table does (a delete lowers a
    count, an insert or update moves a max(updated_at), a service write bumps a version)."""
    from govbuy.core.models import CalendarDay, CalendarYear

    years, days = CalendarYear._meta.db_table, CalendarDay._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {years}), (SELECT SUM(version) FROM {years}),"  # noqa: S608  # nosec B608  # model table names
            f" (SELECT MAX(updated_at) FROM {years}), (SELECT COUNT(*) FROM {days}),"
            f" (SELECT MAX(updated_at) FROM {days})"
        )
        row = cursor.fetchone()
    return tuple(row)


def _load() -> WorkingCalendar:
    from govbuy.core.models import CalendarDay, CalendarYear

    days = CalendarDay.objects.order_by().values_list("date", "kind")
    years = dict(CalendarYear.objects.order_by().values_list("year", "status"))
    return WorkingCalendar.from_days(days, years)


def get_calendar() -> WorkingCalendar:
    """The calendar from the holiday table (cached per process; see above)."""
    global _cache
    now = _clock()
    cached = _cache
    in_transaction = connection.in_atomic_block
    if cached is not None and not in_transaction and now - cached.checked_at < _recheck_seconds():
        return cached.calendar
    stamp = _table_stamp()
    # What a transaction read may still roll back: a copy made inside one is kept for the next
    # caller to re-check, never trusted for the recheck interval.
    checked_at = float("-inf") if in_transaction else now
    if cached is not None and cached.stamp == stamp:
        with _lock:
            _cache = _Cached(cached.calendar, stamp, max(checked_at, cached.checked_at))
        return cached.calendar
    calendar = _load()
    with _lock:
        _cache = _Cached(calendar, stamp, checked_at)
    return calendar


def invalidate_cache() -> None:
    """Forget this process's copy now, and again when the current transaction commits (so a
    reader in another thread cannot keep the pre-commit table)."""
    global _cache
    with _lock:
        _cache = None
    transaction.on_commit(_forget)


def _forget() -> None:
    global _cache
    with _lock:
        _cache = None


# --- DB-backed shortcuts: the same rules on the table's calendar -----------------------------


def is_working_day(day: date, *, calendar: WorkingCalendar | None = None) -> bool:
    return (calendar or get_calendar()).is_working_day(day)


def add_working_days(start: date | datetime, n: int, *, calendar: WorkingCalendar | None = None) -> date:
    return (calendar or get_calendar()).add_working_days(start, n)


def working_days_between(
    start: date | datetime, end: date | datetime, *, calendar: WorkingCalendar | None = None
) -> int:
    return (calendar or get_calendar()).working_days_between(start, end)


def deadline_at(
    start: date | datetime,
    limit: TimeLimit,
    *,
    extend_past_rest_days: bool = False,
    calendar: WorkingCalendar | None = None,
) -> datetime:
    return (calendar or get_calendar()).deadline_at(start, limit, extend_past_rest_days=extend_past_rest_days)
