"""The city finance bureau refreshes the statistics and reads them as charts — in a real Chromium.

The refresh button queues the worker (run at once by the test backend) and shows its progress;
the statistics page then draws its ECharts charts from the data tables (external script, no
inline code: the CSP must report nothing); the region filter keeps its Chinese choice in the URL;
the public statistics page shows the same charts to an anonymous visitor."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from django.conf import settings
from django.test import Client

from govbuy.accounts.testing import force_login_verified
from govbuy.planning.models import Project
from tests.builders.performance import make_contract

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


def test_city_finance_refreshes_and_reads_the_charts(world, live_server, page, page_problems, approved):
    base = live_server.url
    Project.objects.filter(pk=approved.pk).update(status="in_plan")
    make_contract(world, approved, value="180000.00")
    make_contract(world, approved, value="60000.00", provider=world.provider_b_org)

    sign_in(page, base, world.city_finance)
    page.goto(f"{base}/oversight/statistics/")
    assert "统计数据尚未生成" in page.locator("#statistics-as-of").inner_text()
    with page.expect_navigation():
        page.click("#statistics-refresh button")
    assert page.locator("#refresh-status").inner_text() == "已完成"
    page.click("text=返回统计")
    page.wait_for_selector(".chart canvas")
    assert "数据截至" in page.locator("#statistics-as-of").inner_text()
    assert "240,000.00" in page.locator("#stat-totals").inner_text()
    assert page.locator("#stat-by-region").is_visible()

    page.select_option("#f-region", "东城区")
    with page.expect_navigation():
        page.click("#statistics-filters button")
    assert "region=东城区" in unquote(page.url)
    assert page.locator("h1").inner_text().endswith("东城区")
    page.wait_for_selector(".chart canvas")

    page.context.clear_cookies()
    page.goto(f"{base}/open-data/statistics/")
    page.wait_for_selector(".chart canvas")
    assert "240,000.00" in page.locator("#stat-totals").inner_text()
    page_problems.assert_clean()
