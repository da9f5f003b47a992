"""A citizen on the public portal, in a Traditional Chinese browser: searches 養老 from the home
page, finds the (Simplified) purchase project, opens its page and reads its history from the
annual plan to the award — without signing in, without a console error or a CSP violation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils.translation import gettext, override

from govbuy.planning.services import annual_plans, budget_lines
from govbuy.planning.services import proposals as planning_proposals
from govbuy.planning.tests.conftest import COSTS, TARGETS, advance, publish_catalog
from govbuy.providers.tests.conftest import verified_profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def translated(msgid: str, language: str) -> str:
    with override(language):
        return gettext(msgid)


def awarded_project(world):
    """Purchaser A's project, through the services: in the published 2027 plan, tendered, opened
    with two bids, evaluated and awarded."""
    from govbuy.disclosure.tests.portal_fixtures import award_top, publish_tender

    version = publish_catalog(
        world.city,
        [("A", "", "基本公共服务", ""), ("A05", "A", "养老服务", ""), ("A05-01", "A05", "居家养老上门服务", "")],
    )
    budget = budget_lines.create_budget(actor=world.purchaser_a, purchaser=world.purchaser_a_org, fiscal_year=2027)
    line = budget_lines.add_line(
        actor=world.purchaser_a, budget=budget, code="30227", name="委托业务费", amount="1000000.00"
    )
    project = planning_proposals.propose_project(
        actor=world.purchaser_a,
        purchaser=world.purchaser_a_org,
        budget_line=line,
        title="东城区居家养老上门服务",
        catalog_item=version.items.get(code="A05-01"),
        service_description="为辖区失能、高龄老人提供上门助洁、助浴、助医服务。",
        beneficiaries="东城区80岁以上及失能老年人",
        period_start=dt.date(2027, 1, 1),
        period_end=dt.date(2027, 12, 31),
        suggested_method="public_tender",
        cost_lines=COSTS,
        targets=TARGETS,
    )
    project = advance(project, world, to="approved")
    annual_plans.publish_plan(actor=world.purchaser_a, purchaser=world.purchaser_a_org, fiscal_year=2027)
    verified_profile(world, "provider_a_org", "provider_a", serial=1)
    verified_profile(world, "provider_b_org", "provider_b", serial=2)
    tender = publish_tender(world, project)
    award = award_top(world, tender)
    return project, tender, award


def test_a_traditional_chinese_reader_finds_a_project_and_reads_its_history(world, live_server, browser):
    project, tender, award = awarded_project(world)
    context = browser.new_context(locale="zh-TW", timezone_id="Asia/Taipei", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    from tests.browser.conftest import PageProblems

    problems = PageProblems(page)
    try:
        page.goto(f"{live_server.url}/")
        assert page.locator("html").get_attribute("lang") == "zh-hant"
        assert page.locator("#login-link").count() == 1  # nobody is signed in
        assert tender.reference in page.locator("#latest-tenders").inner_text()

        page.fill("#portal-q", "養老")
        with page.expect_navigation():
            page.click("#portal-search button[type='submit']")
        assert "/search/?q=" in page.url
        link = page.locator(f"#search-results a[href='/projects/{project.pk}/']")
        assert link.count() == 1
        assert "养老" in link.inner_text()
        with page.expect_navigation():
            link.click()

        assert page.url == f"{live_server.url}/projects/{project.pk}/"
        assert page.locator("h1#project-title").inner_text() == project.title
        history = page.locator("#history ol.history > li")
        kinds = [history.nth(i).get_attribute("class") for i in range(history.count())]
        assert kinds == ["history-plan", "history-tender", "history-opening", "history-evaluation", "history-award"]
        award_step = page.locator(f"#history-award-{award.pk}")
        assert award_step.locator("h3").inner_text() == translated("Award announced", "zh-hant")
        assert award.provider.name_zh in award_step.inner_text()
        assert str(award.amount) in award_step.inner_text()
        assert page.locator("#feedback-form textarea[name='message']").is_visible()
        assert not page.locator("#feedback-form input[name='website']").is_visible()

        problems.assert_clean()
        # The open-data record of the same process (JSON: fetched, not opened as a page).
        record = page.request.get(live_server.url + page.locator("#ocds-record").get_attribute("href"))
        assert record.ok
        assert project.reference in record.text()
    finally:
        context.close()
