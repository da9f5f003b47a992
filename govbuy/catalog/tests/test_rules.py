"""Pure decisions: transitions (every pair), the diff, parents and levels, the negative list."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from govbuy.catalog import rules
from govbuy.catalog.models import CatalogVersion, Filing
from govbuy.core.errors import TransitionRefused, ValidationFailed

V = CatalogVersion.Status
F = Filing.Status


@pytest.mark.parametrize(("before", "after"), list(itertools.product(V.values, V.values)))
def test_every_version_transition_pair(before, after):
    allowed = {(V.DRAFT, V.PUBLISHED), (V.DRAFT, V.DISCARDED), (V.PUBLISHED, V.SUPERSEDED)}
    if (before, after) in allowed:
        rules.check_version_transition(before, after)
    else:
        with pytest.raises(TransitionRefused):
            rules.check_version_transition(before, after)


@pytest.mark.parametrize(("before", "after"), list(itertools.product(F.values, F.values)))
def test_every_filing_transition_pair(before, after):
    allowed = {(F.SUBMITTED, F.ACKNOWLEDGED), (F.SUBMITTED, F.RETURNED)}
    if (before, after) in allowed:
        rules.check_filing_transition(before, after)
    else:
        with pytest.raises(TransitionRefused):
            rules.check_filing_transition(before, after)


def facts(code, parent="", level=1, name="名", en="", prio=False, gp=""):
    return rules.ItemFacts(code, parent, level, name, en, prio, gp)


def test_diff_reports_each_kind_of_change():
    old = [
        facts("A"),
        facts("B"),
        facts("A01", "A", 2, "养老"),
        facts("A02", "A", 2, "救助"),
        facts("A03", "A", 2, "就业"),
        facts("A04", "A", 2, "教育", gp="C01"),
    ]
    new = [
        facts("A"),
        facts("B"),
        facts("A01", "A", 2, "养老服务"),  # renamed
        facts("A03", "B", 2, "就业"),  # moved
        facts("A04", "A", 2, "教育", prio=True, gp="C02"),  # re-flagged and remapped
        facts("A05", "A", 2, "新增"),  # added; A02 removed
    ]
    diff = rules.diff_items(old, new)
    assert diff["counts"] == {"added": 1, "removed": 1, "renamed": 1, "moved": 1, "reflagged": 1, "remapped": 1}
    assert diff["added"][0]["code"] == "A05"
    assert diff["removed"][0]["code"] == "A02"
    assert diff["renamed"][0]["after"]["name_zh"] == "养老服务"
    assert diff["moved"][0]["before"]["parent_code"] == "A"
    assert diff["moved"][0]["after"]["parent_code"] == "B"
    assert diff["reflagged"][0] == {"code": "A04", "name_zh": "教育", "before": False, "after": True}
    assert not rules.diff_is_empty(diff)
    assert rules.diff_is_empty(rules.diff_items(new, new))


@pytest.mark.parametrize(
    ("level", "parent_level", "ok"),
    [
        (1, None, True),
        (2, 1, True),
        (3, 2, True),
        (4, 3, True),
        (5, 4, False),
        (1, 1, False),
        (2, None, False),
        (3, 1, False),
    ],
)
def test_parent_levels(level, parent_level, ok):
    assert (rules.check_parent(level=level, parent_level=parent_level) is None) is ok


@pytest.mark.parametrize(
    ("code", "ok"), [("A01", True), ("a.1-b_2", True), ("", False), ("-A", False), ("A 1", False), ("A/1", False)]
)
def test_codes(code, ok):
    assert (rules.check_code(code) is None) is ok


def test_negative_match_by_phrase():
    matters = [rules.MatterFacts("ART10-4", "融资行为", "第十条第（四）项", ("融资", "贷款"))]
    assert rules.negative_match(["项目融资服务"], matters).code == "ART10-4"
    assert rules.negative_match(["工程服务", "Financing"], matters) is None


def test_effective_dates():
    today = date(2026, 6, 1)
    rules.check_effective_from(today, today=today, previous=None, allow_past=False)
    with pytest.raises(ValidationFailed):
        rules.check_effective_from(None, today=today, previous=None, allow_past=False)
    with pytest.raises(ValidationFailed):
        rules.check_effective_from(date(2026, 5, 31), today=today, previous=None, allow_past=False)
    with pytest.raises(ValidationFailed):
        rules.check_effective_from(date(2020, 1, 1), today=today, previous=date(2021, 1, 1), allow_past=True)


def test_purchasability_decisions():
    matter = rules.MatterFacts("ART10-5", "劳务派遣", "第十条第（五）项", ("劳务派遣",))
    refused = rules.decide_purchasable(
        item_code="X", version_id=1, in_catalog=True, matter=matter, approved_outside_catalog=True
    )
    assert (refused.allowed, refused.code, refused.legal_basis) == (False, "negative_list", "第十条第（五）项")
    inside = rules.decide_purchasable(
        item_code="X", version_id=1, in_catalog=True, matter=None, approved_outside_catalog=False
    )
    assert (inside.allowed, inside.code) == (True, "in_catalog")
    outside = rules.decide_purchasable(
        item_code="X", version_id=1, in_catalog=False, matter=None, approved_outside_catalog=False
    )
    assert (outside.allowed, outside.needs_approval, outside.code) == (False, True, "outside_catalog")
    approved = rules.decide_purchasable(
        item_code="X", version_id=1, in_catalog=False, matter=None, approved_outside_catalog=True
    )
    assert (approved.allowed, approved.code) == (True, "approved_outside_catalog")
