"""The oversight panel on the staff pages of a project, a tender and a contract (issue 15): the
monitoring bodies in reach see the process's open flags with the data behind them and dismiss one
with a reason from there; the purchaser, the provider and bodies out of reach see no panel."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from govbuy.core.present import yuan
from govbuy.oversight.models import FlagStatus, MonitoringCase
from govbuy.oversight.services import flagging
from govbuy.procurement.models import Award

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(world, live):
    """A contract in delivery whose award equals the budget: one open flag on its tender."""
    tender = live.award.tender
    Award.objects.filter(pk=live.award_id).update(amount=tender.budget)
    [flag] = [f for f in flagging.compute_flags(tender=tender) if f.rule.code == "award_near_budget"]
    return live, flag


def _pages(contract):
    return {
        "project": reverse("planning:project", args=[contract.project_id]),
        "tender": reverse("procurement:tender", args=[contract.award.tender_id]),
        "contract": reverse("contracts:detail", args=[contract.pk]),
    }


def test_monitoring_bodies_see_the_open_flags_on_every_process_page(world, login, flagged):
    contract, flag = flagged
    for persona in (world.auditor, world.supervisor, world.city_finance, world.district_finance_a):
        client = login(persona)
        for kind, url in _pages(contract).items():
            page = client.get(url)
            assert page.status_code == 200, (persona, kind)
            html = page.content.decode()
            assert 'id="oversight-panel"' in html, (persona, kind)
            assert f'id="process-flag-{flag.pk}"' in html
            assert yuan(Decimal(flag.evidence["budget"])) in html  # the data behind it, grouped
            assert reverse("oversight:flag_dismiss", args=[flag.pk]) in html


def test_no_panel_for_the_parties_or_out_of_reach(world, login, flagged):
    contract, _flag = flagged
    for persona in (world.purchaser_a, world.provider_a, world.district_finance_b):
        client = login(persona)
        for url in _pages(contract).values():
            page = client.get(url)
            assert 'id="oversight-panel"' not in page.content.decode()


def test_dismissing_from_the_tender_page_returns_there(world, login, flagged):
    contract, flag = flagged
    url = _pages(contract)["tender"]
    client = login(world.auditor)
    bare = client.post(reverse("oversight:flag_dismiss", args=[flag.pk]), {"version": flag.version, "next": url})
    assert bare.status_code == 302
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN  # no reason: refused
    done = client.post(
        reverse("oversight:flag_dismiss", args=[flag.pk]),
        {"version": flag.version, "reason": "预算按市场询价编制", "next": url},
    )
    assert done.status_code == 302
    assert done.url == url
    flag.refresh_from_db()
    assert flag.status == FlagStatus.DISMISSED
    assert f'id="process-flag-{flag.pk}"' not in client.get(url).content.decode()


def test_a_foreign_next_is_not_followed(world, login, flagged):
    _contract, flag = flagged
    done = login(world.auditor).post(
        reverse("oversight:flag_dismiss", args=[flag.pk]),
        {"version": flag.version, "reason": "已核实", "next": "//evil.example/x"},
    )
    assert done.url == reverse("oversight:flags")


def test_a_case_opened_from_the_panel_is_listed_on_the_contract_page(world, login, flagged):
    contract, flag = flagged
    client = login(world.auditor)
    opened = client.post(
        reverse("oversight:case_open"),
        {"tender": flag.tender_id, "reason": "risk_flag", "reason_details": "中标价等于预算"},
    )
    assert opened.status_code == 302
    case = MonitoringCase.objects.get()
    assert case.reason == "risk_flag"
    assert case.reference in client.get(_pages(contract)["contract"]).content.decode()


def test_home_sections_of_the_monitoring_bodies(world, login, flagged):
    import datetime as dt

    from govbuy.contracts.models import Contract

    contract, flag = flagged
    Contract.objects.filter(pk=contract.pk).update(award_notice_at=contract.signed_at - dt.timedelta(days=60))
    flagging.compute_flags(tender=contract.award.tender_id)
    html = login(world.auditor).get(reverse("core:home")).content.decode()
    high, late = html.split('id="home-oversight-flags"')[1], html.split('id="home-oversight-late"')[1]
    assert flag.rule.name_zh in high.split("</section>")[0]
    assert "合同签订逾期" in late.split("</section>")[0]
    assert 'id="home-oversight-flags"' not in login(world.purchaser_a).get(reverse("core:home")).content.decode()
    assert 'id="home-oversight-late"' not in login(world.district_finance_b).get(reverse("core:home")).content.decode()
