"""A citizen on the public portal, in a Traditional Chinese browser: searches 養老 from the home
page, finds the (Simplified) purchase project, opens its page and reads its history from the
annual plan to the award — without signing in, without a console error or a CSP violation."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext, override

from tests.builders.planning import approved_project, planned_project
from tests.builders.procurement import awarded_tender, published_tender, verified_providers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def translated(msgid: str, language: str) -> str:
    with override(language):
        return gettext(msgid)


def awarded_project(world):
    """Purchaser A's project, through the services: in the published 2027 plan, tendered, opened
    with two bids, evaluated and awarded."""
    project = planned_project(world, approved_project(world))
    verified_providers(world)
    tender, award = awarded_tender(world, published_tender(world, project))
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
