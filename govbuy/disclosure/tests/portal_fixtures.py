"""Fixtures of the portal tests: purchaser A's approved project on planning's fixtures, its annual
plan, a published tender with two verified providers, and the steps through the opening, the
evaluation and the award (procurement's own test flow, all through the services)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from govbuy.planning.services import annual_plans
from govbuy.planning.tests.conftest import advance, budget, catalog, line, propose  # noqa: F401
from govbuy.procurement.models import Ranking
from govbuy.procurement.services import awards, evaluation, tenders
from govbuy.procurement.tests.flow import evaluate, open_with_bids
from govbuy.providers.tests.conftest import verified_profile

CRITERIA = [{"name": "价格", "weight": 30, "is_price": True}, {"name": "服务方案", "weight": 70}]


@pytest.fixture
def approved(world, propose):  # noqa: F811 - the imported fixture is this one's argument
    return advance(propose(), world, to="approved")


@pytest.fixture
def planned(world, approved):
    annual_plans.publish_plan(actor=world.purchaser_a, purchaser=world.purchaser_a_org, fiscal_year=2027)
    approved.refresh_from_db()
    return approved


@pytest.fixture
def providers(world):
    return (
        verified_profile(world, "provider_a_org", "provider_a", serial=1),
        verified_profile(world, "provider_b_org", "provider_b", serial=2),
    )


def publish_tender(world, project):
    tender = tenders.create_tender(
        actor=world.purchaser_a,
        project=project,
        bid_deadline=(timezone.now() + dt.timedelta(days=40)).replace(microsecond=0),
        criteria=CRITERIA,
    )
    return tenders.publish_tender(actor=world.purchaser_a, tender=tender, version=tender.version)


@pytest.fixture
def noticed(world, planned, providers):
    return publish_tender(world, planned)


def award_top(world, tender):
    """Open with two bids (100.00 and 125.00), evaluate, check and award the top-ranked bid."""
    open_with_bids(world, tender)
    evaluate(world, tender)
    top = Ranking.objects.filter(evaluation__tender=tender).select_related("bid").order_by("rank").first().bid
    evaluation.record_credit_check(
        actor=world.purchaser_a,
        tender=tender,
        bid=top,
        dishonest_debtors="clear",
        tax_violations="clear",
        procurement_violations="clear",
        reference="信用中国 2027-001",
    )
    award = awards.propose_award(actor=world.purchaser_a, tender=tender, bid=top)
    tender.refresh_from_db()
    return award
