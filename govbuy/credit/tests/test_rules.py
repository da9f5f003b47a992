"""The credit rules as pure functions: decay, floor and ceiling, rules by effective date, what
would change the score, objection deadlines in working days, ban lengths, evidence."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from govbuy.core.calendar.rules import SHANGHAI, WEEKENDS_ONLY
from govbuy.core.errors import TransitionRefused, ValidationFailed
from govbuy.credit import rules
from govbuy.credit.rules import FactInput

TODAY = dt.date(2026, 12, 1)


@dataclass
class Rule:
    kind: str
    points: Decimal
    effective_from: dt.date = dt.date(2015, 1, 1)
    half_life_days: int = 365
    counts_for_days: int = 1095
    objection_working_days: int = 10


@dataclass
class Scale:
    base: Decimal = Decimal(100)
    floor: Decimal = Decimal(0)
    ceiling: Decimal = Decimal(120)
    effective_from: dt.date = dt.date(2015, 1, 1)


RULES = [
    Rule("performance.grade_poor", Decimal(-10)),
    Rule("performance.grade_excellent", Decimal(5)),
    Rule("credit.collusion", Decimal(-40)),
]
SCALES = [Scale()]


def test_a_fact_weighs_fully_when_new_half_after_its_half_life_and_nothing_after_its_period():
    assert rules.weight(0, 365, 1095) == Decimal(1)
    assert rules.weight(365, 365, 1095) == Decimal("0.5")
    assert rules.weight(730, 365, 1095) == Decimal("0.25")
    assert rules.weight(1095, 365, 1095) == Decimal(0)


def test_the_score_is_base_plus_points_times_weight_with_every_fact_shown():
    facts = [
        FactInput(1, "performance.grade_poor", TODAY),
        FactInput(2, "performance.grade_excellent", TODAY - dt.timedelta(days=365)),
    ]
    result = rules.explain(facts, RULES, SCALES, TODAY)
    assert result.score == Decimal("92.50")
    by_id = {line.fact_id: line for line in result.lines}
    assert by_id[1].contribution == Decimal("-10.00")
    assert by_id[2].weight == Decimal("0.5")
    assert by_id[2].contribution == Decimal("2.50")
    assert by_id[1].stops_counting_on == TODAY + dt.timedelta(days=1095)


def test_the_score_stays_within_floor_and_ceiling():
    many_bad = [FactInput(i, "credit.collusion", TODAY) for i in range(5)]
    low = rules.explain(many_bad, RULES, SCALES, TODAY)
    assert low.raw == Decimal("-100.00")
    assert low.score == Decimal("0.00")
    assert low.clamped == "floor"
    many_good = [FactInput(i, "performance.grade_excellent", TODAY) for i in range(10)]
    high = rules.explain(many_good, RULES, SCALES, TODAY)
    assert high.score == Decimal("120.00")
    assert high.clamped == "ceiling"


def test_a_withdrawn_fact_or_one_past_its_period_does_not_count():
    facts = [
        FactInput(1, "performance.grade_poor", TODAY, void=True),
        FactInput(2, "performance.grade_poor", TODAY - dt.timedelta(days=1200)),
    ]
    result = rules.explain(facts, RULES, SCALES, TODAY)
    assert result.score == Decimal("100.00")
    assert not any(line.counted for line in result.lines)


def test_a_later_rule_does_not_reach_back_to_earlier_facts():
    later = [*RULES, Rule("performance.grade_poor", Decimal(-20), effective_from=dt.date(2026, 6, 1))]
    old = FactInput(1, "performance.grade_poor", dt.date(2026, 5, 31))
    new = FactInput(2, "performance.grade_poor", dt.date(2026, 6, 1))
    lines = {line.fact_id: line for line in rules.explain([old, new], later, SCALES, TODAY).lines}
    assert lines[1].points == Decimal(-10)
    assert lines[2].points == Decimal(-20)


def test_what_would_change_the_score_names_each_fact_end_each_objection_and_each_good_fact():
    facts = [FactInput(1, "performance.grade_poor", TODAY, under_objection=True)]
    result = rules.explain(facts, RULES, SCALES, TODAY)
    changes = rules.what_would_change(
        result, facts, RULES, SCALES, TODAY, positive_kinds=["performance.grade_excellent"]
    )
    codes = {(c.code, c.fact_id): c for c in changes}
    assert codes[("expires", 1)].on == TODAY + dt.timedelta(days=1095)
    assert codes[("expires", 1)].delta == Decimal("10.00")
    assert codes[("objection", 1)].delta == Decimal("10.00")
    assert codes[("add", None)].delta == Decimal("5.00")


def test_the_objection_period_is_ten_working_days_from_notice():
    friday = dt.datetime(2026, 11, 6, 15, 0, tzinfo=SHANGHAI)
    deadline = rules.objection_deadline(friday, 10, WEEKENDS_ONLY)
    assert deadline.astimezone(SHANGHAI).date() == dt.date(2026, 11, 20)
    rules.check_objection_in_time(deadline, deadline)
    with pytest.raises(TransitionRefused) as exc:
        rules.check_objection_in_time(deadline + dt.timedelta(seconds=1), deadline)
    assert exc.value.code == "objection_late"


@pytest.mark.parametrize(
    ("starts", "ends", "ok"),
    [
        (dt.date(2027, 1, 1), dt.date(2027, 12, 31), True),
        (dt.date(2027, 1, 1), dt.date(2029, 12, 31), True),
        (dt.date(2027, 1, 1), dt.date(2027, 12, 30), False),
        (dt.date(2027, 1, 1), dt.date(2030, 1, 1), False),
        (dt.date(2027, 1, 1), dt.date(2026, 12, 31), False),
    ],
)
def test_a_ban_lasts_one_to_three_years_and_ends_after_it_starts(starts, ends, ok):
    if ok:
        rules.check_ban_period(starts, ends)
    else:
        with pytest.raises(ValidationFailed):
            rules.check_ban_period(starts, ends)


def test_a_fact_found_by_an_authority_needs_evidence():
    with pytest.raises(ValidationFailed) as exc:
        rules.check_evidence("credit.collusion", 0)
    assert exc.value.code == "evidence_required"
    rules.check_evidence("credit.collusion", 1)
    rules.check_evidence("performance.grade_poor", 0)
