"""Facts procurement reports through govbuy.core.facts land in the credit record: the winner's
refusal to sign (Reg. Art. 49, 72) once a second user confirms it, negative, from its source."""

from __future__ import annotations

import pytest

from govbuy.credit.models import CreditFact
from govbuy.procurement.services import refusals
from govbuy.providers.samples import minimal_pdf
from tests.builders.procurement import awarded_tender

pytestmark = pytest.mark.django_db


def test_a_confirmed_refusal_to_sign_is_a_negative_credit_fact(world, published, providers):
    won = awarded_tender(world, published)
    refusals.record_refusal(
        actor=world.purchaser_a,
        tender=won.tender,
        award=won.award,
        ground="lapsed",
        reason="自中标通知书发出之日起30日内未签订合同。",
        evidence=("记录.pdf", minimal_pdf("期限届满")),
    )
    assert not CreditFact.objects.exists()
    refusals.confirm_refusal(actor=world.purchaser_a_approver, tender=won.tender, award=won.award)
    fact = CreditFact.objects.get()
    assert fact.kind == "procurement.refused_to_sign"
    assert fact.provider_id == won.award.provider_id
    assert fact.direction == "negative"
    assert (fact.source_type, fact.source_id) == ("procurement.award", won.award.pk)
    assert "未在规定期限内签订合同" in fact.summary
    assert "第四十九条" in fact.legal_basis
