"""Monitoring in a real Chromium (issue 15): the audit office finds a new high-risk flag on its
home, opens a monitoring case from the flag on the tender page, asks the purchaser; the purchaser
answers from its home; the audit office concludes (a violation with an obligation to remedy), and
the conclusion shows on the public project page. Screenshots at 1366 and 390 pixels go to
var/screenshots/ (not committed) for people to look at."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from govbuy.accounts.testing import force_login_verified
from govbuy.core.present import yuan
from govbuy.oversight.models import CaseStatus, MonitoringCase
from govbuy.oversight.services import flagging
from govbuy.procurement.models import Award

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
WIDTHS = (1366, 390)


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


def shoot(page, name: str) -> None:
    """The page at each width, full length."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"oversight-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})


def test_from_a_risk_flag_to_a_published_conclusion(world, live_server, page, page_problems, award):
    tender = award.tender
    # The award equals the budget: the worker raises "award near the budget" on the tender.
    Award.objects.filter(pk=award.pk).update(amount=tender.budget)
    [flag] = [f for f in flagging.compute_flags(tender=tender) if f.rule.code == "award_near_budget"]
    base = live_server.url
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})

    # The audit office: from its home to the flag on the tender page, and a case opened on it.
    sign_in(page, base, world.auditor)
    page.goto(f"{base}/workspace/")
    shoot(page, "home-auditor")
    submit(page, f"#home-oversight-flags a:has-text('{flag.rule.name_zh}')")
    panel = page.locator("#oversight-panel")
    assert flag.rule.name_zh in panel.inner_text()
    assert yuan(Decimal(flag.evidence["budget"])) in panel.inner_text()  # the data behind it
    page.click(f"#process-flag-{flag.pk} details.open-case summary")
    shoot(page, "tender-flag")
    page.fill(f"#process-flag-{flag.pk} textarea[name='reason_details']", "中标金额等于预算，需核实预算编制依据。")
    submit(page, f"#process-flag-{flag.pk} details.open-case button")
    case = MonitoringCase.objects.get(tender=tender)
    assert case.reason == "risk_flag"
    page.fill("#ask textarea[name='text']", "请说明预算的编制依据，并提供市场询价记录。")
    submit(page, "#ask button")
    assert case.questions.count() == 1

    # The purchaser: the question waits on its home; it answers.
    sign_in(page, base, world.purchaser_a)
    page.goto(f"{base}/workspace/")
    submit(page, f"#home-oversight-questions a:has-text('{case.reference}')")
    page.fill("#questions textarea[name='answer']", "预算依据2026年三家机构询价的平均价编制，询价记录见附件。")
    submit(page, "#questions form button")
    assert case.questions.get().answered_at is not None
    shoot(page, "case-answered")

    # The audit office: the answer waits on its home; it concludes a violation with an obligation.
    sign_in(page, base, world.auditor)
    page.goto(f"{base}/workspace/")
    submit(page, f"#home-oversight-body a:has-text('{case.reference}')")
    page.check("#conclude input[value='violation']")
    page.fill("#conclude textarea[name='conclusion']", "询价记录仅有一家机构，预算编制依据不足。")
    page.fill("#conclude textarea[name='obligations']", "重新开展市场调查，补充至少三家询价记录并报送审计局。")
    page.fill("#conclude input[name='remedy_days']", "20")
    submit(page, "#conclude button")
    case.refresh_from_db()
    assert case.status == CaseStatus.VIOLATION
    assert "重新开展市场调查" in page.locator("#conclusion").inner_text()
    shoot(page, "case-concluded")

    # The public: the conclusion and the obligation on the project page.
    page.context.clear_cookies()
    page.goto(f"{base}/projects/{tender.project_id}/")
    published = page.locator("#monitoring-conclusions").inner_text()
    assert "询价记录仅有一家机构" in published
    assert "重新开展市场调查" in published
    assert case.reference in published
    shoot(page, "public-conclusion")
    page_problems.assert_clean()
