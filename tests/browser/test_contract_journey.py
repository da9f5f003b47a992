"""A contract from the confirmed award to a payment — in a real Chromium.

The award is made through the procurement services (its journey is tested elsewhere). Then every
step is a page: the purchaser draws up the contract from the award on /contracts/ and sets the
milestones; the provider names its own payee account and signs; the purchaser signs and
publishes the notice with one section withheld as a commercial secret; the provider submits a
deliverable with evidence; two of the purchaser's users accept it (four eyes); the purchaser
records the payment; and the public project page shows the contract notice, the withheld
section's reason, the milestone reached and the payment.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from govbuy.accounts.testing import force_login_verified
from govbuy.contracts.models import Contract
from govbuy.contracts.samples import pdf

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


def test_a_contract_from_award_to_payment(world, live_server, page, page_problems, award, tmp_path: Path):
    base = live_server.url

    # The purchaser draws up the contract from the confirmed award and sets two milestones.
    sign_in(page, base, world.purchaser_a)
    page.goto(f"{base}/contracts/")
    form = f"#draw-{award.pk}"
    page.check(f"{form} input[name='no_financing_guarantee']")
    submit(page, f"{form} button[type='submit']")
    contract = Contract.objects.get(award=award)
    assert page.url.endswith(f"/contracts/{contract.pk}/")
    for i, (title, due, share) in enumerate(
        (("上半年服务", "2027-06-30", "40"), ("下半年服务", "2027-12-31", "60")), 1
    ):
        page.fill(f"#milestones-form input[name='title_{i}']", title)
        page.fill(f"#milestones-form input[name='due_{i}']", due)
        page.fill(f"#milestones-form input[name='percentage_{i}']", share)
        page.fill(f"#milestones-form input[name='quantity_{i}']", "600 人次")
        page.fill(f"#milestones-form input[name='quality_{i}']", "满意度 ≥ 90%")
    submit(page, "#milestones-form button[type='submit']")
    assert Contract.objects.get(pk=contract.pk).milestones.count() == 2

    # The provider names its own account and signs; the contract PDF is stored with its hash.
    sign_in(page, base, world.provider_a)
    page.goto(f"{base}/contracts/{contract.pk}/")
    page.fill("#payee-form input[name='bank_name']", "中国工商银行北京东城支行")
    page.fill("#payee-form input[name='account_name']", world.provider_a_org.name_zh)
    page.fill("#payee-form input[name='account_number']", "0200001234567890123")
    submit(page, "#payee-form button[type='submit']")
    submit(page, "#provider-sign button")
    assert Contract.objects.get(pk=contract.pk).status == "provider_signed"
    assert page.locator("#contract-pdf").count() == 1

    # The purchaser signs and publishes the notice, withholding the settlement terms.
    sign_in(page, base, world.purchaser_a)
    page.goto(f"{base}/contracts/{contract.pk}/")
    submit(page, "#purchaser-sign button")
    assert Contract.objects.get(pk=contract.pk).status == "signed"
    page.check("#publish-form input[value='settlement']")
    page.fill("#publish-form input[name='reason_settlement']", "报价构成属商业秘密")
    submit(page, "#publish-form button[type='submit']")
    assert Contract.objects.get(pk=contract.pk).status == "published"

    # The provider submits the first deliverable with its evidence.
    evidence = tmp_path / "records.pdf"
    evidence.write_bytes(pdf("service records"))
    sign_in(page, base, world.provider_a)
    page.goto(f"{base}/contracts/{contract.pk}/")
    page.fill("#deliverable-form textarea[name='summary']", "上半年完成上门服务 612 人次。")
    page.fill("#deliverable-form input[name='quantity_achieved']", "612 人次")
    page.fill("#deliverable-form input[name='title']", "服务记录")
    page.set_input_files("#deliverable-form input[name='files']", str(evidence))
    submit(page, "#deliverable-form button[type='submit']")
    assert Contract.objects.get(pk=contract.pk).deliverables.count() == 1

    # Two of the purchaser's users accept it (four eyes); the purchaser records the payment.
    sign_in(page, base, world.purchaser_a)
    page.goto(f"{base}/contracts/{contract.pk}/")
    submit(page, ".accept-form button")
    sign_in(page, base, world.purchaser_a_approver)
    page.goto(f"{base}/contracts/{contract.pk}/")
    submit(page, ".accept-form button")
    assert Contract.objects.get(pk=contract.pk).milestones.get(sequence=1).status == "accepted"
    page.fill("#payment-form input[name='amount']", "40.00")
    page.fill("#payment-form input[name='reference']", "GK-2027-0001")
    submit(page, "#payment-form button[type='submit']")
    assert str(Contract.objects.get(pk=contract.pk).amount_paid) == "40.00"
    assert page.locator("#contract-paid").inner_text() == "40.00"

    # The public project page continues past the award.
    page.context.clear_cookies()
    page.goto(f"{base}/projects/{contract.project_id}/")
    history = page.locator("#history").inner_text()
    assert contract.reference in history
    assert "报价构成属商业秘密" in history
    assert "40.00" in history
    assert page.locator(f"#history-contract-{contract.pk}").count() == 1
    page_problems.assert_clean()
