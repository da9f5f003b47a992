"""The performance charts in a real Chromium under the site's CSP: a round's points per indicator
and the distribution of ratings are drawn from their data tables, which stay visible; no CSP
violation, console error or page error."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from govbuy.accounts.testing import force_login_verified
from govbuy.performance.services import rounds
from tests.builders.performance import make_contract, scores_for, survey_with_answers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base: str, user) -> None:
    client = force_login_verified(Client(), user)
    page.context.clear_cookies()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])


def test_round_charts_draw_from_their_tables(world, live_server, page, page_problems, approved, template):
    base = live_server.url
    contract = make_contract(world, approved)
    obj = rounds.open_round(actor=world.purchaser_a, contract=contract, kind="final")
    survey_with_answers(world, contract, obj)
    rounds.enter_scores(actor=world.provider_a, round=obj, version=obj.version, scores=scores_for(obj))
    sign_in(page, base, world.purchaser_a)
    page.goto(f"{base}/performance/rounds/{obj.pk}/")
    page.wait_for_selector("#round-chart .chart canvas")
    assert page.locator(".chart canvas").count() == 2
    assert page.locator("#indicator-scores").is_visible()
    assert page.locator("#round-distribution").is_visible()
    page_problems.assert_clean()
