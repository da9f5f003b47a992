"""Planning stages of the one test builder (tests/builders/): a published catalog, a budget and
an approved (or planned) project of purchaser A, all through the real services. Each stage is
one call; the fixtures at the end wrap the same calls and are registered for every test by
`pytest_plugins` in the root conftest.py, so no app re-exports another app's fixtures.

The builder lives above the apps (outside `govbuy`, so outside the import-linter layers): any
app's tests may use it, and it may use every app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from govbuy.catalog.services import draft_items as catalog_draft_items
from govbuy.catalog.services import versions as catalog_versions
from govbuy.planning.services import annual_plans, budget_lines, proposals, reviews

YEAR = 2027
TARGETS = [
    {"family": "quantity", "name": "服务人次", "direction": "at_least", "target_value": "1200", "unit": "人次"},
    {"family": "quality", "name": "服务合格率", "direction": "at_least", "target_value": "95", "unit": "%"},
    {"family": "timeliness", "name": "响应时间", "direction": "at_most", "target_value": "24", "unit": "小时"},
    {"family": "cost", "name": "人均成本", "direction": "at_most", "target_value": "150", "unit": "元"},
    {"family": "satisfaction", "name": "服务对象满意度", "direction": "at_least", "target_value": "90", "unit": "%"},
]
COSTS = [
    {"description": "上门助老服务", "category": "personnel", "unit": "人次", "quantity": "1200", "unit_cost": "80.00"},
    {"description": "服务管理", "category": "management", "unit": "月", "quantity": "12", "unit_cost": "2000.00"},
]
ESTIMATE = Decimal("120000.00")  # 1200 × 80 + 12 × 2000
PURCHASE_LINE = "30227"
CITY_ITEMS = [
    ("A", "", "基本公共服务", ""),
    ("A05", "A", "养老服务", ""),
    ("A05-01", "A05", "居家养老上门服务", "C08140101"),
    ("A05-02", "A05", "社区老年人助餐服务", ""),
]


# --- Planning: a published catalog, a budget, an approved project ------------------------------


def publish_catalog(region: Any, items: list[tuple[str, str, str, str]], *, title: str = "测试目录") -> Any:
    """A published catalog version of `items` (code, parent code, Chinese name, procurement code)."""
    draft = catalog_versions.create_draft(actor=None, region=region, title_zh=title, empty=True)
    for code, parent, name, procurement in items:
        draft.refresh_from_db()
        catalog_draft_items.add_item(
            actor=None,
            catalog=draft,
            version=draft.version,
            code=code,
            parent_code=parent,
            name_zh=name,
            procurement_code=procurement,
        )
    draft.refresh_from_db()
    return catalog_versions.publish_version(
        actor=None, catalog=draft, version=draft.version, effective_from=dt.date(2020, 1, 1)
    )


def city_catalog(world: Any) -> dict[str, Any]:
    """The city's small published catalog, its items by code."""
    return {item.code: item for item in publish_catalog(world.city, CITY_ITEMS).items.all()}


def purchase_budget(world: Any) -> Any:
    """Purchaser A's 2027 budget: a purchase line (30227) and an in-house line (30199)."""
    budget = budget_lines.create_budget(actor=world.purchaser_a, purchaser=world.purchaser_a_org, fiscal_year=YEAR)
    budget_lines.add_line(
        actor=world.purchaser_a, budget=budget, code=PURCHASE_LINE, name="委托业务费", amount="1000000.00"
    )
    budget_lines.add_line(
        actor=world.purchaser_a, budget=budget, code="30199", name="其他工资福利支出", amount="500000.00"
    )
    return budget


def proposer(world: Any, catalog: dict[str, Any], line: Any) -> Callable[..., Any]:
    """`propose(**overrides)`: a valid project of purchaser A on the line, as a draft."""

    def propose(**overrides: Any) -> Any:
        kwargs = {
            "actor": world.purchaser_a,
            "purchaser": world.purchaser_a_org,
            "budget_line": line,
            "title": "东城区居家养老上门服务",
            "catalog_item": catalog["A05-01"],
            "service_description": "为辖区失能、高龄老人提供上门助洁、助浴、助医服务。",
            "beneficiaries": "东城区80岁以上及失能老年人",
            "period_start": dt.date(YEAR, 1, 1),
            "period_end": dt.date(YEAR, 12, 31),
            "suggested_method": "public_tender",
            "cost_lines": COSTS,
            "targets": TARGETS,
        }
        kwargs.update(overrides)
        return proposals.propose_project(**kwargs)

    return propose


def advance(project: Any, world: Any, *, to: str) -> Any:
    """Walk a project along the happy path up to `to` (submitted, under_review, approved)."""
    steps = {
        "submitted": lambda p: reviews.submit_project(actor=world.purchaser_a, project=p, version=p.version),
        "under_review": lambda p: reviews.start_review(actor=world.district_finance_a, project=p, version=p.version),
        "approved": lambda p: reviews.approve_project(actor=world.district_finance_a, project=p, version=p.version),
    }
    for state in ("submitted", "under_review", "approved"):
        project.refresh_from_db()
        if project.is_conversion and state == "approved" and project.staffing_review == "pending":
            reviews.confirm_staffing(actor=world.staffing, project=project, version=project.version)
            project.refresh_from_db()
        project = steps[state](project)
        if state == to:
            break
    project.refresh_from_db()
    return project


def approved_project(world: Any, propose: Callable[..., Any] | None = None, **overrides: Any) -> Any:
    """An approved project of purchaser A (with the catalog and budget it needs, unless `propose`
    already stands on them)."""
    if propose is None:
        propose = proposer(world, city_catalog(world), purchase_budget(world).lines.get(code=PURCHASE_LINE))
    return advance(propose(**overrides), world, to="approved")


def planned_project(world: Any, project: Any) -> Any:
    """The project after purchaser A's annual plan for its year is published."""
    annual_plans.publish_plan(actor=world.purchaser_a, purchaser=world.purchaser_a_org, fiscal_year=YEAR)
    project.refresh_from_db()
    return project


# --- Fixtures (registered for every test by the root conftest) ---------------------------------


@pytest.fixture
def catalog(world):
    return city_catalog(world)


@pytest.fixture
def budget(world):
    return purchase_budget(world)


@pytest.fixture
def line(budget):
    return budget.lines.get(code=PURCHASE_LINE)


@pytest.fixture
def propose(world, catalog, line):
    return proposer(world, catalog, line)


@pytest.fixture
def approved(world, propose):
    return approved_project(world, propose)


@pytest.fixture
def planned(world, approved):
    return planned_project(world, approved)
