"""Reads of the holiday table. The calendar itself is public; editing it is for the city
finance bureau only, and to anyone else the edit pages do not exist (404)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from govbuy.core.calendar.rules import YearStatus
from govbuy.core.errors import NotFound
from govbuy.core.models import CalendarDay, CalendarYear
from govbuy.organizations.scope import scope_for

MIN_YEAR = 2000
MAX_YEAR = 2100

STATUS_LABELS: dict[str, Any] = {
    YearStatus.OFFICIAL: CalendarYear.Status.OFFICIAL.label,
    YearStatus.PROVISIONAL: CalendarYear.Status.PROVISIONAL.label,
    YearStatus.MISSING: _("no holiday data (weekends only)"),
}


def year_warning(status: str, year: int) -> str | None:
    """What a reader must know about a year that is not official (None for an official year)."""
    if status == YearStatus.PROVISIONAL:
        return gettext(
            "Provisional: %(year)s holds only the statutory public holidays. The State Council has not yet "
            "published its %(year)s holiday arrangements, so the extra rest days and the make-up working days "
            "are missing, and working-day deadlines in %(year)s may still move."
        ) % {"year": year}
    if status == YearStatus.MISSING:
        return gettext(
            "There is no holiday data for %(year)s: every Monday to Friday counts as a working day and public "
            "holidays are ignored. Working-day deadlines in %(year)s are not reliable until the finance bureau "
            "loads the State Council notice."
        ) % {"year": year}
    return None


@dataclass(frozen=True)
class YearOverview:
    year: int
    status: YearStatus
    source: str
    version: int  # 0 when the year has no row
    days: list[CalendarDay]

    @property
    def status_label(self) -> Any:
        return STATUS_LABELS[self.status]

    @property
    def warning(self) -> str | None:
        return year_warning(self.status, self.year)

    @property
    def is_official(self) -> bool:
        return self.status == YearStatus.OFFICIAL

    @property
    def is_provisional(self) -> bool:
        return self.status == YearStatus.PROVISIONAL

    @property
    def is_missing(self) -> bool:
        return self.status == YearStatus.MISSING

    @property
    def holidays(self) -> list[CalendarDay]:
        return [d for d in self.days if d.kind == CalendarDay.Kind.HOLIDAY]

    @property
    def workdays(self) -> list[CalendarDay]:
        return [d for d in self.days if d.kind == CalendarDay.Kind.WORKDAY]


def valid_year(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


def _count_of(kind: str) -> Coalesce:
    per_year = (
        CalendarDay.objects.filter(date__year=OuterRef("year"), kind=kind)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(per_year, output_field=IntegerField()), 0)


def years() -> QuerySet[CalendarYear]:
    """Every year the table covers, with its numbers of holidays and make-up working days."""
    return CalendarYear.objects.annotate(
        holiday_count=_count_of(CalendarDay.Kind.HOLIDAY),
        workday_count=_count_of(CalendarDay.Kind.WORKDAY),
    ).order_by("year")


def days(year: int | None = None) -> QuerySet[CalendarDay]:
    rows = CalendarDay.objects.order_by("date")
    if year is not None:
        rows = rows.filter(date__gte=date(year, 1, 1), date__lte=date(year, 12, 31))
    return rows


def year_overview(year: int) -> YearOverview:
    """A year as the public page shows it: status, source, version and its exceptions."""
    if not valid_year(year):
        raise NotFound()
    row = CalendarYear.objects.filter(year=year).first()
    listed = list(days(year))
    if row is None:
        return YearOverview(year=year, status=YearStatus.MISSING, source="", version=0, days=listed)
    return YearOverview(year=year, status=YearStatus(row.status), source=row.source, version=row.version, days=listed)


def known_years() -> list[int]:
    return list(CalendarYear.objects.order_by("year").values_list("year", flat=True))


def can_edit_calendar(user: Any) -> bool:
    return scope_for(user).is_city_finance()


def editable_year(user: Any, year: int) -> YearOverview:
    """The year for the edit page; anyone but the city finance bureau gets a 404."""
    if not can_edit_calendar(user):
        raise NotFound()
    return year_overview(year)


def years_needing_notice(today: date, *, horizon_days: int = 365) -> list[tuple[int, YearStatus]]:
    """Years between today and the horizon whose State Council notice is not loaded yet."""
    last = today + timedelta(days=horizon_days)
    wanted = range(today.year, last.year + 1)
    statuses = dict(CalendarYear.objects.filter(year__in=list(wanted)).values_list("year", "status"))
    return [
        (year, YearStatus(statuses.get(year, YearStatus.MISSING)))
        for year in wanted
        if statuses.get(year) != YearStatus.OFFICIAL
    ]
