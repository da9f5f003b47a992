"""Fixtures for planning: a district catalog of the other district, purchaser A's in-house line,
purchaser B's budget, and a recorder in place of the publication handlers. The city catalog,
purchaser A's budget and line and `propose` come from tests/builders/."""

from __future__ import annotations

import pytest

from govbuy.core import publication
from govbuy.planning.services import budget_lines
from tests.builders.planning import YEAR, publish_catalog


@pytest.fixture
def other_region_item(world, catalog):
    version = publish_catalog(
        world.district_b,
        [("A", "", "基本公共服务", ""), ("A05", "A", "养老服务", ""), ("A05-CY1", "A05", "朝阳区老年餐桌服务", "")],
        title="朝阳区目录",
    )
    return version.items.get(code="A05-CY1")


@pytest.fixture
def inhouse(budget):
    return budget.lines.get(code="30199")


@pytest.fixture
def budget_b(world):
    budget = budget_lines.create_budget(actor=world.purchaser_b, purchaser=world.purchaser_b_org, fiscal_year=YEAR)
    budget_lines.add_line(actor=world.purchaser_b, budget=budget, code="30227", name="委托业务费", amount="800000.00")
    return budget


@pytest.fixture
def announcements(monkeypatch):
    """The announcements made, instead of the disclosure app's handler (tested by disclosure)."""
    seen: list[publication.Announcement] = []
    monkeypatch.setattr(publication, "_handlers", [(0, seen.append)])
    return seen
