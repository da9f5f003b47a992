"""Bidders see of the evaluation what the law gives them, when it gives it (Reg. Art. 43; Order 87
Art. 64, 69): nothing while the tender is only evaluated (no panel names, no one's score or rank);
once the award notice is published the panel's names and their own score and rank, never a
rival's; the full report never."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from govbuy.accounts.testing import force_login_verified
from govbuy.procurement.models import Expert, PanelMember, Ranking
from govbuy.procurement.services import awards, evaluation
from tests.builders.procurement import evaluated_tender

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluated(world, published, providers):
    evaluated_tender(world, published)
    return published


def _urls(tender) -> list[str]:
    return [
        reverse("procurement:evaluation", args=[tender.pk]),
        reverse("api:procurement-evaluation", args=[tender.pk]),
        reverse("procurement:awards", args=[tender.pk]),
        reverse("api:procurement-awards", args=[tender.pk]),
        reverse("procurement:evaluation_report", args=[tender.pk]),
    ]


@pytest.mark.parametrize("bidder", ["provider_a", "provider_b"])
def test_a_bidder_learns_nothing_of_the_evaluation_before_the_award_notice(world, evaluated, bidder):
    client = force_login_verified(Client(), getattr(world, bidder))
    expert_names = list(Expert.objects.values_list("name", flat=True))
    for url in _urls(evaluated):
        response = client.get(url)
        assert response.status_code == 404, url
        assert not any(name.encode() in response.content for name in expert_names)


def test_after_the_award_notice_a_bidder_sees_the_panel_and_only_its_own_score(world, evaluated):
    top = Ranking.objects.get(rank=1).bid
    evaluation.record_credit_check(
        actor=world.purchaser_a,
        tender=evaluated,
        bid=top,
        dishonest_debtors="clear",
        tax_violations="clear",
        procurement_violations="clear",
        reference="信用中国 2026-001",
    )
    awards.propose_award(actor=world.purchaser_a, tender=evaluated, bid=top)
    loser_org = world.provider_b_org if top.provider_id == world.provider_a_org.pk else world.provider_a_org
    loser_user = world.provider_b if loser_org == world.provider_b_org else world.provider_a
    client = force_login_verified(Client(), loser_user)
    seated = set(PanelMember.objects.filter(panel__tender=evaluated).values_list("expert__name", flat=True))
    body = client.get(reverse("api:procurement-evaluation", args=[evaluated.pk])).json()
    assert {m["expert"] for m in body["members"]} == seated
    assert [(row["provider"], row["rank"]) for row in body["rankings"]] == [(loser_org.name_zh, 2)]
    assert body["credit_checks"] == []
    page = client.get(reverse("procurement:evaluation", args=[evaluated.pk]))
    assert page.status_code == 200
    ranking_table = page.content.split(b'id="ranking"')[1]
    assert top.provider.name_zh.encode() not in ranking_table
    assert loser_org.name_zh.encode() in ranking_table
    for name in seated:
        assert name.encode() in page.content
    assert client.get(reverse("procurement:evaluation_report", args=[evaluated.pk])).status_code == 404
    insider = force_login_verified(Client(), world.purchaser_a)
    assert len(insider.get(reverse("api:procurement-evaluation", args=[evaluated.pk])).json()["rankings"]) == 2
