"""Credit pages: the provider's record shows each fact and its weight; authorities' workspace;
the public serious-violation list (both scripts, xlsx) and public provider page; fixed query
counts; the outsider gets 404 on every detail page."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from govbuy.accounts.testing import force_login_verified
from govbuy.credit.models import CreditFact
from govbuy.credit.services import bans

from .conftest import report

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    force_login_verified(client, user)
    return client


def ban(world, org, number="京财采处〔2026〕9号"):
    today = timezone.localdate()
    return bans.decide_ban(
        actor=world.city_finance,
        provider=org,
        starts_on=today,
        ends_on=today + dt.timedelta(days=400),
        facts="提供虚假材料谋取中标",
        penalty="一年内禁止参加政府采购活动",
        legal_basis="《政府采购法》第七十七条",
        decision_number=number,
    )


def test_the_provider_sees_each_fact_with_its_weight_and_may_object(world, provider):
    report("performance.grade_poor", provider, source_id=1)
    report("contracts.completed_on_time", provider, source_id=2)
    page = client_for(world.provider_a).get(reverse("credit:provider", args=[provider.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="credit-score"' in body
    assert "93.00" in body or "92.00" in body
    fact = CreditFact.objects.get(kind="performance.grade_poor")
    assert f'action="{reverse("credit:object", args=[fact.pk])}"' in body
    response = client_for(world.provider_a).post(reverse("credit:object", args=[fact.pk]), {"text": "不服"})
    assert response.status_code == 302
    assert fact.objections.count() == 1


def test_the_outsider_gets_404_on_every_detail_page(world, provider):
    report("performance.grade_poor", provider)
    fact = CreditFact.objects.get()
    outsider = client_for(world.outsider)
    assert outsider.get(reverse("credit:provider", args=[provider.pk])).status_code == 404
    assert outsider.post(reverse("credit:object", args=[fact.pk]), {"text": "x"}).status_code == 404
    assert outsider.get(reverse("credit:workspace")).status_code == 404
    assert outsider.post(reverse("credit:confirm_fact", args=[fact.pk])).status_code == 404


def test_the_public_list_is_searchable_in_both_scripts_and_exported(world, provider):
    ban(world, provider)
    client = Client()
    simplified = client.get(reverse("credit_public:bans"), {"q": "虚假材料"}).content.decode()
    traditional = client.get(reverse("credit_public:bans"), {"q": "虛假材料"}).content.decode()
    name = provider.name_zh
    assert name in simplified
    assert name in traditional
    assert name not in client.get(reverse("credit_public:bans"), {"state": "expired"}).content.decode()
    response = client.get(reverse("credit_public:export"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == name
    assert rows[1][9] == "京财采处〔2026〕9号"
    public = client.get(reverse("credit_public:provider", args=[provider.pk])).content.decode()
    assert "京财采处〔2026〕9号" in public


def test_the_public_list_uses_a_fixed_number_of_queries(world, provider, django_assert_num_queries):
    from tests.builders.procurement import verified_profile

    ban(world, provider)
    client = Client()
    client.get(reverse("credit_public:bans"))
    with django_assert_num_queries(2):  # count, page of bans with authority and restriction
        client.get(reverse("credit_public:bans"))
    verified_profile(world, "provider_b_org", "provider_b", serial=2)
    ban(world, world.provider_b_org, number="京财采处〔2026〕10号")
    with django_assert_num_queries(2):
        client.get(reverse("credit_public:bans"))


def test_the_record_page_uses_a_fixed_number_of_queries(world, provider, django_assert_num_queries):
    report("performance.grade_poor", provider, source_id=1)
    client = client_for(world.city_finance)
    url = reverse("credit:provider", args=[provider.pk])
    client.get(url)
    with django_assert_num_queries(9):
        client.get(url)
    for i in range(2, 6):
        report("contracts.delivery_late", provider, source_id=i)
    with django_assert_num_queries(9):
        client.get(url)
