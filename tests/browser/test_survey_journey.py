"""A recipient answers the satisfaction survey on a phone-sized screen, and later the public sees
the evaluation's grade — in a real Chromium.

The contract comes from a published tender (so its project page is public); the evaluation round
is walked through the services (their rules are tested in govbuy/performance/tests). The survey
is answered in the browser: the code typed from the printed sheet, each question's radio button
chosen by its label, without relying on JavaScript. The published result then shows on the
public project page and on the public results list, whose chart is drawn from its data table.
"""

from __future__ import annotations

import pytest

from govbuy.performance.models import Answer
from govbuy.performance.services import rounds, surveys
from tests.builders.performance import make_contract, survey_with_answers, to_awaiting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_phone_survey_then_public_grade(world, live_server, page, page_problems, award, template):
    base = live_server.url
    contract = make_contract(world, award.tender.project)
    obj = rounds.open_round(actor=world.purchaser_a, contract=contract, kind="final")
    survey, codes = survey_with_answers(world, contract, obj, n=5, extra=1)

    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{base}/s/")
    page.fill("#id_code", codes[-1].lower())
    with page.expect_navigation():
        page.click("form.survey-form button[type='submit']")
    assert page.url.endswith(f"/s/{codes[-1]}/")
    for n in range(1, len(survey.questions) + 1):
        page.get_by_label("5 非常满意", exact=False).nth(n - 1).check()
    page.fill("#id_comment", "服务人员很耐心。")
    # The form fits the phone: no horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    with page.expect_navigation():
        page.click("#survey-form button[type='submit']")
    assert "谢谢" in page.content()
    assert Answer.objects.filter(survey=survey).count() == 6

    obj = to_awaiting(world, obj)
    obj = rounds.finalise(actor=world.purchaser_a_approver, round=obj, version=obj.version)
    rounds.respond(actor=world.provider_a, round=obj, version=obj.version, body="无异议")
    obj.refresh_from_db()
    rounds.publish(actor=world.purchaser_a, round=obj, version=obj.version)

    page.goto(f"{base}/projects/{contract.project_id}/")
    assert page.locator("#project-evaluations").is_visible()
    assert "优" in page.locator("#project-evaluations").inner_text()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/evaluations/")
    page.wait_for_selector(".chart canvas")
    assert page.locator("#grades-by-year").is_visible()
    page_problems.assert_clean()
    assert surveys.summary(survey).answers == 6
