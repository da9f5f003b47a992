"""A complaint may name the bidder whose conduct it concerns; the finance bureau's decision may be
upheld against that provider, or find the complaint false or malicious (Reg. Art. 73). Each
finding is reported to the credit system as a fact (govbuy.core.facts)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from govbuy.accounts.testing import force_login_verified
from govbuy.audit.describe import describe
from govbuy.audit.models import AuditEvent
from govbuy.core import facts
from govbuy.core.errors import ValidationFailed
from govbuy.procurement.models import Complaint, Ranking
from govbuy.procurement.services import challenges
from tests.builders.procurement import awarded_tender

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported():
    seen: list[facts.ProviderFact] = []
    facts.register(seen.append, order=1000)
    yield seen
    facts.unregister(seen.append)


@pytest.fixture
def complained(world, published, providers):
    """The loser challenges, the purchaser answers, the loser is ready to complain."""
    tender = awarded_tender(world, published).tender
    loser = Ranking.objects.get(evaluation__tender=tender, rank=2).bid.provider
    winner = Ranking.objects.get(evaluation__tender=tender, rank=1).bid.provider
    user = world.provider_a if loser == world.provider_a_org else world.provider_b
    challenge = challenges.lodge_challenge(actor=user, tender=tender, provider=loser, grounds="中标人提供虚假材料")
    challenges.answer_challenge(actor=world.purchaser_a, tender=tender, challenge=challenge, answer="复核无误")
    return tender, challenge, user, loser, winner


def test_a_complaint_names_another_bidder_or_no_one(world, complained):
    tender, challenge, user, loser, winner = complained
    with pytest.raises(ValidationFailed) as refused:
        challenges.lodge_complaint(actor=user, tender=tender, challenge=challenge, grounds="x", against_provider=loser)
    assert "against_provider" in refused.value.fields
    with pytest.raises(ValidationFailed):
        challenges.lodge_complaint(
            actor=user, tender=tender, challenge=challenge, grounds="x", against_provider=world.purchaser_a_org
        )
    complaint = challenges.lodge_complaint(
        actor=user, tender=tender, challenge=challenge, grounds="虚假材料", against_provider=winner
    )
    assert complaint.against_provider == winner


def test_upheld_against_the_named_provider_is_a_credit_fact(world, complained, reported):
    tender, challenge, user, _loser, winner = complained
    complaint = challenges.lodge_complaint(
        actor=user, tender=tender, challenge=challenge, grounds="虚假材料", against_provider=winner
    )
    with pytest.raises(ValidationFailed):
        challenges.decide_complaint(
            actor=world.district_finance_a,
            tender=tender,
            complaint=complaint,
            upheld=False,
            decision="驳回",
            upheld_against_provider=True,
        )
    decided = challenges.decide_complaint(
        actor=world.district_finance_a,
        tender=tender,
        complaint=complaint,
        upheld=True,
        decision="中标人业绩证明虚假，投诉成立",
        upheld_against_provider=True,
    )
    assert decided.upheld_against_provider is True
    (fact,) = reported
    assert fact.kind == "procurement.complaint_upheld_against"
    assert fact.provider_id == winner.pk
    assert (fact.source_type, fact.source_id) == ("procurement.complaint", complaint.pk)
    event = AuditEvent.objects.get(action="procurement.complaint.decided")
    assert winner.name_zh in describe(event)


def test_a_false_complaint_is_a_credit_fact_against_the_complainant(world, complained, reported):
    tender, challenge, user, loser, _winner = complained
    complaint = challenges.lodge_complaint(actor=user, tender=tender, challenge=challenge, grounds="捏造")
    with pytest.raises(ValidationFailed):
        challenges.decide_complaint(
            actor=world.district_finance_a,
            tender=tender,
            complaint=complaint,
            upheld=True,
            decision="成立",
            false_complaint=True,
        )
    with pytest.raises(ValidationFailed, match="names no provider"):
        challenges.decide_complaint(
            actor=world.district_finance_a,
            tender=tender,
            complaint=complaint,
            upheld=True,
            decision="成立",
            upheld_against_provider=True,
        )
    challenges.decide_complaint(
        actor=world.district_finance_a,
        tender=tender,
        complaint=complaint,
        upheld=False,
        decision="投诉人捏造事实",
        false_complaint=True,
    )
    (fact,) = reported
    assert fact.kind == "procurement.false_complaint"
    assert fact.provider_id == loser.pk
    assert "第七十三条" in fact.data["legal_basis"]
    assert "Reg. Art. 73" in describe(AuditEvent.objects.get(action="procurement.complaint.decided"))


def test_a_plain_decision_reports_nothing(world, complained, reported):
    tender, challenge, user, _loser, _winner = complained
    complaint = challenges.lodge_complaint(actor=user, tender=tender, challenge=challenge, grounds="答复不当")
    challenges.decide_complaint(
        actor=world.district_finance_a, tender=tender, complaint=complaint, upheld=False, decision="驳回"
    )
    assert reported == []


def test_the_page_and_the_api_carry_the_findings(world, complained, reported):
    tender, challenge, user, _loser, winner = complained
    bidder = force_login_verified(Client(), user)
    assert b'name="against_provider"' in bidder.get(reverse("procurement:challenges", args=[tender.pk])).content
    made = bidder.post(
        reverse("api:procurement-complaint", args=[tender.pk, challenge.pk]),
        {"grounds": "虚假材料", "against_provider": winner.pk},
        content_type="application/json",
    )
    assert made.status_code == 201
    assert made.json()["challenges"][0]["complaint"]["against_provider"] == winner.name_zh
    complaint = Complaint.objects.get()
    finance = force_login_verified(Client(), world.district_finance_a)
    response = finance.post(
        reverse("procurement:complaint_decide", args=[tender.pk, complaint.pk]),
        {"upheld": "yes", "decision": "投诉成立", "upheld_against_provider": "yes"},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.upheld_against_provider is True
    assert [f.kind for f in reported] == ["procurement.complaint_upheld_against"]
    listed = finance.get(reverse("api:procurement-challenges", args=[tender.pk])).json()
    assert listed["challenges"][0]["complaint"]["upheld_against_provider"] is True
