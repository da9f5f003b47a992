"""The data behind a flag reads as people write it: money grouped, days and counts as numbers."""

from types import SimpleNamespace

from django.utils import translation

from govbuy.oversight.templatetags.oversight_flags import evidence


def test_money_is_grouped_and_days_read_as_numbers_not_stored_decimals():
    flag = SimpleNamespace(
        evidence={"amount": "1199000.00", "period_days": "-0.00", "minimum_days": "20.00", "others_mean": "82.50"}
    )
    with translation.override("zh-hans"):
        shown = dict(evidence(flag))
    assert list(shown.values()) == ["1,199,000.00", "0", "20", "82.5"]
