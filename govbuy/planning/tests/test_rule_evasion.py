"""Rules that could be evaded by writing around them: the negative list (Order 102 Art. 10) is
matched on normalised text of the title, the outside-catalog name and the description, and its
near-misses reach the finance review with their reason; split purchases (Law Art. 28, Reg. Art. 28)
are found by normalised names and descriptions, not only by the catalog item."""

from __future__ import annotations

import pytest

from govbuy.catalog import rules as catalog_rules
from govbuy.catalog import selectors as catalog_selectors
from govbuy.core.errors import ValidationFailed
from govbuy.planning.services import budget_lines, proposals
from tests.builders.planning import advance

pytestmark = pytest.mark.django_db

ZWSP, RLO, WJ = "\u200b", "\u202e", "\u2060"


def _outside(propose, **overrides):
    kwargs = {"catalog_item": None, "outside_catalog_name": "社区文化活动组织", "title": "社区文化活动组织"}
    kwargs.update(overrides)
    return propose(**kwargs)


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("title", f"街道勞{ZWSP}務派遣人员"),  # Traditional, zero-width space inside
        ("title", f"劳务{RLO}派遣"),  # a bidi override inside
        ("title", f"劳{WJ}务派遣服务"),
        ("title", "ＸＸ街道公務接待服务"),  # full-width letters, Traditional
        ("title", "办公楼大型修繕"),
        ("title", "服务中心装修工程"),
        ("title", "道路工程施工"),
        ("outside_catalog_name", "社区劳务派遣"),
        ("service_description", "本项目以勞務派遣方式向街道提供窗口人员。"),
        ("service_description", "委托承接主体负责办公楼的大型修缮。"),
    ],
)
def test_the_negative_list_is_matched_on_normalised_text(propose, field, text):
    overrides = {"catalog_item": None, "outside_catalog_name": "社区服务", field: text}
    with pytest.raises(ValidationFailed) as caught:
        propose(**overrides)
    assert caught.value.code == "negative_list"
    assert field in caught.value.fields
    assert "第十条" in str(caught.value.message)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("社区劳务 派遣服务", "spacing"),
        ("社区劳务·派遣服务", "spacing"),
        ("劳务人员派遣管理", "variant"),
        ("办公用房装修改造工程", "variant"),
    ],
)
def test_near_misses_go_to_the_finance_review_with_their_reason(propose, world, text, kind):
    project = _outside(propose, title=text)
    assert project.negative_flag is True
    assert [d["kind"] for d in project.negative_details] == [kind]
    assert project.negative_details[0]["reason"]
    project = advance(project, world, to="submitted")
    assert project.negative_flag is True
    # The finance bureau sees it on the project page and in its to-do list on the home page.
    from django.test import Client

    from govbuy.accounts.testing import force_login_verified

    finance = force_login_verified(Client(), world.district_finance_a)
    page = finance.get(f"/planning/projects/{project.pk}/").content.decode()
    assert 'id="negative-flag"' in page
    assert project.negative_details[0]["term"] in page


def test_a_description_that_rules_the_matter_out_is_reviewed_not_refused(propose):
    project = _outside(propose, service_description="组织社区文化活动，不涉及劳务派遣，不含工程施工。")
    assert sorted(d["kind"] for d in project.negative_details) == ["negated", "negated"]


def test_editing_into_the_negative_list_is_refused_and_out_of_it_clears_the_doubt(propose, world):
    project = _outside(propose, title="社区劳务 派遣服务")
    assert project.negative_flag
    with pytest.raises(ValidationFailed):
        proposals.update_project(
            actor=world.purchaser_a, project=project, version=project.version, service_description="以劳务派遣方式"
        )
    project.refresh_from_db()
    project = proposals.update_project(
        actor=world.purchaser_a, project=project, version=project.version, title="社区文化活动组织"
    )
    assert (project.negative_flag, project.negative_details) == (False, [])


def test_the_term_table_has_the_terms_and_their_legal_bases():
    facts = {m.code: m for m in catalog_selectors.matter_facts()}
    for code, term in [
        ("ART10-2", "公务接待"),
        ("ART10-3", "大型修缮"),
        ("ART10-3", "装修工程"),
        ("ART10-3", "工程施工"),
        ("ART10-5", "劳务派遣"),
    ]:
        assert term in facts[code].terms, (code, term)
        assert "财政部令第102号" in facts[code].legal_basis_zh


def test_catalog_items_are_matched_the_same_way():
    matters = catalog_selectors.matter_facts()
    assert catalog_rules.negative_match([f"勞{ZWSP}務派遣"], matters, simplify=catalog_selectors.to_simplified)
    assert catalog_rules.negative_match(["社区文化活动组织"], matters) is None


# --- Split purchases ------------------------------------------------------------------------------


@pytest.fixture
def threshold(world):
    budget_lines.set_threshold(actor=world.city_finance, region=world.city, amount="200000.00", source="测试")


def _costs(amount: str):
    return [{"description": "活动组织", "category": "operations", "unit": "年", "quantity": "1", "unit_cost": amount}]


MONTHLY = "每月组织社区居民开展文艺演出、读书会和手工活动"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"outside_catalog_name": "社区文化活动组织"}, {"outside_catalog_name": "社区文化活动组织服务"}),
        ({"outside_catalog_name": "社區文化活動組織"}, {"outside_catalog_name": "社区文化活动 组织"}),
        ({"outside_catalog_name": "社区文化活动组织（一期）"}, {"outside_catalog_name": "社区文化活动组织（二期）"}),
        (
            {"outside_catalog_name": "社区文化活动组织", "title": "社区文化活动组织"},
            {"outside_catalog_name": "街道群众文艺汇演", "title": "2027年社区文化活动组织项目"},
        ),
        (
            {
                "outside_catalog_name": "社区文化活动",
                "service_description": "每月组织社区居民开展文艺演出、读书会和手工活动。",
            },
            {
                "outside_catalog_name": "邻里节",
                "service_description": "每月组织社区居民开展文艺演出、读书会和手工活动！",
            },
        ),
    ],
    ids=["suffix", "traditional-and-space", "phases", "title", "description"],
)
def test_split_purchases_are_found_by_normalised_names_and_descriptions(propose, world, threshold, first, second):
    base = {
        "catalog_item": None,
        "title": "社区活动",
        "service_description": "组织活动。",
        "cost_lines": _costs("150000.00"),
    }
    one = propose(**{**base, "title": first.get("title", "甲项目"), **first})
    two = propose(**{**base, "title": second.get("title", "乙项目"), **second})
    two = advance(two, world, to="submitted")
    assert two.split_flag is True, two.split_details
    assert two.split_details["total"] == "300000.00"
    assert sorted(two.split_details["projects"]) == sorted([one.reference, two.reference])


def test_different_services_are_not_a_split(propose, world, threshold):
    base = {"catalog_item": None, "cost_lines": _costs("150000.00")}
    propose(
        **base, outside_catalog_name="社区文化活动组织", title="社区文化活动组织", service_description="组织文艺演出。"
    )
    two = propose(
        **base,
        outside_catalog_name="老旧小区物业托管",
        title="老旧小区物业托管",
        service_description="小区保洁与秩序维护。",
    )
    two = advance(two, world, to="submitted")
    assert two.split_flag is False
