"""以事定費: the estimate is computed from the work; bad input is refused with a message in the
user's language and changes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from govbuy.core.errors import ValidationFailed
from govbuy.planning import rules
from govbuy.planning.models import BudgetLine, Project
from tests.builders.planning import COSTS, ESTIMATE, TARGETS, YEAR


def test_estimate_is_the_sum_of_quantity_times_unit_cost(propose, line):
    project = propose()
    assert project.estimate == ESTIMATE
    amounts = list(project.cost_lines.values_list("amount", flat=True))
    assert amounts == [Decimal("96000.00"), Decimal("24000.00")]
    line.refresh_from_db()
    assert line.committed == ESTIMATE
    assert line.available == Decimal("880000.00")
    assert project.reference.startswith(f"110101-{YEAR}-")


def test_costing_rounds_half_up_to_the_cent():
    lines = rules.clean_cost_lines(
        [{"description": "咨询", "category": "other", "unit": "小时", "quantity": "0.5", "unit_cost": "0.01"}]
    )
    assert rules.estimate_of(lines) == Decimal("0.01")


def test_a_lump_sum_cannot_be_typed(propose):
    with pytest.raises(TypeError):
        propose(estimate="999999")


@pytest.mark.parametrize(
    ("row", "fragment_zh", "fragment_en"),
    [
        ({"quantity": "0"}, "数量", "quantity must be greater than zero"),
        ({"unit_cost": "-5"}, "单价", "unit cost cannot be negative"),
        ({"quantity": "abc"}, "数量", "quantity is not a number"),
    ],
)
def test_bad_cost_lines_are_refused_in_the_users_language(propose, line, row, fragment_zh, fragment_en):
    bad = [{**COSTS[0], **row}]
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        propose(cost_lines=bad)
    assert fragment_en in " ".join(str(m) for m in caught.value.fields["cost_lines"])
    assert Project.objects.count() == 0
    line.refresh_from_db()
    assert line.committed == 0


def test_every_faulty_cost_line_is_listed(propose):
    bad = [{**COSTS[0], "quantity": "0"}, {**COSTS[1], "unit_cost": "-1"}]
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        propose(cost_lines=bad)
    messages = [str(m) for m in caught.value.fields["cost_lines"]]
    assert messages[0].startswith("Line 1:")
    assert messages[1].startswith("Line 2:")


def test_no_cost_lines_is_refused(propose):
    with pytest.raises(ValidationFailed) as caught:
        propose(cost_lines=[])
    assert caught.value.code == "no_cost_lines"


def test_period_ending_before_it_starts_is_refused(propose):
    with translation.override("en"):
        with pytest.raises(ValidationFailed) as caught:
            propose(period_start=datetime.date(YEAR, 6, 1), period_end=datetime.date(YEAR, 5, 31))
        assert caught.value.code == "period_reversed"
        assert "cannot end before it starts" in str(caught.value.message)


def test_period_refusal_in_chinese(propose):
    with translation.override("zh-hans"):
        with pytest.raises(ValidationFailed) as caught:
            propose(period_start=datetime.date(YEAR, 6, 1), period_end=datetime.date(YEAR, 5, 31))
        assert "结束日期" in str(caught.value.message)


def test_a_line_of_another_purchaser_is_refused(propose, budget_b):
    with translation.override("en"):
        with pytest.raises(ValidationFailed) as caught:
            propose(budget_line=budget_b.lines.get())
        assert caught.value.code == "line_other_purchaser"
        assert "another purchaser" in str(caught.value.message)
    with translation.override("zh-hans"):
        assert "购买主体" in str(caught.value.message)


def test_a_catalog_item_of_another_region_is_refused(propose, other_region_item):
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        propose(catalog_item=other_region_item)
    assert caught.value.code == "item_other_region"
    assert Project.objects.count() == 0


def test_negative_targets_and_amounts_are_refused(propose):
    with pytest.raises(ValidationFailed):
        propose(targets=[{**TARGETS[0], "target_value": "-1"}])
    with pytest.raises(ValidationFailed) as caught:
        rules.check_amount("-100")
    assert caught.value.code == "negative_amount"


def test_the_database_refuses_an_overcommitted_line(line):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLine.objects.filter(pk=line.pk).update(committed=line.amount + 1)


def test_method_outside_scope_only(propose):
    with pytest.raises(ValidationFailed) as caught:
        propose(in_procurement_scope=True, suggested_method="commission")
    assert caught.value.code == "method_scope"
    assert propose(in_procurement_scope=False, suggested_method="commission").suggested_method == "commission"
