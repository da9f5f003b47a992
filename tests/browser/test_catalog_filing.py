"""A district files its catalog and the city finance bureau acknowledges it — in a real Chromium.

The district's published version (the demo's Dongcheng catalog, built on the real Lanzhou city
catalog) is filed from its page; the city finance bureau finds it waiting on its home page,
reads the diff against the city catalog and acknowledges it; both sides see every step.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from govbuy.accounts.testing import force_login_verified
from govbuy.catalog import demo
from govbuy.catalog.models import CatalogVersion, Filing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base: str, user) -> None:
    """Finance staff sign in with two-factor; the sign-in pages have their own browser test, so
    here the session (two-factor passed) is made server-side and handed to the browser."""
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


def test_district_filing_from_submission_to_acknowledgement(world, live_server, page, page_problems):
    demo.load()
    version = CatalogVersion.objects.get(region=world.district_a)
    Filing.objects.all().delete()  # the demo files it already; here it is filed through the page
    base = live_server.url

    sign_in(page, base, world.district_finance_a)
    page.goto(f"{base}/catalog/110101/{version.number}/")
    page.fill("#filing-form textarea[name='note']", "按事权编制，报市财政局备案。")
    with page.expect_navigation():
        page.click("#file-submit")
    assert "/catalog/filings/" in page.url
    added = page.locator(".diff-added").inner_text()
    assert "A05-DC01" in added
    assert "社区养老驿站运营服务" in added
    assert page.locator("#filing-history li").count() == 1

    sign_in(page, base, world.city_finance)
    page.goto(f"{base}/workspace/")
    waiting = page.locator("#home-catalog-filings-waiting")
    assert "东城区" in waiting.inner_text()
    with page.expect_navigation():
        waiting.locator("a").first.click()
    assert "A05-DC01" in page.locator(".diff-added").inner_text()
    page.fill("#acknowledge-form textarea[name='comment']", "已备案。")
    with page.expect_navigation():
        page.click("#acknowledge-submit")
    filing = Filing.objects.get()
    assert filing.status == "acknowledged"
    assert page.locator("#filing-status").inner_text().strip() == str(filing.get_status_display())
    assert page.locator("#filing-history li").count() == 2

    sign_in(page, base, world.district_finance_a)
    page.goto(f"{base}/catalog/filings/{filing.pk}/")
    assert "已备案。" in page.locator("#filing-comment").inner_text()
    assert page.locator("#filing-history li").count() == 2

    page_problems.assert_clean()

    # Another district: the filing does not exist for it.
    sign_in(page, base, world.district_finance_b)
    response = page.goto(f"{base}/catalog/filings/{filing.pk}/")
    assert response.status == 404
