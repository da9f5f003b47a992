"""The catalog decides what may be bought: a negative-list matter is refused with the rule that
forbids it; a service outside the catalog needs the finance bureau's approval."""

from __future__ import annotations

import pytest
from django.utils import translation

from govbuy.core.errors import ValidationFailed
from govbuy.planning.models import Project
from govbuy.planning.services import reviews
from tests.builders.planning import advance


def test_negative_list_matter_is_refused_with_its_rule(propose):
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as caught:
        propose(catalog_item=None, outside_catalog_name="窗口劳务派遣人员服务", title="窗口人员劳务派遣")
    assert caught.value.code == "negative_list"
    message = str(caught.value.message)
    assert "负面清单" in message or "negative list" in message
    # The rule that forbids it: Order 102 Art. 10 (5).
    assert "财政部令第102号" in message
    assert "第十条第（五）项" in message
    assert Project.objects.count() == 0


def test_negative_list_refusal_names_the_rule_in_english(propose):
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        propose(title="为项目提供融资服务")
    assert "negative list" in str(caught.value.message)
    assert "第十条第（四）项" in str(caught.value.message)


def test_in_catalog_item_passes_the_check(propose):
    assert propose().purchasability == "in_catalog"


def test_outside_catalog_needs_the_finance_bureaus_approval(propose, world):
    project = propose(catalog_item=None, outside_catalog_name="社区心理疏导服务")
    assert project.purchasability == "outside_catalog"
    project = advance(project, world, to="under_review")
    with pytest.raises(ValidationFailed) as caught:
        reviews.approve_project(actor=world.district_finance_a, project=project, version=project.version)
    assert caught.value.code == "outside_catalog_unconfirmed"
    approved = reviews.approve_project(
        actor=world.district_finance_a, project=project, version=project.version, approve_outside_catalog=True
    )
    assert approved.status == "approved"
    assert approved.outside_catalog_approved is True
    assert approved.purchasability == "approved_outside_catalog"


def test_an_item_name_or_title_is_required(propose):
    with pytest.raises(ValidationFailed) as caught:
        propose(catalog_item=None, outside_catalog_name="")
    assert caught.value.code == "item_required"
