"""Risk flags of the later stages (issue 15): bidders sharing contacts, a winner with negative
credit facts, a contract value raised by amendments, late signing, publication and payment (the
contracts' statutory clocks), deliverables accepted without evidence. Each raised on a crafted
process, none on the clean one; each names the data behind it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from govbuy.contracts.models import Contract, DeliverableDocument, Milestone, Payment
from govbuy.core import facts
from govbuy.oversight.models import Flag, FlagRule
from govbuy.oversight.services import flagging, stage_flags
from govbuy.procurement.models import Award, Tender
from govbuy.providers.models import ProviderProfile
from tests.builders.contracts import draw, prepare, sign_both

pytestmark = pytest.mark.django_db
STAGE = set(stage_flags.RULES)


def raised(tender) -> dict[str, list[Flag]]:
    out: dict[str, list[Flag]] = {}
    for flag in flagging.compute_flags(tender=tender):
        out.setdefault(flag.rule.code, []).append(flag)
    return out


def _tender(contract: Contract) -> Tender:
    tender = contract.award.tender
    # The flow moved the deadline to the opening; the notice gave the 40 days of the builder.
    Tender.objects.filter(pk=tender.pk).update(bid_deadline=tender.published_at + dt.timedelta(days=40))
    return tender


@pytest.fixture
def contract(world, live):
    return Contract.objects.select_related("award__tender").get(pk=live.pk)


def _accept_first_milestone(world, contract):
    """Provider A delivers the first milestone with its evidence; two purchaser users accept it."""
    from govbuy.contracts.samples import pdf
    from govbuy.contracts.services import delivery

    milestone = Milestone.objects.filter(contract=contract).order_by("sequence").first()
    deliverable = delivery.submit_deliverable(
        actor=world.provider_a,
        contract=contract,
        milestone=milestone,
        summary="上半年服务完成",
        quantity_achieved="600 人次",
        files=[("服务记录", "records.pdf", pdf("records", ""))],
    )
    for actor in (world.purchaser_a, world.purchaser_a_approver):
        deliverable = delivery.accept_deliverable(actor=actor, deliverable=deliverable, version=deliverable.version)
    milestone.refresh_from_db()
    return milestone


def test_the_later_rules_are_data_with_explanations_naming_their_data():
    rules = {r.code: r for r in FlagRule.objects.filter(code__in=STAGE)}
    assert set(rules) == STAGE
    assert all("数据" in r.explanation_zh and r.threshold is not None for r in rules.values())


def test_a_clean_contract_raises_no_flag(contract):
    assert raised(_tender(contract)) == {}


def test_bidders_sharing_a_telephone(world, contract):
    a = ProviderProfile.objects.get(organisation=world.provider_a_org)
    ProviderProfile.objects.filter(organisation=world.provider_b_org).update(
        contact_phone=f"+86 {a.contact_phone[:3]}-{a.contact_phone[3:]}"
    )
    [flag] = raised(_tender(contract))["shared_contacts"]
    assert flag.evidence["contact"] == "phone"
    assert flag.evidence["providers"] == sorted([world.provider_a_org.pk, world.provider_b_org.pk])


def test_bidders_sharing_an_address_threshold_is_data(world, contract):
    a = ProviderProfile.objects.get(organisation=world.provider_a_org)
    ProviderProfile.objects.filter(organisation=world.provider_b_org).update(
        registered_address=" " + a.registered_address.replace("", " ").strip()
    )
    FlagRule.objects.filter(code="shared_contacts").update(threshold=3)
    assert "shared_contacts" not in raised(_tender(contract))
    FlagRule.objects.filter(code="shared_contacts").update(threshold=2)
    [flag] = raised(contract.award.tender)["shared_contacts"]
    assert flag.evidence["contact"] == "address"


def test_a_winner_with_a_negative_credit_fact(world, contract):
    tender = _tender(contract)
    facts.report(
        "contracts.delivery_late",
        provider_id=contract.provider_id,
        source_type="contracts.contract",
        source_id=contract.pk,
        occurred_at=timezone.now() - dt.timedelta(days=30),
        summary="上一合同逾期交付",
    )
    [flag] = raised(tender)["negative_credit"]
    assert flag.evidence["provider_id"] == contract.provider_id
    assert [f["kind"] for f in flag.evidence["facts"]] == ["contracts.delivery_late"]


def test_contract_value_raised_by_amendments(world, contract):
    from govbuy.contracts.services import changes

    tender = _tender(contract)
    amendment = changes.propose_amendment(
        actor=world.purchaser_a,
        contract=contract,
        version=contract.version,
        rationale="value_increase",
        description="增加同类服务",
        value_change=str((contract.original_value * Decimal("0.08")).quantize(Decimal("0.01"))),
    )
    assert "amendment_increase" not in raised(tender)  # proposed, not in force
    changes.confirm_amendment(actor=world.purchaser_a_approver, amendment=amendment)
    [flag] = raised(tender)["amendment_increase"]
    assert flag.evidence["share"] == "0.0800"
    assert flag.evidence["amendments"] == [1]


def test_late_signing_on_the_statutory_clock(world, contract):
    tender = _tender(contract)
    Contract.objects.filter(pk=contract.pk).update(award_notice_at=contract.signed_at - dt.timedelta(days=45))
    [flag] = raised(tender)["late_signing"]
    assert flag.evidence["step"] == contract.reference
    assert flag.evidence["days_late"] >= 14


def test_an_award_without_a_contract_past_the_signing_clock(world, award):
    tender = _tender(Contract(award=award))
    assert "late_signing" not in raised(tender)
    Award.objects.filter(pk=award.pk).update(confirmed_at=timezone.now() - dt.timedelta(days=40))
    [flag] = raised(tender)["late_signing"]
    assert flag.evidence["step"] == tender.reference
    assert flag.evidence["done"] == ""


def test_late_publication_on_the_statutory_clock(world, contract):
    tender = _tender(contract)
    Contract.objects.filter(pk=contract.pk).update(published_at=contract.signed_at + dt.timedelta(days=10))
    [flag] = raised(tender)["late_publication"]
    assert flag.evidence["done"] != ""
    assert "late_signing" not in raised(tender)


def test_an_unpublished_contract_past_its_clock(world, award):
    contract = sign_both(world, prepare(world, draw(world, award)))
    Contract.objects.filter(pk=contract.pk).update(signed_at=timezone.now() - dt.timedelta(days=10))
    [flag] = raised(_tender(Contract.objects.get(pk=contract.pk)))["late_publication"]
    assert flag.evidence["done"] == ""


def test_late_payment_after_acceptance(world, contract):
    tender = _tender(contract)
    milestone = _accept_first_milestone(world, contract)
    assert "late_payment" not in raised(tender)  # accepted today: 30 days to pay
    Milestone.objects.filter(pk=milestone.pk).update(accepted_at=timezone.now() - dt.timedelta(days=40))
    [flag] = raised(tender)["late_payment"]
    assert flag.evidence == {
        "step": f"{contract.reference}/{milestone.sequence}",
        "due": (timezone.localdate() - dt.timedelta(days=10)).isoformat(),
        "done": "",
        "days_late": 10,
        "threshold": "30.0000",
    }


def test_a_payment_in_time_raises_no_late_payment(world, contract):
    from govbuy.contracts.services import payments

    tender = _tender(contract)
    milestone = _accept_first_milestone(world, contract)
    contract.refresh_from_db()
    payments.record_payment(
        actor=world.purchaser_a,
        contract=contract,
        milestone=milestone,
        amount=str((contract.value * Decimal("0.4")).quantize(Decimal("0.01"))),
        payee=contract.payee,
        paid_on=timezone.localdate(),
        reference="PAY-1",
    )
    Milestone.objects.filter(pk=milestone.pk).update(accepted_at=timezone.now() - dt.timedelta(days=20))
    Payment.objects.filter(contract=contract).update(paid_on=timezone.localdate() - dt.timedelta(days=5))
    assert "late_payment" not in raised(tender)
    Payment.objects.filter(contract=contract).update(paid_on=timezone.localdate() + dt.timedelta(days=15))
    assert "late_payment" in raised(tender)


def test_a_deliverable_accepted_without_evidence(world, contract):
    tender = _tender(contract)
    _accept_first_milestone(world, contract)
    assert "accepted_without_evidence" not in raised(tender)
    DeliverableDocument.objects.filter(deliverable__contract=contract).delete()
    [flag] = raised(tender)["accepted_without_evidence"]
    assert flag.evidence["contract"] == contract.reference
    assert flag.evidence["documents"] == 0


def test_inactive_rules_raise_nothing(world, contract):
    tender = _tender(contract)
    FlagRule.objects.filter(code__in=STAGE).update(active=False, threshold=0)
    assert raised(tender) == {}
