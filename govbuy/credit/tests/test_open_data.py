"""The serious-violation list as OCDS-friendly JSON beside the xlsx: each banned provider as an
OCDS Organization (CN-USCC identifier, name, address) with the violation, its period, legal basis
and deciding authority in `details`; same filters as the page; a cached public page that a new
or lifted ban refreshes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from govbuy.core import pagecache
from govbuy.credit.services import bans
from govbuy.providers.services import restrictions
from tests.builders.procurement import verified_profile

pytestmark = pytest.mark.django_db


def ban(world, org, number="京财采处〔2026〕9号", *, starts_ago=0, days=400):
    start = timezone.localdate() - dt.timedelta(days=starts_ago)
    return bans.decide_ban(
        actor=world.city_finance,
        provider=org,
        starts_on=start,
        ends_on=start + dt.timedelta(days=days),
        facts="提供虚假材料谋取中标",
        penalty="一年内禁止参加政府采购活动",
        legal_basis="《政府采购法》第七十七条",
        decision_number=number,
    )


def test_the_json_has_the_national_list_fields_as_ocds_parties(world, provider):
    decided = ban(world, provider)
    page = Client().get(reverse("credit_public:bans")).content.decode()
    assert f'href="{reverse("credit_public:ocds")}?q=&amp;state="' in page
    response = Client().get(reverse("credit_public:ocds"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert data["publisher"]["scheme"] == "CN-USCC"
    [party] = data["parties"]
    assert party["id"] == f"CN-USCC-{provider.uscc}"
    assert party["identifier"] == {"scheme": "CN-USCC", "id": provider.uscc, "legalName": provider.name_zh}
    assert party["name"] == provider.name_zh
    assert party["address"]["streetAddress"] == decided.address
    violation = party["details"]["seriousViolation"]
    assert violation["status"] == "active"
    assert violation["facts"] == "提供虚假材料谋取中标"
    assert violation["legalBasis"] == "《政府采购法》第七十七条"
    assert violation["decisionNumber"] == "京财采处〔2026〕9号"
    assert violation["period"]["startDate"] == f"{decided.starts_on.isoformat()}T00:00:00+08:00"
    assert violation["period"]["endDate"] == f"{decided.ends_on.isoformat()}T23:59:59+08:00"
    assert violation["authority"]["name"] == world.city_finance_org.name_zh


def test_the_json_takes_the_page_filters_and_marks_ended_bans(world, provider):
    ban(world, provider, starts_ago=500, days=400)
    verified_profile(world, "provider_b_org", "provider_b", serial=2)
    ban(world, world.provider_b_org, number="京财采处〔2026〕10号")
    everything = Client().get(reverse("credit_public:ocds")).json()["parties"]
    assert {p["details"]["seriousViolation"]["status"] for p in everything} == {"active", "ended"}
    ended = Client().get(reverse("credit_public:ocds"), {"state": "expired"}).json()["parties"]
    assert [p["name"] for p in ended] == [provider.name_zh]
    found = Client().get(reverse("credit_public:ocds"), {"q": world.provider_b_org.uscc}).json()["parties"]
    assert [p["name"] for p in found] == [world.provider_b_org.name_zh]


def test_the_json_uses_a_fixed_number_of_queries(world, provider, django_assert_num_queries):
    ban(world, provider)
    client = Client()
    client.get(reverse("credit_public:ocds"))
    with django_assert_num_queries(1):  # the bans with authority and restriction
        client.get(reverse("credit_public:ocds"))
    verified_profile(world, "provider_b_org", "provider_b", serial=2)
    ban(world, world.provider_b_org, number="京财采处〔2026〕10号")
    with django_assert_num_queries(1):
        assert len(client.get(reverse("credit_public:ocds")).json()["parties"]) == 2


def test_the_cached_list_is_refreshed_by_a_new_or_lifted_ban(
    world, provider, settings, django_capture_on_commit_callbacks
):
    settings.GOVBUY_PAGE_CACHE_SECONDS = 60
    caches[pagecache.CACHE_ALIAS].clear()
    url = reverse("credit_public:ocds")
    assert Client().get(url)["X-Page-Cache"] == "miss"
    assert Client().get(url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        decided = ban(world, provider)
    fresh = Client().get(url)
    assert fresh["X-Page-Cache"] == "miss"
    assert [p["name"] for p in fresh.json()["parties"]] == [provider.name_zh]
    assert Client().get(url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        restrictions.lift_restriction(actor=world.city_finance, restriction=decided.restriction, reason="复议撤销")
    lifted = Client().get(url)
    assert lifted["X-Page-Cache"] == "miss"
    assert lifted.json()["parties"][0]["details"]["seriousViolation"]["status"] == "ended"
