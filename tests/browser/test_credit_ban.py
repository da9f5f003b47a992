"""A ban in a real Chromium: the city finance bureau decides a ban on its credit page; the banned
provider's bid is refused with the reason; the public finds the entry on the serious-violation
list (searching in Traditional characters)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from govbuy.accounts.testing import force_login_verified
from govbuy.procurement.models import Bid
from govbuy.procurement.services import tenders
from tests.builders.procurement import CRITERIA, far_deadline

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base: str, user) -> None:
    client = force_login_verified(Client(), user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base,
            }
        ]
    )


def submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_a_banned_provider_is_refused_and_listed(world, live_server, page, page_problems, approved, providers):
    tender = tenders.create_tender(
        actor=world.purchaser_a, project=approved, bid_deadline=far_deadline(), bid_bond="0", criteria=CRITERIA
    )
    tender = tenders.publish_tender(actor=world.purchaser_a, tender=tender, version=tender.version)
    base = live_server.url
    org = world.provider_a_org
    today = timezone.localdate()

    sign_in(page, base, world.city_finance)
    page.goto(f"{base}/credit/")
    page.fill("#ban-form #id_provider", str(org.pk))
    page.fill("#ban-form #id_starts_on", today.isoformat())
    page.fill("#ban-form #id_ends_on", (today + dt.timedelta(days=400)).isoformat())
    page.fill("#ban-form #id_facts", "在投标中提供虚假材料谋取中标")
    page.fill("#ban-form #id_penalty", "一年内禁止参加政府采购活动")
    page.fill("#ban-form #id_legal_basis", "《政府采购法》第七十七条")
    page.fill("#ban-form #id_decision_number", "京财采处〔2026〕21号")
    submit(page, "#decide-ban")
    assert "禁止参加政府采购活动的决定已作出并生效" in page.content()

    sign_in(page, base, world.provider_a)
    page.goto(f"{base}/procurement/tenders/{tender.pk}/")
    submit(page, "#bid-link")
    page.fill("#bid-form input[name='price']", "90000")
    submit(page, "#bid-form button[type='submit']")
    assert "被禁止参加政府采购活动" in page.content()
    assert not Bid.objects.filter(provider=org).exists()

    page.context.clear_cookies()
    page.goto(f"{base}/credit-list/?q=虛假材料")
    row = page.locator("#ban-list tbody tr").first.inner_text()
    assert org.name_zh in row
    assert "京财采处〔2026〕21号" in row
    # The refused bid answers 400, which Chromium logs as a console error; nothing else may appear.
    assert page_problems.csp_violations == []
    assert page_problems.page_errors == []
    assert all("400" in e for e in page_problems.console_errors), page_problems.console_errors
