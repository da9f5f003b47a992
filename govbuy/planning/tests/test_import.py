"""Budget lines from .xlsx: every faulty row listed, nothing written on error; bounded reading."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import translation

from govbuy.audit.models import AuditEvent
from govbuy.core.errors import ValidationFailed
from govbuy.planning.services import budget_lines


def xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_import_adds_and_updates_lines(world, budget):
    data = xlsx([["经济分类代码", "名称", "金额"], ["30227", "委托业务费", "1200000.00"], ["30211", "差旅费", 80000]])
    outcome = budget_lines.import_lines(actor=world.purchaser_a, budget=budget, file_name="预算.xlsx", data=data)
    assert (outcome.created, outcome.updated) == (1, 1)
    line = budget.lines.get(code="30227")
    assert (line.budgeted_amount, line.amount) == (Decimal("1200000.00"), Decimal("1200000.00"))
    assert budget.lines.get(code="30211").amount == Decimal("80000.00")
    assert AuditEvent.objects.filter(action="planning.budget.imported").count() == 1


def test_every_row_error_is_listed_and_nothing_is_written(world, budget):
    data = xlsx(
        [
            ["code", "name", "amount"],
            ["30211", "差旅费", "-5"],
            ["", "无代码", "100"],
            ["30212", "因公出国", "abc"],
            ["30213", "会议费", "100.001"],
            ["30211", "重复", "100"],
            ["30214", "培训费", "2000"],
        ]
    )
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        budget_lines.import_lines(actor=world.purchaser_a, budget=budget, file_name="b.xlsx", data=data)
    errors = [str(m) for m in caught.value.fields["file"]]
    assert [e.split(":")[0] for e in errors] == ["Row 2", "Row 3", "Row 4", "Row 5"]
    assert "negative" in errors[0]
    assert budget.lines.count() == 2
    assert not budget.lines.filter(code="30214").exists()


def test_import_refuses_a_line_below_what_is_committed(world, budget, propose):
    propose()
    data = xlsx([["code", "name", "amount"], ["30227", "委托业务费", "100000"]])
    with pytest.raises(ValidationFailed) as caught:
        budget_lines.import_lines(actor=world.purchaser_a, budget=budget, file_name="b.xlsx", data=data)
    assert "Row 2" in str(caught.value.fields["file"][0]) or "第" in str(caught.value.fields["file"][0])
    assert budget.lines.get(code="30227").amount == Decimal("1000000.00")


def test_import_is_bounded_in_rows(world, budget, settings):
    settings.PLANNING_IMPORT_MAX_ROWS = 3
    data = xlsx([["code", "name", "amount"], *[[f"3{i:04d}", "行", "1"] for i in range(5)]])
    with pytest.raises(ValidationFailed) as caught:
        budget_lines.import_lines(actor=world.purchaser_a, budget=budget, file_name="b.xlsx", data=data)
    assert caught.value.code == "too_many_rows"


def test_import_checks_the_upload(world, budget):
    with pytest.raises(ValidationFailed):
        budget_lines.import_lines(
            actor=world.purchaser_a, budget=budget, file_name="b.xlsx", data=b"MZ\x90\x00 not xlsx"
        )
    with pytest.raises(ValidationFailed) as caught:
        budget_lines.import_lines(
            actor=world.purchaser_a, budget=budget, file_name="b.xlsx", data=xlsx([["a", "b"], ["1", "2"]])
        )
    assert caught.value.code == "bad_header"


def test_only_the_purchaser_imports(world, budget):
    from govbuy.core.errors import PermissionRefused

    with pytest.raises(PermissionRefused):
        budget_lines.import_lines(
            actor=world.district_finance_a, budget=budget, file_name="b.xlsx", data=xlsx([["code", "name", "amount"]])
        )
