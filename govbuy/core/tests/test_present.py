"""One way to show times, money, quantities and people (issue 16): Beijing time to the minute,
yuan with separators, no ".00" on counts, names instead of logins."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django.template import Context, Template

from govbuy.core import present

MOMENT = dt.datetime(2026, 12, 4, 20, 42, 55, 261000, tzinfo=dt.UTC)  # 04:42:55 the next day in Beijing


def test_times_are_beijing_time_to_the_minute_without_iso_or_microseconds():
    assert present.when(MOMENT) == "2026-12-05 04:42"
    assert present.when(MOMENT, seconds=True) == "2026-12-05 04:42:55"
    assert present.when("2026-12-04T20:42:55.261000+00:00") == "2026-12-05 04:42"


def test_the_date_of_a_moment_is_the_beijing_date():
    assert present.day(MOMENT) == "2026-12-05"
    assert present.day(dt.date(2027, 1, 2)) == "2027-01-02"


def test_iso_times_inside_sentences_are_rewritten():
    sentence = "截止时间改为 2026-12-24T01:30:00+00:00。"
    assert present.times_in_text(sentence) == "截止时间改为 2026-12-24 09:30。"


def test_yuan_has_thousands_separators_and_two_places():
    assert present.yuan(Decimal("1687200")) == "1,687,200.00"
    assert present.yuan("8765432.1") == "8,765,432.10"


def test_quantities_have_no_trailing_zeros():
    assert present.quantity(Decimal("800.00")) == "800"
    assert present.quantity(Decimal("2.50")) == "2.5"
    assert present.quantity(Decimal("12000.00")) == "12,000"


def test_people_are_named_with_their_organisation_never_by_login():
    user = SimpleNamespace(username="dongcheng.health", display_name="李娜")
    org = SimpleNamespace(name_zh="北京市东城区卫生健康委员会")
    assert present.person(user, org) == "李娜（北京市东城区卫生健康委员会）"
    assert "dongcheng.health" not in present.person(SimpleNamespace(username="dongcheng.health", display_name=""))


def test_the_filters_are_available_in_every_template_without_load():
    out = Template("{{ t|when }} · {{ t|when_s }} · {{ t|day }} · {{ m|yuan }} · {{ q|qty }}").render(
        Context({"t": MOMENT, "m": Decimal("1687200.00"), "q": Decimal("800.00")})
    )
    assert out == "2026-12-05 04:42 · 2026-12-05 04:42:55 · 2026-12-05 · 1,687,200.00 · 800"


def test_a_datetime_printed_without_a_filter_uses_the_same_format(settings):
    assert Template("{{ t }}").render(Context({"t": MOMENT})) == "2026-12-05 04:42"
