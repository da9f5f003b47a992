"""The contract stages in open data: `contract` at publication (commercial secrets withheld with
their reason), `implementation` with each payment and milestone reached, `contractAmendment` and
`contractTermination`. Every release validates against the OCDS schema offline, shares the
tender's ocid, and the record compiles exactly as OCDS Merge (ocdskit's engine) compiles it."""

from __future__ import annotations

import copy

import pytest
from ocdsmerge import Merger

from govbuy.contracts.samples import pdf
from govbuy.contracts.services import changes, delivery, payments
from govbuy.disclosure import jsonutil, schema
from govbuy.disclosure.compile import compile_releases
from govbuy.disclosure.models import Release
from tests.builders.contracts import sign_both

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    from django.utils import translation

    with translation.override("en"):
        yield


SECRET = "单价明细：每人次 80 元"


def _releases(ocid):
    return [jsonutil.loads(row.document) for row in Release.objects.filter(ocid=ocid).order_by("seq")]


def test_contract_releases_validate_share_the_tenders_ocid_and_compile_like_ocds_merge(world, ready):
    from govbuy.contracts.services import signing

    type(ready).objects.filter(pk=ready.pk).update(settlement=SECRET)
    ready.refresh_from_db()
    signed = sign_both(world, ready)
    live = signing.publish(
        actor=world.purchaser_a,
        contract=signed,
        version=signed.version,
        withheld=[{"section": "settlement", "reason": "报价构成属商业秘密"}],
    )
    deliverable = delivery.submit_deliverable(
        actor=world.provider_a,
        contract=live,
        milestone=live.milestones.get(sequence=1),
        summary="上半年服务",
        quantity_achieved="600 人次",
        files=[("记录", "records.pdf", pdf())],
    )
    deliverable = delivery.accept_deliverable(
        actor=world.purchaser_a, deliverable=deliverable, version=deliverable.version
    )
    delivery.accept_deliverable(actor=world.purchaser_a_approver, deliverable=deliverable, version=deliverable.version)
    payments.record_payment(
        actor=world.purchaser_a,
        contract=live,
        milestone=live.milestones.get(sequence=1),
        amount="40.00",
        payee=live.payee,
        reference="GK-1",
    )
    live.refresh_from_db()
    proposed = changes.propose_amendment(
        actor=world.purchaser_a,
        contract=live,
        version=live.version,
        rationale="value_increase",
        description="增加服务人次",
        value_change="5.00",
    )
    changes.confirm_amendment(actor=world.purchaser_a_approver, amendment=proposed)
    live.refresh_from_db()
    changes.terminate(
        actor=world.purchaser_a, contract=live, version=live.version, cause="agreement", reason="服务对象搬迁"
    )

    award_release = Release.objects.filter(object_type="procurement.tender", stage="award").first()
    ocid = award_release.ocid
    releases = _releases(ocid)
    stages = [r["tag"][0] for r in releases if r["tag"][0].startswith(("contract", "implementation"))]
    assert stages == ["contract", "implementation", "contractAmendment", "contractTermination"]
    for release in releases:
        assert schema.errors("release", release) == [], release["tag"]
    contract_release = next(r for r in releases if r["tag"] == ["contract"])
    text = jsonutil.dumps(contract_release)
    assert SECRET not in text
    assert "报价构成属商业秘密" in text
    [section] = contract_release["contracts"]
    assert section["awardID"] == f"{live.award.tender.reference}-{live.award.lot.number}"
    assert [m["status"] for m in section["milestones"]] == ["scheduled", "scheduled"]

    compiled, _versioned = compile_releases(copy.deepcopy(releases))
    expected = Merger(schema=schema.patched_release_schema()).create_compiled_release(copy.deepcopy(releases))
    assert compiled == expected
    [contract] = compiled["contracts"]
    assert contract["status"] == "terminated"
    assert contract["value"]["amount"] == jsonutil.loads("105.00")
    [payment] = contract["implementation"]["transactions"]
    assert payment["value"]["amount"] == jsonutil.loads("40.00")
    assert payment["payee"]["name"] == world.provider_a_org.name_zh
    assert [a["rationale"] for a in contract["amendments"]] != []
    assert contract["milestones"][0]["status"] == "met"
    assert {a["id"] for a in compiled["awards"]} == {section["awardID"]}
