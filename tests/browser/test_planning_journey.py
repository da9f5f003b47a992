"""A purchase project from draft to the published annual plan — in a real Chromium.

Purchaser A (Dongcheng) compiles its 2027 budget, proposes a project costed from the work on an
item of the Dongcheng catalog (the demo's, built on the real Lanzhou city catalog) and submits
it; Dongcheng's finance bureau finds it on its home page, reviews and approves it; the purchaser
publishes the annual plan; the public reads it on /plans/ without signing in, with its PDF.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from govbuy.accounts.testing import force_login_verified
from govbuy.catalog import demo
from govbuy.disclosure import registry
from govbuy.disclosure.models import Release
from govbuy.planning.models import AnnualPlan, Project

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


@pytest.fixture
def planning_builder():
    """Disclosure owns the planning release builder. Until it registers one, this test supplies a
    minimal one built on planning_release_parts, so the journey still ends in a stored release."""
    if registry.release_builder("planning.project", "planning") is not None:
        yield
        return
    from govbuy.disclosure import ocds
    from govbuy.planning.ocds import local_id, planning_release_parts

    def build(announcement):
        project = Project.objects.get(pk=announcement.obj_id)
        return {"ocid": ocds.ocid_for(local_id(project)), "initiationType": "tender", **planning_release_parts(project)}

    registry.register_release_builder("planning.project", "planning", build)
    yield
    registry.unregister_release_builder("planning.project", "planning")


def test_project_from_draft_to_the_published_plan(world, live_server, page, page_problems, planning_builder):
    demo.load()
    base = live_server.url

    sign_in(page, base, world.purchaser_a)
    page.goto(f"{base}/planning/budgets/")
    page.fill("#budget-form input[name='fiscal_year']", "2027")
    with page.expect_navigation():
        page.click("#budget-form button[type='submit']")
    page.fill("#line-form input[name='code']", "30227")
    page.fill("#line-form input[name='name']", "委托业务费")
    page.fill("#line-form input[name='amount']", "500000.00")
    with page.expect_navigation():
        page.click("#line-form button[type='submit']")
    assert "500,000.00" in page.locator("#line-30227").inner_text()

    page.goto(f"{base}/planning/projects/new/")
    page.fill("#id_title", "东城区社区养老驿站运营服务")
    option = page.locator("#id_catalog_item option", has_text="A05-DC01").first.get_attribute("value")
    page.select_option("#id_catalog_item", option)
    page.fill("#id_service_description", "委托专业机构运营社区养老驿站，提供日间照料和助餐服务。")
    page.fill("#id_beneficiaries", "东城区60岁以上居家老年人")
    page.fill("#id_period_start", "2027-01-01")
    page.fill("#id_period_end", "2027-12-31")
    page.select_option("#id_suggested_method", "competitive_consultation")
    for name, value in {"description": "驿站运营", "unit": "站·月", "quantity": "24", "unit_cost": "8000"}.items():
        page.fill(f"#id_cost-0-{name}", value)
    page.select_option("#id_cost-0-category", "operations")
    for i, (name, value, unit) in enumerate(
        [
            ("服务人次", "6000", "人次"),
            ("合格率", "95", "%"),
            ("响应时间", "48", "小时"),
            ("人均成本", "40", "元"),
            ("满意度", "90", "%"),
        ]
    ):
        page.fill(f"#id_target-{i}-name", name)
        page.fill(f"#id_target-{i}-target_value", value)
        page.fill(f"#id_target-{i}-unit", unit)
    with page.expect_navigation():
        page.click("#project-save")
    assert page.locator("#project-estimate").inner_text() == "192,000.00"
    with page.expect_navigation():
        page.click("#submit-project")
    assert page.locator("#project-status").get_attribute("data-status") == "submitted"
    project = Project.objects.get()

    sign_in(page, base, world.district_finance_a)
    page.goto(f"{base}/workspace/")
    waiting = page.locator("#home-planning-finance-review")
    assert project.reference in waiting.inner_text()
    with page.expect_navigation():
        waiting.locator("a", has_text=project.reference).click()
    with page.expect_navigation():
        page.click("#start-review")
    page.fill("#approve-form textarea[name='comment']", "同意列入年度计划。")
    with page.expect_navigation():
        page.click("#approve-project")
    assert page.locator("#project-status").get_attribute("data-status") == "approved"

    sign_in(page, base, world.purchaser_a)
    page.goto(f"{base}/planning/")
    with page.expect_navigation():
        page.locator("#plan-publish .publish-plan").first.click()
    assert "/plans/versions/" in page.url
    plan = AnnualPlan.objects.get()
    assert Release.objects.filter(ocid__endswith=project.reference).exists()

    page.context.clear_cookies()
    page.goto(f"{base}/plans/")
    with page.expect_navigation():
        page.locator("#plan-index a", has_text="东城区").click()
    assert "东城区社区养老驿站运营服务" in page.content()
    page.goto(f"{base}/plans/versions/{plan.pk}/")
    assert "192,000.00" in page.locator("#plan-total").inner_text()
    pdf = page.request.get(f"{base}/plans/versions/{plan.pk}/plan.pdf")
    assert pdf.ok
    assert pdf.body().startswith(b"%PDF")
    page_problems.assert_clean()
