"""External lists imported with provenance (every bad row listed, nothing written) and the
automatic three-list check at evaluation/award: a snapshot as evidence, recorded in procurement;
an override needs a reason and a second person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from govbuy.catalog.spreadsheets import ImportRefused
from govbuy.core.errors import PermissionRefused, TransitionRefused
from govbuy.credit.models import ExternalList, ListEntry, ThreeListCheck
from govbuy.credit.services import bans, lists
from govbuy.procurement.models import CreditCheck
from govbuy.procurement.services import awards
from govbuy.procurement.tests.test_awards import ranked
from tests.builders.procurement import evaluated_tender, opened_tender

pytestmark = pytest.mark.django_db
YESTERDAY = dt.date.today() - dt.timedelta(days=1)


def csv_bytes(rows):
    return ("\n".join(",".join(r) for r in rows) + "\n").encode()


def load(world, kind, rows):
    return lists.import_list(
        actor=world.city_finance,
        kind=kind,
        publisher="信用中国",
        source="https://www.creditchina.gov.cn/ 下载于当日",
        as_of=YESTERDAY,
        file_name=f"{kind}.csv",
        data=csv_bytes([["名称", "统一社会信用代码", "案号"], *rows]),
    )


def test_a_malformed_list_is_refused_with_every_bad_row_and_nothing_written(world):
    data = csv_bytes([["名称", "统一社会信用代码"], ["", "91110000"], ["某公司", "123"], ["好公司", ""]])
    with pytest.raises(ImportRefused) as exc:
        lists.import_list(
            actor=world.city_finance,
            kind="dishonest_debtors",
            publisher="最高人民法院",
            source="中国执行信息公开网",
            as_of=YESTERDAY,
            file_name="bad.csv",
            data=data,
        )
    rows = [e.row for e in exc.value.errors]
    assert rows == [2, 2, 3]
    assert not ExternalList.objects.exists()
    assert not ListEntry.objects.exists()


def test_a_list_is_imported_with_its_provenance(world):
    imported = load(world, "tax_violations", [["某某税务违法公司", "", "税案001"]])
    assert imported.row_count == 1
    assert imported.publisher == "信用中国"
    assert len(imported.file_sha256) == 64
    with pytest.raises(PermissionRefused):
        lists.import_list(
            actor=world.purchaser_a,
            kind="tax_violations",
            publisher="x",
            source="x",
            as_of=YESTERDAY,
            file_name="a.csv",
            data=csv_bytes([["名称"], ["甲"]]),
        )


@pytest.fixture
def evaluated(world, published, providers):
    opened_tender(world, published)
    evaluated_tender(world, published)
    return published


def test_the_automatic_check_records_a_clear_bidder_and_keeps_the_snapshot(world, evaluated):
    top = ranked(evaluated)[0]
    with pytest.raises(TransitionRefused) as exc:
        lists.run_check(actor=world.purchaser_a, tender=evaluated, bid=top)
    assert exc.value.code == "lists_missing"
    for kind in ("dishonest_debtors", "tax_violations", "procurement_violations"):
        load(world, kind, [["无关单位", "", ""]])
    check = lists.run_check(actor=world.purchaser_a, tender=evaluated, bid=top)
    assert not check.listed
    assert len(check.lists_used) == 3
    recorded = CreditCheck.objects.get(bid=top)
    assert recorded.is_clear
    assert f"#{check.pk}" in recorded.reference
    award = awards.propose_award(actor=world.purchaser_a, tender=evaluated, bid=top)
    assert award.provider_id == top.provider_id


def test_a_hit_waits_and_an_override_needs_a_reason_and_a_second_person(world, evaluated):
    top = ranked(evaluated)[0]
    name = top.provider.name_zh
    load(world, "dishonest_debtors", [[name, "", "（2026）京01执1号"]])
    load(world, "tax_violations", [["无关单位", "", ""]])
    load(world, "procurement_violations", [["无关单位", "", ""]])
    check = lists.run_check(actor=world.purchaser_a, tender=evaluated, bid=top)
    assert check.listed
    assert check.findings["dishonest_debtors"][0]["case_number"] == "（2026）京01执1号"
    assert not CreditCheck.objects.filter(bid=top).exists()
    lists.propose_override(actor=world.purchaser_a, check=check, reason="同名不同主体：信用代码不一致")
    with pytest.raises(PermissionRefused, match="four eyes"):
        lists.confirm_override(actor=world.purchaser_a, check=check)
    lists.confirm_override(actor=world.purchaser_a_approver, check=check)
    done = ThreeListCheck.objects.get(pk=check.pk)
    assert done.override_at is not None
    assert CreditCheck.objects.get(bid=top).is_clear


def test_a_ban_in_force_is_found_and_cannot_be_overridden(world, evaluated):
    top = ranked(evaluated)[0]
    for kind in ("dishonest_debtors", "tax_violations", "procurement_violations"):
        load(world, kind, [["无关单位", "", ""]])
    today = timezone.localdate()
    bans.decide_ban(
        actor=world.city_finance,
        provider=top.provider_id,
        starts_on=today,
        ends_on=today + dt.timedelta(days=400),
        facts="串通投标",
        penalty="一年内禁止参加政府采购活动",
        legal_basis="《政府采购法》第七十七条",
        decision_number="京财采处〔2026〕2号",
    )
    check = lists.run_check(actor=world.purchaser_a, tender=evaluated, bid=top)
    assert check.listed
    assert check.findings["bans"]
    with pytest.raises(PermissionRefused):
        lists.propose_override(actor=world.purchaser_a, check=check, reason="x")
    lists.accept_findings(actor=world.purchaser_a, check=check)
    assert not CreditCheck.objects.get(bid=top).is_clear


def test_the_check_page_and_api_serve_the_purchaser_only(world, evaluated, django_assert_num_queries):
    from django.test import Client

    from govbuy.accounts.testing import api_token_for, force_login_verified

    for kind in ("dishonest_debtors", "tax_violations", "procurement_violations"):
        load(world, kind, [["无关单位", "", ""]])
    top = ranked(evaluated)[0]
    page = force_login_verified(Client(), world.purchaser_a)
    url = f"/credit/tenders/{evaluated.pk}/checks/"
    assert page.post(f"{url}run/", {"target": top.pk, "stage": "evaluation"}).status_code == 302
    assert CreditCheck.objects.get(bid=top).is_clear
    page.get(url)
    with django_assert_num_queries(6):
        assert page.get(url).status_code == 200
    second = ranked(evaluated)[1]
    page.post(f"{url}run/", {"target": second.pk, "stage": "evaluation"})
    assert ThreeListCheck.objects.count() == 2
    with django_assert_num_queries(6):
        assert page.get(url).status_code == 200
    api = Client(headers={"Authorization": f"Bearer {api_token_for(world.purchaser_a)}"})
    rows = api.get(f"/api/v1{url}").json()
    assert rows[0]["check"]["recorded"] is True
    outsider = force_login_verified(Client(), world.outsider)
    assert outsider.get(url).status_code == 404
    assert outsider.post(f"{url}run/", {"target": top.pk}).status_code == 404
    assert (
        Client(headers={"Authorization": f"Bearer {api_token_for(world.purchaser_b)}"}).get(f"/api/v1{url}").status_code
        == 404
    )
