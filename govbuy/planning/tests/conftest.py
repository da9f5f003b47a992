"""Fixtures for planning: a small published city catalog, a district catalog of the other
district, a 2027 budget for purchaser A with a purchase line and an in-house line, a factory for
valid projects, and a recorder in place of the publication handlers."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from govbuy.catalog.services import draft_items as catalog_draft_items
from govbuy.catalog.services import versions as catalog_versions
from govbuy.core import publication
from govbuy.planning.services import budget_lines, proposals, reviews

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


def publish_catalog(region, items, *, title="测试目录"):
    draft = catalog_versions.create_draft(actor=None, region=region, title_zh=title, empty=True)
    for code, parent, level_name, procurement in items:
        draft.refresh_from_db()
        catalog_draft_items.add_item(
            actor=None,
            catalog=draft,
            version=draft.version,
            code=code,
            parent_code=parent,
            name_zh=level_name,
            procurement_code=procurement,
        )
    draft.refresh_from_db()
    return catalog_versions.publish_version(
        actor=None, catalog=draft, version=draft.version, effective_from=datetime.date(2020, 1, 1)
    )


@pytest.fixture
def catalog(world):
    version = publish_catalog(
        world.city,
        [
            ("A", "", "基本公共服务", ""),
            ("A05", "A", "养老服务", ""),
            ("A05-01", "A05", "居家养老上门服务", "C08140101"),
            ("A05-02", "A05", "社区老年人助餐服务", ""),
        ],
    )
    return {item.code: item for item in version.items.all()}


@pytest.fixture
def other_region_item(world, catalog):
    version = publish_catalog(
        world.district_b,
        [("A", "", "基本公共服务", ""), ("A05", "A", "养老服务", ""), ("A05-CY1", "A05", "朝阳区老年餐桌服务", "")],
        title="朝阳区目录",
    )
    return version.items.get(code="A05-CY1")


@pytest.fixture
def budget(world):
    budget = budget_lines.create_budget(actor=world.purchaser_a, purchaser=world.purchaser_a_org, fiscal_year=YEAR)
    budget_lines.add_line(actor=world.purchaser_a, budget=budget, code="30227", name="委托业务费", amount="1000000.00")
    budget_lines.add_line(
        actor=world.purchaser_a, budget=budget, code="30199", name="其他工资福利支出", amount="500000.00"
    )
    return budget


@pytest.fixture
def line(budget):
    return budget.lines.get(code="30227")


@pytest.fixture
def inhouse(budget):
    return budget.lines.get(code="30199")


@pytest.fixture
def budget_b(world):
    budget = budget_lines.create_budget(actor=world.purchaser_b, purchaser=world.purchaser_b_org, fiscal_year=YEAR)
    budget_lines.add_line(actor=world.purchaser_b, budget=budget, code="30227", name="委托业务费", amount="800000.00")
    return budget


@pytest.fixture
def propose(world, catalog, line):
    def _propose(**overrides):
        kwargs = {
            "actor": world.purchaser_a,
            "purchaser": world.purchaser_a_org,
            "budget_line": line,
            "title": "东城区居家养老上门服务",
            "catalog_item": catalog["A05-01"],
            "service_description": "为辖区失能、高龄老人提供上门助洁、助浴、助医服务。",
            "beneficiaries": "东城区80岁以上及失能老年人",
            "period_start": datetime.date(YEAR, 1, 1),
            "period_end": datetime.date(YEAR, 12, 31),
            "suggested_method": "public_tender",
            "cost_lines": COSTS,
            "targets": TARGETS,
        }
        kwargs.update(overrides)
        return proposals.propose_project(**kwargs)

    return _propose


@pytest.fixture
def announcements(monkeypatch):
    """The announcements made, instead of the disclosure app's handler (tested by disclosure)."""
    seen: list[publication.Announcement] = []
    monkeypatch.setattr(publication, "_handlers", [(0, seen.append)])
    return seen


def advance(project, world, *, to: str):
    """Walk a project along the happy path up to `to`."""
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
