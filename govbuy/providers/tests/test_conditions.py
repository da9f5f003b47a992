"""Project conditions: discriminatory patterns flagged (Chinese and English, Traditional too), the
finance bureau's approval and rejection, and the pattern table as editable data."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from govbuy.accounts.testing import force_login_verified
from govbuy.audit.models import AuditEvent
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.providers import rules, selectors
from govbuy.providers.models import ConditionPattern, ProjectCondition
from govbuy.providers.services import project_conditions

pytestmark = pytest.mark.django_db


def create(world, text, requirement="为辖区老年人提供上门助浴服务", user="purchaser_a", org="purchaser_a_org"):
    return project_conditions.create_condition(
        actor=world.users[user],
        purchaser=world.orgs[org],
        project_reference="2027 居家养老",
        text=text,
        service_requirement=requirement,
    )


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("投标人须在本市注册", "registration_place"),
        ("注册地须为东城区", "registration_place"),
        ("投標人須為本地註冊企業", "registration_place"),
        ("Bidders must be registered in Beijing", "registration_place"),
        ("投标人须为国有企业", "ownership"),
        ("Only state-owned enterprises may bid", "ownership"),
        ("注册资本不低于500万元", "size_capital"),
        ("Registered capital of at least 5 million yuan", "size_capital"),
        ("成立年限不少于十年", "years_in_business"),
        ("须成立满5年", "years_in_business"),
        ("须成立10年以上", "years_in_business"),
        ("The bidder must have been established for at least 10 years", "years_in_business"),
        ("须使用某某品牌助浴设备", "brand"),
        ("Equipment of brand X only", "brand"),
        ("曾与本单位合作的机构优先", "past_contracts"),
        ("曾與本單位合作者優先", "past_contracts"),
        ("Bidders with past contracts with this bureau", "past_contracts"),
    ],
)
def test_discriminatory_conditions_are_flagged(world, text, category):
    condition = create(world, text)
    assert condition.status == "pending_approval"
    assert category in {f["category"] for f in condition.flags}
    assert AuditEvent.objects.filter(action="providers.condition.flagged").exists()


@pytest.mark.parametrize(
    "text",
    [
        "服务人员须持有养老护理员职业资格证书",
        "Staff must hold a valid elderly-care worker certificate",
        "须配备至少2名持证社会工作师",
        "Brandy is not served",  # whole words only: "brand" is not "brandy"
    ],
)
def test_service_related_conditions_are_in_force(world, text):
    condition = create(world, text)
    assert condition.status == "in_force"
    assert condition.flags == []


def test_condition_must_name_the_service_requirement(world):
    with pytest.raises(ValidationFailed) as caught:
        create(world, "须持证", requirement="  ")
    assert "service_requirement" in caught.value.fields


def test_finance_approves_flagged_and_rejects_any(world):
    flagged = create(world, "注册资本不低于500万元")
    with pytest.raises(PermissionRefused):
        project_conditions.decide_condition(actor=world.purchaser_a, condition=flagged, version=1, decision="approved")
    with pytest.raises(NotFound):
        project_conditions.decide_condition(
            actor=world.district_finance_b, condition=flagged, version=1, decision="approved"
        )
    approved = project_conditions.decide_condition(
        actor=world.district_finance_a, condition=flagged, version=1, decision="approved", reason="大型项目需要"
    )
    assert approved.status == "approved"
    plain = create(world, "须配备持证社工")
    with pytest.raises(ValidationFailed):
        project_conditions.decide_condition(actor=world.city_finance, condition=plain, version=1, decision="rejected")
    rejected = project_conditions.decide_condition(
        actor=world.city_finance, condition=plain, version=1, decision="rejected", reason="与服务无关"
    )
    assert rejected.status == "rejected"
    with pytest.raises(TransitionRefused):
        project_conditions.decide_condition(
            actor=world.city_finance, condition=rejected, version=2, decision="approved"
        )
    in_force = {c.pk for c in selectors.conditions_in_force(world.purchaser_a_org.pk, "2027 居家养老")}
    assert in_force == {approved.pk}


def test_stale_decision_is_a_conflict(world):
    flagged = create(world, "须为国有企业")
    project_conditions.decide_condition(actor=world.city_finance, condition=flagged, version=1, decision="approved")
    with pytest.raises(Conflict):
        project_conditions.decide_condition(
            actor=world.city_finance, condition=flagged, version=1, decision="rejected", reason="x"
        )


def test_other_purchasers_do_not_see_or_set_conditions(world):
    condition = create(world, "须持证")
    with pytest.raises(NotFound):
        create(world, "x", user="purchaser_b", org="purchaser_a_org")
    assert condition not in selectors.visible_conditions(world.purchaser_b)
    with pytest.raises(PermissionRefused):
        create(world, "x", user="provider_a", org="provider_a_org")


def test_withdraw(world):
    condition = create(world, "须持证")
    with pytest.raises(NotFound):
        project_conditions.withdraw_condition(actor=world.purchaser_b, condition=condition, version=1)
    withdrawn = project_conditions.withdraw_condition(actor=world.purchaser_a, condition=condition, version=1)
    assert withdrawn.status == "withdrawn"


def test_pattern_table_is_editable_data(world):
    text = "投标人须有ISO9001认证"
    assert create(world, text).status == "in_force"
    with pytest.raises(PermissionRefused):
        project_conditions.create_pattern(
            actor=world.district_finance_a,
            code="cert",
            category="other",
            label_zh="认证",
            label_en="Cert",
            phrases="ISO9001",
        )
    pattern = project_conditions.create_pattern(
        actor=world.city_finance,
        code="certification",
        category="other",
        label_zh="特定认证",
        label_en="Specific certification",
        phrases="ISO*认证\nISO 9001",
    )
    assert create(world, text).status == "pending_approval"
    project_conditions.update_pattern(actor=world.city_finance, pattern=pattern, version=1, is_active=False)
    assert create(world, text).status == "in_force"
    with pytest.raises(Conflict):
        project_conditions.update_pattern(actor=world.city_finance, pattern=pattern, version=1, is_active=True)
    with pytest.raises(ValidationFailed):
        project_conditions.update_pattern(actor=world.city_finance, pattern=pattern, version=2, phrases="  \n ")
    assert AuditEvent.objects.filter(action="providers.pattern.updated").count() == 1


def test_seeded_table_covers_every_category():
    categories = set(ConditionPattern.objects.values_list("category", flat=True))
    assert categories >= {
        "registration_place",
        "ownership",
        "size_capital",
        "years_in_business",
        "brand",
        "past_contracts",
    }


def test_phrases_are_literal_so_patterns_cannot_be_regex_bombs():
    compiled = rules.compile_phrase("(a+)+$")
    assert compiled.search("(a+)+$")
    assert not compiled.search("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab")


def test_condition_pages(world):
    flagged = create(world, "注册地须为本区")
    purchaser = force_login_verified(Client(), world.purchaser_a)
    assert purchaser.get(reverse("providers:conditions")).status_code == 200
    body = purchaser.get(reverse("providers:condition", args=[flagged.pk])).content.decode()
    assert "condition-flags" in body
    assert "condition-decision" not in body
    from django.test import RequestFactory

    from govbuy.providers import home

    request = RequestFactory().get("/")
    request.user = world.district_finance_a
    assert [item["url"] for item in home.conditions_section(request)["items"]] == [
        reverse("providers:condition", args=[flagged.pk])
    ]
    request.user = world.district_finance_b
    assert home.conditions_section(request)["items"] == []
    finance = force_login_verified(Client(), world.district_finance_a)
    response = finance.post(
        reverse("providers:condition_decide", args=[flagged.pk]),
        {"version": 1, "decision": "rejected", "reason": "无关"},
    )
    assert response.status_code == 302
    assert ProjectCondition.objects.get().status == "rejected"
    for persona in ("purchaser_b", "provider_a", "outsider", "district_finance_b"):
        client = force_login_verified(Client(), world.users[persona])
        assert client.get(reverse("providers:condition", args=[flagged.pk])).status_code == 404, persona


def test_condition_list_query_count(world, django_assert_num_queries):
    create(world, "须持证")
    client = force_login_verified(Client(), world.purchaser_a)
    client.get(reverse("providers:conditions"))
    with django_assert_num_queries(7):
        client.get(reverse("providers:conditions"))
    for i in range(10):
        create(world, f"须持证{i}")
    with django_assert_num_queries(7):
        client.get(reverse("providers:conditions"))


def test_create_condition_through_the_page(world):
    client = force_login_verified(Client(), world.purchaser_a)
    response = client.post(
        reverse("providers:conditions"),
        {
            "purchaser": world.purchaser_a_org.pk,
            "project_reference": "P1",
            "text": "须为本地企业",
            "service_requirement": "上门服务",
        },
    )
    assert response.status_code == 302
    assert ProjectCondition.objects.get().status == "pending_approval"
