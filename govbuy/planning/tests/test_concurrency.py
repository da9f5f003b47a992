"""R1/R2: 40 parallel proposals against one line never over-commit it; the losers get a clear
409; stale edits get 409 and change nothing. On SQLite (file, BEGIN IMMEDIATE) and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest

from govbuy.core.errors import Conflict
from govbuy.core.testing import needs_file_database, race
from govbuy.planning.models import BudgetLine, Project
from govbuy.planning.services import budget_lines, proposals
from tests.builders.planning import ESTIMATE

THREADS = 40


@pytest.fixture(autouse=True)
def _file_database():
    needs_file_database()


def _check_invariant(line: BudgetLine) -> None:
    line.refresh_from_db()
    live = Project.objects.filter(budget_line=line).exclude(status__in=["withdrawn", "cancelled"])
    total = sum((p.estimate for p in live), Decimal("0.00"))
    assert total == line.committed
    assert line.committed <= line.amount


@pytest.mark.django_db(transaction=True)
def test_forty_parallel_proposals_never_overcommit_one_line(propose, line):
    # The line holds 1,000,000: eight projects of 120,000 fit, the ninth does not.
    outcome = race(lambda i: propose(title=f"并发项目 {i}"), THREADS)
    results, errors = outcome.results, outcome.errors
    assert len(results) == 8, [repr(e) for e in errors if not isinstance(e, Conflict)][:3]
    assert len(errors) == THREADS - 8
    assert all(isinstance(e, Conflict) and e.code == "budget_exceeded" for e in errors), errors[:3]
    assert all(e.status == 409 and "30227" in str(e.message) for e in errors)
    assert Project.objects.count() == 8
    _check_invariant(line)
    line.refresh_from_db()
    assert line.committed == ESTIMATE * 8


@pytest.mark.django_db(transaction=True)
def test_forty_parallel_line_edits_lose_nothing(world, line):
    version = line.version

    def edit(i: int) -> object:
        # Every thread changes the amount (1,000,000.00 is the line's own: an edit that changes
        # nothing succeeds without a new version, and would make a second "winner").
        return budget_lines.update_line(
            actor=world.purchaser_a, line=line.pk, version=version, amount=f"{1000001 + i}.00"
        )

    outcome = race(edit, THREADS)
    results, errors = outcome.results, outcome.errors
    assert len(results) == 1, [repr(e) for e in errors if not isinstance(e, Conflict)][:3]
    assert all(isinstance(e, Conflict) for e in errors), [repr(e) for e in errors][:3]
    assert len(errors) == THREADS - 1
    line.refresh_from_db()
    assert line.budgeted_amount == results[0].budgeted_amount
    assert line.version == version + 1


@pytest.mark.django_db
def test_stale_project_edit_is_a_conflict_and_changes_nothing(propose, world):
    project = propose()
    proposals.update_project(actor=world.purchaser_a, project=project, version=project.version, title="新名称")
    with pytest.raises(Conflict):
        proposals.update_project(actor=world.purchaser_a, project=project, version=project.version, title="旧版本改")
    project.refresh_from_db()
    assert project.title == "新名称"


@pytest.mark.django_db
def test_edit_that_overcommits_the_line_is_refused(propose, world, line):
    project = propose()
    big = [
        {"description": "全年服务", "category": "operations", "unit": "年", "quantity": "1", "unit_cost": "1000000.01"}
    ]
    with pytest.raises(Conflict) as caught:
        proposals.update_project(actor=world.purchaser_a, project=project, version=project.version, cost_lines=big)
    assert caught.value.code == "budget_exceeded"
    line.refresh_from_db()
    assert line.committed == ESTIMATE
