"""Contract term (Order 102 Art. 24) and split purchases (Law Art. 28, Reg. Art. 28)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from govbuy.audit.models import AuditEvent
from govbuy.core.errors import PermissionRefused, ValidationFailed
from govbuy.planning import rules, selectors
from govbuy.planning.services import budget_lines
from tests.builders.planning import YEAR, advance

D = datetime.date


@pytest.mark.parametrize(
    ("start", "end", "conditions", "allowed"),
    [
        (D(2027, 1, 1), D(2027, 12, 31), (False, False, False), True),
        (D(2027, 1, 1), D(2028, 1, 1), (False, False, False), False),  # over one year
        (D(2027, 1, 1), D(2028, 1, 1), (True, True, False), False),  # budget not secured
        (D(2027, 1, 1), D(2029, 12, 31), (True, True, True), True),  # three years, conditions hold
        (D(2027, 1, 1), D(2030, 1, 1), (True, True, True), False),  # over three years: never
        (D(2028, 2, 29), D(2029, 2, 27), (False, False, False), True),
    ],
)
def test_term_rule(start, end, conditions, allowed):
    recurring, stable, secured = conditions
    problem = rules.term_problem(
        start=start, end=end, recurring=recurring, stable_content=stable, budget_secured=secured
    )
    assert (problem is None) is allowed


def test_term_over_a_year_is_refused_without_conditions(propose):
    with pytest.raises(ValidationFailed) as caught:
        propose(period_end=D(YEAR + 1, 6, 30))
    assert caught.value.code == "term"
    project = propose(period_end=D(YEAR + 1, 6, 30), recurring=True, stable_content=True, budget_secured=True)
    assert project.period_end == D(YEAR + 1, 6, 30)


def test_term_over_three_years_is_refused_even_with_conditions(propose):
    with pytest.raises(ValidationFailed) as caught:
        propose(period_end=D(YEAR + 3, 1, 1), recurring=True, stable_content=True, budget_secured=True)
    assert "three years" in str(caught.value.message) or "三年" in str(caught.value.message)


def _big(amount: str):
    return [{"description": "服务", "category": "operations", "unit": "年", "quantity": "1", "unit_cost": amount}]


def test_split_purchases_of_one_item_are_flagged(propose, world, line):
    budget_lines.update_line(actor=world.purchaser_a, line=line, version=line.version, amount="5000000.00")
    first = propose(cost_lines=_big("1500000.00"))
    second = propose(cost_lines=_big("600000.00"), title="第二批居家养老上门服务")
    second = advance(second, world, to="submitted")
    assert second.split_flag is True
    assert second.split_details["total"] == "2100000.00"
    assert second.split_details["threshold"] == "2000000.00"
    assert sorted(second.split_details["projects"]) == sorted([first.reference, second.reference])
    # Another service does not count.
    third = propose(
        cost_lines=_big("600000.00"),
        catalog_item=second.catalog_item.version.items.get(code="A05-02"),
        title="东城区社区老年人助餐",
        service_description="在社区养老驿站为老年人提供午餐、晚餐的集中就餐和送餐。",
    )
    third = advance(third, world, to="submitted")
    assert third.split_flag is False
    event = AuditEvent.objects.filter(action="planning.project.submitted", object_id=str(second.pk)).get()
    assert event.data["split_flag"] is True


def test_threshold_is_data_the_city_finance_bureau_edits(propose, world, line):
    assert selectors.threshold_for(world.district_a) == Decimal("2000000.00")
    with pytest.raises(PermissionRefused):
        budget_lines.set_threshold(actor=world.district_finance_a, region=world.city, amount="1000000")
    budget_lines.set_threshold(actor=world.city_finance, region=world.city, amount="200000.00", source="测试")
    assert selectors.threshold_for(world.district_a) == Decimal("200000.00")
    event = AuditEvent.objects.get(action="planning.threshold.set")
    assert event.changes["amount"] == [None, "200000.00"]
    propose()
    second = advance(propose(title="第二批"), world, to="submitted")
    assert second.split_flag is True


def test_a_single_project_over_the_threshold_is_not_a_split(propose, world, line):
    budget_lines.update_line(actor=world.purchaser_a, line=line, version=line.version, amount="5000000.00")
    project = advance(propose(cost_lines=_big("2500000.00")), world, to="submitted")
    assert project.split_flag is False
