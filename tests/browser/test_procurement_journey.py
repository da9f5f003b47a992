"""A public tender from its notice to the award — in a real Chromium.

Purchaser A drafts a tender from its approved project and publishes the notice; the public reads
it on /tenders/ without signing in; providers A and B each seal a bid through the bid form and get
a receipt; the deadline passes; two of the purchaser's users open the bids (four eyes); the panel
is drawn at random and its experts declare and score on the evaluation page; the purchaser issues
the report, records the credit check, finds the award on its home page and proposes the winner,
which a second user confirms; the award notice is public and every bidder is told.

The project's approval, the providers' verification and the expert pool are set up through the
services (their own journeys are tested elsewhere); every step of this journey is a page.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from govbuy.accounts.testing import force_login_verified
from govbuy.procurement.models import Award, Bid, PanelMember, Tender
from tests.builders.procurement import lower_minimums, make_experts, past_opening_time

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


def test_a_public_tender_from_notice_to_award(world, live_server, page, page_problems, approved, providers, settings):
    # Above this amount a second user confirms the award: the journey shows the four eyes.
    settings.GOVBUY_AWARD_FOUR_EYES_THRESHOLD = "1000.00"
    lower_minimums(world)  # two bidders and a panel of three are enough here
    experts = make_experts(world, n=3)
    for name, address in (("provider_a", "a@example.org"), ("provider_b", "b@example.org")):
        type(world.purchaser_a).objects.filter(pk=getattr(world, name).pk).update(email=address)
    base = live_server.url

    # The purchaser drafts the tender from its approved project and publishes the notice.
    sign_in(page, base, world.purchaser_a)
    page.goto(f"{base}/procurement/tenders/")
    submit(page, f".make-tender[href='/procurement/projects/{approved.pk}/tender/']")
    deadline = timezone.localtime(timezone.now() + dt.timedelta(days=30)).strftime("%Y-%m-%dT10:00")
    page.fill("#id_bid_deadline", deadline)
    page.fill("#id_bid_bond", "1000")
    submit(page, "#tender-form button[type='submit']")
    tender = Tender.objects.get(project=approved)
    submit(page, "#publish")
    assert Tender.objects.get(pk=tender.pk).status == "published"

    # The public finds the notice without signing in.
    page.context.clear_cookies()
    page.goto(f"{base}/tenders/")
    submit(page, f"a[href='/tenders/{tender.pk}/']")
    assert tender.reference in page.content()

    # Two providers seal their bids and each gets its receipt.
    receipts = {}
    for user, price in ((world.provider_a, "90000"), (world.provider_b, "95000")):
        sign_in(page, base, user)
        page.goto(f"{base}/procurement/tenders/{tender.pk}/")
        submit(page, "#bid-link")
        page.fill("#bid-form input[name='price']", price)
        submit(page, "#bid-form button[type='submit']")
        receipts[user.pk] = page.locator("#own-bids .receipt").first.inner_text().strip()
        assert len(receipts[user.pk]) == 64
    assert sorted(receipts.values()) == sorted(
        Bid.objects.filter(tender=tender).values_list("receipt_sha256", flat=True)
    )

    # The deadline passes (tests move it rather than wait); two purchaser users open the bids.
    past_opening_time(tender)
    sign_in(page, base, world.purchaser_a)
    page.goto(f"{base}/procurement/tenders/{tender.pk}/")
    submit(page, "#initiate-opening")
    sign_in(page, base, world.purchaser_a_approver)
    page.goto(f"{base}/procurement/tenders/{tender.pk}/")
    submit(page, "#confirm-opening")
    assert "90,000.00" in page.locator("#opened-bids").inner_text()

    # The panel is drawn at random; each expert finds the seat on the home page, declares, scores.
    sign_in(page, base, world.purchaser_a)
    page.goto(f"{base}/procurement/tenders/{tender.pk}/evaluation/")
    submit(page, "#draw-panel")
    seated = {m.expert.user_id for m in PanelMember.objects.filter(panel__tender=tender).select_related("expert")}
    assert len(seated) == 3
    points = {"服务方案": "40", "人员配置": "15"}
    for expert in experts:
        if expert.user_id not in seated:
            continue
        sign_in(page, base, expert.user)
        page.goto(f"{base}{reverse('core:home')}")
        submit(page, f"#home-procurement-expert a[href='/procurement/tenders/{tender.pk}/evaluation/']")
        submit(page, "#declare")
        for index in range(2):
            form = page.locator(".score-form").nth(index)
            for label, value in points.items():
                form.locator("label", has_text=label).locator("input").fill(value)
            with page.expect_navigation():
                form.locator("button[type='submit']").click()

    # The purchaser issues the report and records the three-list credit check of the winner.
    sign_in(page, base, world.purchaser_a)
    page.goto(f"{base}/procurement/tenders/{tender.pk}/evaluation/")
    submit(page, "#complete-evaluation")
    assert world.provider_a_org.name_zh in page.locator("#ranking tbody tr").first.inner_text()
    page.locator(".credit-form").first.locator("input[name='reference']").fill("信用中国 查询编号 2026-118")
    with page.expect_navigation():
        page.locator(".credit-form").first.locator("button[type='submit']").click()

    # The award is reached from the home page, proposed by one user and confirmed by another.
    page.goto(f"{base}{reverse('core:home')}")
    submit(page, f"#home-procurement-awards a[href='/procurement/tenders/{tender.pk}/awards/']")
    submit(page, "#award-propose button[type='submit']")
    assert Award.objects.get(tender=tender).status == "proposed"
    mail.outbox.clear()
    sign_in(page, base, world.purchaser_a_approver)
    page.goto(f"{base}/procurement/tenders/{tender.pk}/awards/")
    submit(page, "#awards button[type='submit']")
    award = Award.objects.get(tender=tender)
    assert award.status == "active"
    assert award.provider == world.provider_a_org
    assert world.provider_a_org.name_zh in page.locator("#awards").inner_text()
    # Both bidders are told of the award notice.
    assert {"a@example.org", "b@example.org"} <= {a for m in mail.outbox for a in m.to}

    # The losing bidder sees the challenge period on its home page; the public sees the award.
    sign_in(page, base, world.provider_b)
    page.goto(f"{base}{reverse('core:home')}")
    assert tender.reference in page.locator("#home-procurement-award-notices").inner_text()
    page.context.clear_cookies()
    page.goto(f"{base}/tenders/{tender.pk}/")
    assert Tender.objects.get(pk=tender.pk).get_status_display() in page.content()
    page_problems.assert_clean()
