"""Pages and API: lists in a fixed number of queries, every detail a 404 for the outsider, the
provider and oversight in reach, read-only auditors, home sections, and a walk through the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from govbuy.contracts.models import Contract, ContractStatus, Deliverable
from govbuy.contracts.samples import pdf

pytestmark = pytest.mark.django_db


def _copies(contract: Contract, n: int) -> None:
    """More rows for the lists (commissions, so no award is needed)."""
    rows = []
    for i in range(n):
        row = Contract.objects.get(pk=contract.pk)
        row.pk = None
        row.reference = f"{contract.reference}-{Contract.objects.count() + i}"
        row.basis = "commission"
        row.award = None
        row.commission_reason = "复制"
        rows.append(row)
    Contract.objects.bulk_create(rows)


@pytest.mark.parametrize("url_name", ["contracts:list", "api:contracts"])
def test_lists_use_a_fixed_number_of_queries(world, login, signed, django_assert_num_queries, url_name):
    client = login(world.purchaser_a)
    _copies(signed, 1)
    client.get(reverse(url_name))
    with CaptureQueriesContext(connection) as two_rows:
        assert client.get(reverse(url_name)).status_code == 200
    _copies(signed, 15)
    with django_assert_num_queries(len(two_rows.captured_queries)):
        response = client.get(reverse(url_name))
    assert response.status_code == 200


def test_the_list_page_takes_an_exact_number_of_queries(world, login, signed, django_assert_num_queries):
    client = login(world.purchaser_a)
    _copies(signed, 5)
    client.get(reverse("contracts:list"))
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("contracts:list"))
    expected = len(first.captured_queries)
    _copies(signed, 20)
    with django_assert_num_queries(expected):
        client.get(reverse("contracts:list"))


def _urls(contract: Contract, deliverable: Deliverable) -> list[str]:
    document = deliverable.documents.first()
    return [
        reverse("contracts:detail", args=[contract.pk]),
        reverse("contracts:pdf", args=[contract.pk]),
        reverse("contracts:document", args=[document.pk]),
        reverse("api:contract", args=[contract.pk]),
    ]


@pytest.fixture
def delivered(world, live):
    from govbuy.contracts.services import delivery

    return delivery.submit_deliverable(
        actor=world.provider_a,
        contract=live,
        milestone=live.milestones.first(),
        summary="上半年服务",
        quantity_achieved="600 人次",
        files=[("记录", "records.pdf", pdf())],
    )


def test_outsiders_and_other_districts_get_404_on_every_detail(world, login, live, delivered):
    for user in (world.outsider, world.purchaser_b, world.provider_b, world.district_finance_b):
        client = login(user)
        for url in _urls(live, delivered):
            assert client.get(url).status_code == 404, (user.username, url)
    client = login(world.outsider)
    response = client.post(
        reverse("api:contract-file", args=[live.pk]), {"version": live.version}, content_type="application/json"
    )
    assert response.status_code == 404
    for name in ("contracts:file", "contracts:publish", "contracts:pay", "contracts:terminate", "contracts:finding"):
        assert client.post(reverse(name, args=[live.pk]), {"version": live.version}).status_code == 404, name
    accept = reverse("contracts:deliverable_accept", args=[live.pk, delivered.pk])
    assert client.post(accept, {"version": delivered.version}).status_code == 404


def test_parties_and_oversight_of_the_region_see_the_contract(world, login, live, delivered):
    for user in (world.purchaser_a, world.provider_a, world.district_finance_a, world.auditor, world.city_finance):
        client = login(user)
        for url in _urls(live, delivered):
            assert client.get(url).status_code == 200, (user.username, url)


def test_auditors_read_but_cannot_act(world, login, live):
    client = login(world.auditor)
    response = client.post(
        reverse("api:contract-file", args=[live.pk]), {"version": live.version}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_the_provider_does_not_see_the_subcontracting_flags(world, login, live):
    from govbuy.contracts.models import SubcontractingFlag

    SubcontractingFlag.objects.create(
        contract=live, kind="shared_phone", key="x", detail="其他机构", raised_at=live.signed_at
    )
    assert login(world.provider_a).get(reverse("api:contract", args=[live.pk])).json()["flags"] == []
    flags = login(world.purchaser_a).get(reverse("api:contract", args=[live.pk])).json()["flags"]
    assert "其他机构" in [f["detail"] for f in flags]


def test_home_sections_show_what_waits_for_each_role(world, login, ready):
    provider_home = login(world.provider_a).get(reverse("core:home")).content.decode()
    assert "contracts-sign" in provider_home
    purchaser_home = login(world.purchaser_a).get(reverse("core:home")).content.decode()
    assert "contracts-sign" not in purchaser_home


def test_the_api_walks_a_contract_from_award_to_payment(world, award):
    from govbuy.accounts.testing import force_login_verified

    purchaser = force_login_verified(Client(), world.purchaser_a)
    approver = force_login_verified(Client(), world.purchaser_a_approver)
    provider = force_login_verified(Client(), world.provider_a)
    response = purchaser.post(
        reverse("api:contracts"),
        {"award": award.pk, "no_financing_guarantee": True, "bond_amount": "10.01", "bond_form": "bank_guarantee"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "10%" in response.json()["message"]
    response = purchaser.post(
        reverse("api:contracts"), {"award": award.pk, "no_financing_guarantee": True}, content_type="application/json"
    )
    assert response.status_code == 201
    contract = response.json()
    pk = contract["id"]

    def post(client, name, data, *args):
        result = client.post(reverse(name, args=[pk, *args]), data, content_type="application/json")
        assert result.status_code == 200, result.json()
        return result.json()

    contract = post(
        purchaser,
        "api:contract-milestones",
        {
            "version": contract["version"],
            "milestones": [
                {
                    "title": "全年服务",
                    "due_date": "2027-12-31",
                    "percentage": "100",
                    "quantity_target": "1200 人次",
                    "quality_target": "满意度 ≥ 90%",
                }
            ],
        },
    )
    contract = post(
        provider,
        "api:contract-payee",
        {
            "version": contract["version"],
            "bank_name": "中国工商银行",
            "account_name": "阳光养老",
            "account_number": "0200001234567890123",
        },
    )
    contract = post(provider, "api:contract-provider-sign", {"version": contract["version"]})
    contract = post(purchaser, "api:contract-purchaser-sign", {"version": contract["version"]})
    assert contract["status"] == ContractStatus.SIGNED
    contract = post(
        purchaser,
        "api:contract-publish",
        {"version": contract["version"], "withheld": [{"section": "settlement", "reason": "报价构成"}]},
    )
    contract = post(purchaser, "api:contract-file", {"version": contract["version"]})
    response = provider.post(
        reverse("api:contract-deliverables", args=[pk]),
        {
            "milestone": contract["milestones"][0]["id"],
            "summary": "全年服务完成",
            "quantity_achieved": "1210 人次",
            "files": [_upload()],
        },
    )
    assert response.status_code == 200, response.json()
    deliverable = response.json()["milestones"][0]["deliverables"][0]
    first = post(purchaser, "api:contract-accept", {"version": deliverable["version"]}, deliverable["id"])
    deliverable = first["milestones"][0]["deliverables"][0]
    contract = post(approver, "api:contract-accept", {"version": deliverable["version"]}, deliverable["id"])
    assert contract["milestones"][0]["status"] == "accepted"
    payee = Contract.objects.get(pk=pk).payee_id
    contract = post(
        purchaser,
        "api:contract-payments",
        {"milestone": contract["milestones"][0]["id"], "amount": "100.00", "payee": payee, "reference": "GK-1"},
    )
    assert contract["amount_paid"] == "100.00"
    contract = post(purchaser, "api:contract-complete", {"version": contract["version"]})
    assert contract["status"] == ContractStatus.COMPLETED


def _upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("records.pdf", pdf(), content_type="application/pdf")


def test_the_public_project_page_continues_past_the_award(world, signed):
    from govbuy.contracts.services import signing

    live = signing.publish(
        actor=world.purchaser_a,
        contract=signed,
        version=signed.version,
        withheld=[{"section": "settlement", "reason": "报价构成属商业秘密"}],
    )
    page = Client().get(f"/projects/{live.project_id}/").content.decode()
    assert f'id="history-contract-{live.pk}"' in page
    assert "报价构成属商业秘密" in page
    assert live.settlement not in page
    response = Client().get(f"/api/v1/portal/projects/{live.project_id}/")
    kinds = [e["kind"] for e in response.json()["events"]]
    assert "contract" in kinds


def test_home_sections_mark_late_steps_and_show_payments_due_and_flags(world, login, signed):
    from govbuy.contracts.models import SubcontractingFlag
    from govbuy.contracts.services import delivery, signing

    # Ten days after signing at least three working days have passed: publication is late.
    Contract.objects.filter(pk=signed.pk).update(signed_at=signed.signed_at - dt.timedelta(days=10))
    page = login(world.purchaser_a).get(reverse("core:home")).content.decode()
    assert 'id="home-contracts-publish"' in page
    assert "已逾期" in page
    signed.refresh_from_db()
    live = signing.publish(actor=world.purchaser_a, contract=signed, version=signed.version)
    deliverable = delivery.submit_deliverable(
        actor=world.provider_a,
        contract=live,
        milestone=live.milestones.first(),
        summary="上半年服务",
        quantity_achieved="600 人次",
        files=[("记录", "records.pdf", pdf())],
    )
    assert 'id="home-contracts-accept"' in login(world.purchaser_a).get(reverse("core:home")).content.decode()
    deliverable = delivery.accept_deliverable(
        actor=world.purchaser_a, deliverable=deliverable, version=deliverable.version
    )
    delivery.accept_deliverable(actor=world.purchaser_a_approver, deliverable=deliverable, version=deliverable.version)
    assert 'id="home-contracts-payments"' in login(world.purchaser_a).get(reverse("core:home")).content.decode()
    SubcontractingFlag.objects.get_or_create(
        contract=live, kind="shared_payee", key="x", defaults={"detail": "其他机构", "raised_at": live.signed_at}
    )
    finance_home = login(world.district_finance_a).get(reverse("core:home")).content.decode()
    assert 'id="home-contracts-flags"' in finance_home
    assert 'id="home-contracts-flags"' not in login(world.district_finance_b).get(reverse("core:home")).content.decode()
