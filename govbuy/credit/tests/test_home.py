"""Home sections: providers see facts to answer, finance bureaus see objections and lists to
refresh, purchasers see a bidder of theirs newly banned."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import RequestFactory
from django.utils import timezone

from govbuy.credit import home
from govbuy.credit.models import CreditFact
from govbuy.credit.services import bans, objections
from govbuy.procurement.services import bids

from .conftest import report

pytestmark = pytest.mark.django_db


def request_for(user):
    request = RequestFactory().get("/workspace/")
    request.user = user
    return request


def test_each_role_sees_what_waits_for_it(world, published, providers):
    org = world.provider_a_org
    report("performance.grade_poor", org)
    provider_items = home.provider_section(request_for(world.provider_a))["items"]
    assert len(provider_items) == 1
    authority = home.authority_section(request_for(world.city_finance))
    assert sum("List to refresh" in str(i["label"]) for i in authority["items"]) == 3
    objections.file_objection(actor=world.provider_a, fact=CreditFact.objects.get(), text="不服")
    authority = home.authority_section(request_for(world.city_finance))
    assert any("Objection" in str(i["label"]) for i in authority["items"])
    assert home.provider_section(request_for(world.provider_a)) is None
    assert home.purchaser_section(request_for(world.purchaser_a)) is None
    bids.submit_bid(actor=world.provider_a, tender=published, provider=org, price="100.00")
    today = timezone.localdate()
    bans.decide_ban(
        actor=world.city_finance,
        provider=org,
        starts_on=today,
        ends_on=today + dt.timedelta(days=400),
        facts="串通投标",
        penalty="一年内禁止参加政府采购活动",
        legal_basis="《政府采购法》第七十七条",
        decision_number="京财采处〔2026〕5号",
    )
    purchaser = home.purchaser_section(request_for(world.purchaser_a))
    assert org.name_zh in purchaser["items"][0]["label"]
    assert "a winner of yours" not in purchaser["items"][0]["label"]
    assert home.purchaser_section(request_for(world.purchaser_b)) is None
    assert home.authority_section(request_for(world.outsider)) is None


def test_a_winner_newly_banned_is_named_as_a_winner(world, published, providers):
    from tests.builders.procurement import awarded_tender

    award = awarded_tender(world, published).award
    today = timezone.localdate()
    bans.decide_ban(
        actor=world.city_finance,
        provider=award.provider,
        starts_on=today,
        ends_on=today + dt.timedelta(days=400),
        facts="提供虚假材料谋取中标",
        penalty="一年内禁止参加政府采购活动",
        legal_basis="《政府采购法》第七十七条",
        decision_number="京财采处〔2026〕6号",
    )
    [item] = home.purchaser_section(request_for(world.purchaser_a))["items"]
    assert award.provider.name_zh in item["label"]
    assert "a winner of yours" in item["label"]
