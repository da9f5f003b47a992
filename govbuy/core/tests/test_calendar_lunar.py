"""The provisional 2027 holidays, checked against astronomy rather than typed from memory.

Lunar festivals are recomputed from first principles: new moons from Meeus, *Astronomical
Algorithms* (2nd ed.), ch. 49 (with the planetary terms; error well under a minute), turned into
Beijing dates; a lunar month is numbered by the principal solar term (中气) it contains (雨水 →
month 1, 夏至 → month 5, 秋分 → month 8), with the solar-term dates from chinesecalendar. The
method is first shown to reproduce the festivals of 2018–2026 as the State Council notices have
them (chinesecalendar's holiday table), then applied to 2027.
"""

from __future__ import annotations

import itertools
import math
from datetime import UTC, date, datetime, timedelta

import chinese_calendar
import pytest
from chinese_calendar import constants

from govbuy.core.calendar.data import HOLIDAY, PROVISIONAL, PROVISIONAL_2027, bundled

BEIJING = timedelta(hours=8)
DELTA_T = timedelta(seconds=69)  # TT − UT in the 2020s
PRINCIPAL_TERMS = {"雨水": 1, "夏至": 5, "秋分": 8}
PLANETARY = [
    (0.000325, 299.77, 0.107408, -0.009173),
    (0.000165, 251.88, 0.016321, 0),
    (0.000164, 251.83, 26.651886, 0),
    (0.000126, 349.42, 36.412478, 0),
    (0.000110, 84.66, 18.206239, 0),
    (0.000062, 141.74, 53.303771, 0),
    (0.000060, 207.14, 2.453732, 0),
    (0.000056, 154.84, 7.306860, 0),
    (0.000047, 34.52, 27.261239, 0),
    (0.000042, 207.19, 0.121824, 0),
    (0.000040, 291.34, 1.844379, 0),
    (0.000037, 161.72, 24.198154, 0),
    (0.000035, 239.56, 25.513099, 0),
    (0.000023, 331.55, 3.592518, 0),
]


def new_moon(k: int) -> datetime:
    """The k-th new moon after 2000-01-06, in Beijing time (naive, for date arithmetic)."""
    t = k / 1236.85
    jde = 2451550.09766 + 29.530588861 * k + 0.00015437 * t**2 - 0.000000150 * t**3 + 0.00000000073 * t**4
    e = 1 - 0.002516 * t - 0.0000074 * t**2
    m = math.radians(2.5534 + 29.10535670 * k - 0.0000014 * t**2 - 0.00000011 * t**3)
    mp = math.radians(201.5643 + 385.81693528 * k + 0.0107582 * t**2 + 0.00001238 * t**3 - 0.000000058 * t**4)
    f = math.radians(160.7108 + 390.67050284 * k - 0.0016118 * t**2 - 0.00000227 * t**3 + 0.000000011 * t**4)
    om = math.radians(124.7746 - 1.56375588 * k + 0.0020672 * t**2 + 0.00000215 * t**3)
    s = math.sin
    jde += (
        -0.40720 * s(mp)
        + 0.17241 * e * s(m)
        + 0.01608 * s(2 * mp)
        + 0.01039 * s(2 * f)
        + 0.00739 * e * s(mp - m)
        - 0.00514 * e * s(mp + m)
        + 0.00208 * e * e * s(2 * m)
        - 0.00111 * s(mp - 2 * f)
        - 0.00057 * s(mp + 2 * f)
        + 0.00056 * e * s(2 * mp + m)
        - 0.00042 * s(3 * mp)
        + 0.00042 * e * s(m + 2 * f)
        + 0.00038 * e * s(m - 2 * f)
        - 0.00024 * e * s(2 * mp - m)
        - 0.00017 * s(om)
        - 0.00007 * s(mp + 2 * m)
        + 0.00004 * s(2 * mp - 2 * f)
        + 0.00004 * s(3 * m)
        + 0.00003 * s(mp + m - 2 * f)
        + 0.00003 * s(2 * mp + 2 * f)
        - 0.00003 * s(mp + m + 2 * f)
        + 0.00003 * s(mp - m + 2 * f)
        - 0.00002 * s(mp - m - 2 * f)
        - 0.00002 * s(3 * mp + m)
        + 0.00002 * s(4 * mp)
    )
    jde += sum(c * s(math.radians(a + b * k + q * t**2)) for c, a, b, q in PLANETARY)
    utc = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(days=jde - 2440587.5) - DELTA_T
    return (utc + BEIJING).replace(tzinfo=None)


def lunar_festivals(year: int) -> dict[str, tuple[date, datetime]]:
    """正月初一, 五月初五 and 八月十五 of `year`, each with the new moon that began its month."""
    k0 = math.floor((year - 2001) * 12.3685)
    moons = [new_moon(k) for k in range(k0, k0 + 28)]
    terms = chinese_calendar.get_solar_terms(date(year - 1, 11, 1), date(year + 1, 2, 28))
    found: dict[str, tuple[date, datetime]] = {}
    for begin, end in itertools.pairwise(moons):
        first, next_first = begin.date(), end.date()
        months = [PRINCIPAL_TERMS[name] for day, name in terms if first <= day < next_first and name in PRINCIPAL_TERMS]
        if first.year != year or not months:
            continue
        if months == [1]:
            found["spring_festival"] = (first, begin)
        elif months == [5]:
            found["dragon_boat"] = (first + timedelta(days=4), begin)
        elif months == [8]:
            found["mid_autumn"] = (first + timedelta(days=14), begin)
    return found


PACKAGE_NAMES = {
    "spring_festival": "Spring Festival",
    "dragon_boat": "Dragon Boat Festival",
    "mid_autumn": "Mid-autumn Festival",
}


@pytest.mark.parametrize("year", range(2018, 2027))
def test_the_method_reproduces_the_published_festivals(year):
    found = lunar_festivals(year)
    assert set(found) == set(PACKAGE_NAMES)
    for key, (day, _moon) in found.items():
        name = constants.holidays.get(day)
        # 2020's and 2023's Mid-Autumn fell inside National Day and is labelled so.
        assert name in (PACKAGE_NAMES[key], "National Day"), (year, key, day, name)
    eve = found["spring_festival"][0] - timedelta(days=1)
    if year >= 2025:  # the 2024 revision made New Year's Eve a statutory holiday
        assert constants.holidays.get(eve) == "Spring Festival"


def test_2027_lunar_dates_and_their_margins():
    found = lunar_festivals(2027)
    assert found["spring_festival"][0] == date(2027, 2, 6)
    assert found["dragon_boat"][0] == date(2027, 6, 9)
    assert found["mid_autumn"][0] == date(2027, 9, 15)
    # The 2027 new year's new moon falls shortly before midnight in Beijing: make sure the
    # computation is not within its own error of the date line.
    moon = found["spring_festival"][1]
    assert datetime(2027, 2, 6, 23, 50) < moon < datetime(2027, 2, 6, 23, 59)


def test_2027_qingming_is_the_solar_term():
    assert (date(2027, 4, 5), "清明") in chinese_calendar.get_solar_terms(date(2027, 4, 1), date(2027, 4, 10))


def test_provisional_2027_is_the_statutory_list():
    found = lunar_festivals(2027)
    new_year = found["spring_festival"][0]
    expected = {
        date(2027, 1, 1),
        new_year - timedelta(days=1),
        new_year,
        new_year + timedelta(days=1),
        new_year + timedelta(days=2),
        date(2027, 4, 5),
        date(2027, 5, 1),
        date(2027, 5, 2),
        found["dragon_boat"][0],
        found["mid_autumn"][0],
        date(2027, 10, 1),
        date(2027, 10, 2),
        date(2027, 10, 3),
    }
    assert PROVISIONAL_2027.status == PROVISIONAL
    assert {d.date for d in PROVISIONAL_2027.days} == expected
    assert len(PROVISIONAL_2027.days) == 13  # the 13 statutory days of the 2024 revision
    assert all(d.kind == HOLIDAY for d in PROVISIONAL_2027.days)
    assert bundled(2027) is PROVISIONAL_2027
