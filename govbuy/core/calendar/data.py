"""The holiday data govbuy ships with, for seeding the holiday table (`manage.py load_holidays`).

2025 and 2026 come from the `chinesecalendar` package, which carries the State Council's
notices (public holidays, the weekend days folded into each break, and the make-up working
days). It is imported only when seeding: at run time the table is the only source, so the
finance bureau's edits always win.

2027 is provisional: the State Council publishes the arrangements late in the preceding year, so
only the statutory holidays of the 2024 revision of the national holiday measures
(全国年节及纪念日放假办法, in force 2025-01-01) are known: New Year 1 day; Spring Festival 4
days (New Year's Eve and the 1st–3rd days of the first lunar month); Qingming 1 day; Labour Day
2 days; Dragon Boat 1 day; Mid-Autumn 1 day; National Day 3 days. The lunar and solar-term
dates are checked independently: govbuy/core/tests/test_calendar_lunar.py recomputes them from
new moons and solar terms. The weekends the State Council will fold in, and the make-up working days, come
with its notice; the finance bureau then loads them and marks the year official.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

OFFICIAL = "official"
PROVISIONAL = "provisional"
HOLIDAY = "holiday"
WORKDAY = "workday"


@dataclass(frozen=True)
class DayData:
    date: date
    kind: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class YearData:
    year: int
    status: str
    source: str
    days: tuple[DayData, ...]


# chinesecalendar's English holiday names → the names govbuy shows (Chinese, English).
FESTIVAL_NAMES: dict[str, tuple[str, str]] = {
    "New Year's Day": ("元旦", "New Year's Day"),
    "Spring Festival": ("春节", "Spring Festival"),
    "Tomb-sweeping Day": ("清明节", "Qingming Festival"),
    "Labour Day": ("劳动节", "Labour Day"),
    "Dragon Boat Festival": ("端午节", "Dragon Boat Festival"),
    "Mid-autumn Festival": ("中秋节", "Mid-Autumn Festival"),
    "National Day": ("国庆节", "National Day"),
}

PACKAGE_YEARS = (2025, 2026)
PROVISIONAL_YEARS = (2027,)
BUNDLED_YEARS = PACKAGE_YEARS + PROVISIONAL_YEARS


def _names(english: str) -> tuple[str, str]:
    if english in FESTIVAL_NAMES:
        return FESTIVAL_NAMES[english]
    import chinese_calendar

    return chinese_calendar.Holiday(english).chinese, english


def from_package(year: int) -> YearData:
    """A year's official data as the chinesecalendar package carries it."""
    import chinese_calendar
    from chinese_calendar import constants

    days: list[DayData] = []
    for day, festival in constants.holidays.items():
        if day.year == year:
            days.append(DayData(day, HOLIDAY, *_names(festival)))
    for day, festival in constants.workdays.items():
        if day.year == year:
            days.append(DayData(day, WORKDAY, *_names(festival)))
    if not days:
        raise LookupError(f"chinesecalendar {chinese_calendar.__version__} has no data for {year}")
    days.sort(key=lambda d: d.date)
    source = f"国务院办公厅关于{year}年部分节假日安排的通知 (chinesecalendar {chinese_calendar.__version__})"
    return YearData(year, OFFICIAL, source, tuple(days))


def _statutory(*days: tuple[date, str]) -> tuple[DayData, ...]:
    return tuple(DayData(d, HOLIDAY, *FESTIVAL_NAMES[festival]) for d, festival in days)


PROVISIONAL_2027 = YearData(
    2027,
    PROVISIONAL,
    "全国年节及纪念日放假办法（2024年修订）法定假日；调休安排待国务院办公厅通知",
    _statutory(
        (date(2027, 1, 1), "New Year's Day"),
        # 除夕 2027-02-05; 正月初一 2027-02-06 (new moon 2027-02-06 ~23:56 Beijing time).
        (date(2027, 2, 5), "Spring Festival"),
        (date(2027, 2, 6), "Spring Festival"),
        (date(2027, 2, 7), "Spring Festival"),
        (date(2027, 2, 8), "Spring Festival"),
        (date(2027, 4, 5), "Tomb-sweeping Day"),
        (date(2027, 5, 1), "Labour Day"),
        (date(2027, 5, 2), "Labour Day"),
        (date(2027, 6, 9), "Dragon Boat Festival"),
        (date(2027, 9, 15), "Mid-autumn Festival"),
        (date(2027, 10, 1), "National Day"),
        (date(2027, 10, 2), "National Day"),
        (date(2027, 10, 3), "National Day"),
    ),
)


def bundled(year: int) -> YearData:
    if year in PACKAGE_YEARS:
        return from_package(year)
    if year == PROVISIONAL_2027.year:
        return PROVISIONAL_2027
    raise LookupError(f"govbuy ships no holiday data for {year}")


def all_bundled() -> list[YearData]:
    return [bundled(year) for year in BUNDLED_YEARS]
