"""R2: whatever the sequence of proposals, edits, withdrawals, conversions and line changes, every
line's `committed` equals the estimates of its live projects and never exceeds what it holds, and
money is only moved, never made: Σ amounts = Σ budgeted."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govbuy.core.errors import DomainError
from govbuy.planning.models import Budget, BudgetLine, Project, Transfer
from govbuy.planning.services import budget_lines, proposals, reviews
from tests.builders.planning import TARGETS, YEAR

operations = st.lists(
    st.tuples(
        st.sampled_from(["propose", "convert", "edit", "withdraw", "resize"]),
        st.integers(min_value=1, max_value=400),  # thousands of yuan
        st.integers(min_value=0, max_value=9),
    ),
    min_size=1,
    max_size=12,
)


def _costs(thousands: int) -> list[dict[str, str]]:
    return [
        {"description": "服务", "category": "operations", "unit": "项", "quantity": "1", "unit_cost": f"{thousands}000"}
    ]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_lines_hold_their_invariants_under_any_sequence(world, catalog, ops):
    # Each example starts from an empty budget (the database is shared by the examples).
    Transfer.objects.all().delete()
    Project.objects.all().delete()
    BudgetLine.objects.all().delete()
    Budget.objects.all().delete()
    budget = budget_lines.create_budget(actor=None, purchaser=world.purchaser_a_org, fiscal_year=YEAR)
    lines = [
        budget_lines.add_line(actor=None, budget=budget, code=code, name=code, amount="1000000")
        for code in ("30227", "30199", "30299")
    ]
    actor = world.purchaser_a
    for kind, thousands, pick in ops:
        try:
            if kind in ("propose", "convert"):
                conversion = None
                if kind == "convert":
                    conversion = proposals.ConversionInput(
                        source_line=lines[1], amount=f"{thousands}000", former_service="原在编人员承担"
                    )
                proposals.propose_project(
                    actor=actor,
                    purchaser=world.purchaser_a_org,
                    budget_line=lines[pick % 3 if kind == "propose" else 0],
                    title="服务项目",
                    catalog_item=catalog["A05-01"],
                    service_description="说明",
                    beneficiaries="居民",
                    period_start=datetime.date(YEAR, 1, 1),
                    period_end=datetime.date(YEAR, 12, 31),
                    suggested_method="public_tender",
                    cost_lines=_costs(thousands),
                    targets=TARGETS,
                    conversion=conversion,
                )
            live = list(Project.objects.filter(status="draft").order_by("pk"))
            if kind == "edit" and live:
                project = live[pick % len(live)]
                proposals.update_project(
                    actor=actor, project=project, version=project.version, cost_lines=_costs(thousands)
                )
            if kind == "withdraw" and live:
                project = live[pick % len(live)]
                reviews.withdraw_project(actor=actor, project=project, version=project.version)
            if kind == "resize":
                line = BudgetLine.objects.get(pk=lines[pick % 3].pk)
                budget_lines.update_line(actor=actor, line=line, version=line.version, amount=f"{thousands * 5}000")
        except DomainError:
            pass
        for line in BudgetLine.objects.filter(budget=budget):
            live_total = sum(
                (
                    p.estimate
                    for p in Project.objects.filter(budget_line=line).exclude(status__in=["withdrawn", "cancelled"])
                ),
                Decimal("0.00"),
            )
            assert line.committed == live_total
            assert 0 <= line.committed <= line.amount
        rows = list(BudgetLine.objects.filter(budget=budget))
        assert sum(r.amount for r in rows) == sum(r.budgeted_amount for r in rows)
