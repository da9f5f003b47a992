"""The credit API: every screen has its endpoint; errors in the {code, message, fields} shape;
fixed query counts on lists; the outsider gets 404 on details."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from govbuy.accounts.testing import api_token_for
from govbuy.credit.models import CreditFact, ExternalList
from govbuy.providers import selectors as provider_selectors

from .conftest import report

pytestmark = pytest.mark.django_db
API = "/api/v1/credit"


def bearer(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_for(user)}"})


def ban_payload(org, days=400, number="京财采处〔2026〕3号"):
    today = timezone.localdate()
    return {
        "provider": org.pk,
        "starts_on": today.isoformat(),
        "ends_on": (today + dt.timedelta(days=days)).isoformat(),
        "facts": "串通投标",
        "penalty": "一年内禁止参加政府采购活动",
        "legal_basis": "《政府采购法》第七十七条",
        "decision_number": number,
    }


def test_a_ban_through_the_api_is_public_and_refuses_the_provider(world, provider):
    finance = bearer(world.city_finance)
    bad = finance.post(f"{API}/bans/decide/", ban_payload(provider, days=5000), content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["code"] == "ban_period_out_of_range"
    response = finance.post(f"{API}/bans/decide/", ban_payload(provider), content_type="application/json")
    assert response.status_code == 201
    assert response.json()["in_force"] is True
    assert not provider_selectors.participation(provider.pk, gate=provider_selectors.Gate.BID).allowed
    public = Client().get(f"{API}/bans/", {"q": "串通"}).json()
    assert public["count"] == 1
    assert public["results"][0]["decision_number"] == "京财采处〔2026〕3号"


def test_the_record_endpoint_explains_the_score_and_the_outsider_gets_404(world, provider):
    report("performance.grade_poor", provider)
    body = bearer(world.provider_a).get(f"{API}/providers/{provider.pk}/").json()
    assert body["score"] == "90.00"
    assert body["lines"][0]["contribution"] == "-10.00"
    assert any(c["code"] == "expires" for c in body["changes"])
    assert bearer(world.outsider).get(f"{API}/providers/{provider.pk}/").status_code == 404
    fact = CreditFact.objects.get()
    assert bearer(world.outsider).post(f"{API}/facts/{fact.pk}/objections/", {"text": "x"}).status_code == 404
    assert bearer(world.outsider).post(f"{API}/facts/{fact.pk}/confirm/").status_code == 404


def test_an_objection_and_its_decision_through_the_api(world, provider):
    report("performance.grade_poor", provider)
    fact = CreditFact.objects.get()
    filed = bearer(world.provider_a).post(f"{API}/facts/{fact.pk}/objections/", {"text": "评价有误"})
    assert filed.status_code == 201
    pending = bearer(world.city_finance).get(f"{API}/objections/").json()
    assert pending["count"] == 1
    decided = bearer(world.city_finance).post(
        f"{API}/objections/{filed.json()['id']}/decide/",
        {"version": 1, "upheld": True, "reasons": "证据充分"},
        content_type="application/json",
    )
    assert decided.json()["status"] == "upheld"


def test_a_malformed_list_import_lists_every_bad_row(world):
    data = "名称,统一社会信用代码\n,1\n某公司,123\n".encode()
    response = bearer(world.city_finance).post(
        f"{API}/lists/",
        {
            "kind": "tax_violations",
            "publisher": "国家税务总局",
            "source": "重大税收违法失信主体信息公布栏",
            "as_of": "2026-11-01",
            "file": SimpleUploadedFile("list.csv", data, content_type="text/csv"),
        },
    )
    assert response.status_code == 400
    assert response.json()["code"] == "import_refused"
    assert len(response.json()["fields"]["file"]) == 3
    assert not ExternalList.objects.exists()


def test_list_endpoints_use_a_fixed_number_of_queries(world, provider, django_assert_num_queries):
    from tests.builders.procurement import verified_profile

    finance = bearer(world.city_finance)
    finance.post(f"{API}/bans/decide/", ban_payload(provider), content_type="application/json")
    client = Client()
    with django_assert_num_queries(2):
        client.get(f"{API}/bans/")
    verified_profile(world, "provider_b_org", "provider_b", serial=2)
    finance.post(
        f"{API}/bans/decide/",
        ban_payload(world.provider_b_org, number="京财采处〔2026〕4号"),
        content_type="application/json",
    )
    with django_assert_num_queries(2):
        client.get(f"{API}/bans/")


def test_the_objection_list_uses_a_fixed_number_of_queries(world, provider):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    finance = bearer(world.city_finance)

    def objections_with(n):
        for i in range(n):
            fact = report("contracts.delivery_late", provider, source_id=100 + i)
            bearer(world.provider_a).post(
                f"{API}/facts/{CreditFact.objects.get(source_id=100 + i).pk}/objections/", {"text": "x"}
            )
            assert fact
        with CaptureQueriesContext(connection) as ctx:
            assert finance.get(f"{API}/objections/").status_code == 200
        return len(ctx.captured_queries)

    first = objections_with(1)
    assert objections_with(3) == first
