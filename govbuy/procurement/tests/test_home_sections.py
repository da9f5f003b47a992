"""The home page leads each role to the award stage: the purchaser to the winners to confirm (with
the 5-working-day limit) and the challenges to answer, the finance bureau to the complaints to
decide, the providers that bid to the award notice while it may be challenged. Scoped by role and
region; a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from govbuy.core.calendar.rules import get_calendar, local_date
from govbuy.procurement import rules
from govbuy.procurement.models import (
    Award,
    Bid,
    Challenge,
    Complaint,
    Evaluation,
    Lot,
    Ranking,
    Tender,
)
from govbuy.procurement.services import awards, challenges
from tests.builders.procurement import clear_credit, evaluated_tender

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluated(world, published, providers):
    evaluated_tender(world, published)
    clear_credit(world, published)
    return published


def award(world, tender):
    top = Ranking.objects.get(evaluation__tender=tender, rank=1).bid
    awards.propose_award(actor=world.purchaser_a, tender=tender, bid=top)
    tender.refresh_from_db()
    return top


def loser(world, tender):
    other = Ranking.objects.get(evaluation__tender=tender, rank=2).bid.provider
    return (world.provider_a if other == world.provider_a_org else world.provider_b), other


def home(login, user) -> str:
    response = login(user).get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en")  # the assertions read English
    assert response.status_code == 200
    return response.content.decode()


def day(moment) -> str:
    return local_date(moment).isoformat()


def test_the_purchaser_is_led_to_the_award_with_its_due_date(world, login, evaluated):
    report = Evaluation.objects.get(tender=evaluated)
    due = day(rules.award_deadline(report.reported_at, get_calendar()))
    page = home(login, world.purchaser_a)
    assert 'id="home-procurement-awards"' in page
    assert reverse("procurement:awards", args=[evaluated.pk]) in page
    assert f"confirm the winner by {due}" in page
    for other in (world.purchaser_b, world.provider_a, world.district_finance_a, world.outsider):
        assert 'id="home-procurement-awards"' not in home(login, other)
    award(world, evaluated)
    assert 'id="home-procurement-awards"' not in home(login, world.purchaser_a)


def test_bidders_see_the_award_notice_while_it_may_be_challenged(world, login, evaluated):
    top = award(world, evaluated)
    notice = Award.objects.get(tender=evaluated).confirmed_at
    until = day(rules.challenge_deadline(notice, get_calendar()))
    winner, loser_user = (
        (world.provider_a, world.provider_b)
        if top.provider_id == world.provider_a_org.pk
        else (world.provider_b, world.provider_a)
    )
    page = home(login, winner)
    assert 'id="home-procurement-award-notices"' in page
    assert f"you won; challenge period until {until}" in page
    page = home(login, loser_user)
    assert reverse("procurement:challenges", args=[evaluated.pk]) in page
    assert f"challenge period until {until}" in page
    assert "you won" not in page
    assert 'id="home-procurement-award-notices"' not in home(login, world.purchaser_a)
    # Once the period has ended the notice leaves the home page.
    Award.objects.filter(tender=evaluated).update(confirmed_at=timezone.now() - dt.timedelta(days=30))
    assert 'id="home-procurement-award-notices"' not in home(login, loser_user)


def test_challenges_and_complaints_reach_who_must_answer_them(world, login, evaluated):
    award(world, evaluated)
    user, provider = loser(world, evaluated)
    challenge = challenges.lodge_challenge(actor=user, tender=evaluated, provider=provider, grounds="评分有误")
    due = day(rules.answer_deadline(challenge.lodged_at, get_calendar()))
    page = home(login, world.purchaser_a)
    assert 'id="home-procurement-challenges"' in page
    assert f"answer by {due}" in page
    assert reverse("procurement:challenges", args=[evaluated.pk]) in page
    assert 'id="home-procurement-challenges"' not in home(login, world.purchaser_b)
    challenges.answer_challenge(actor=world.purchaser_a, tender=evaluated, challenge=challenge, answer="复核无误")
    assert 'id="home-procurement-challenges"' not in home(login, world.purchaser_a)
    complaint = challenges.lodge_complaint(actor=user, tender=evaluated, challenge=challenge, grounds="答复不当")
    decide_by = day(rules.decision_deadline(complaint.lodged_at, get_calendar()))
    for reviewer in (world.district_finance_a, world.city_finance):
        page = home(login, reviewer)
        assert 'id="home-procurement-complaints"' in page
        assert f"decide by {decide_by}" in page
    for other in (world.district_finance_b, world.purchaser_a, world.auditor, world.outsider):
        assert 'id="home-procurement-complaints"' not in home(login, other)
    challenges.decide_complaint(
        actor=world.district_finance_a, tender=evaluated, complaint=complaint, upheld=False, decision="不成立"
    )
    assert 'id="home-procurement-complaints"' not in home(login, world.district_finance_a)


# --- Query counts --------------------------------------------------------------------------------


def _copy_tender(tender: Tender, suffix: str, status: str) -> Tender:
    return Tender.objects.create(
        project=tender.project,
        purchaser=tender.purchaser,
        region=tender.region,
        method=tender.method,
        reference=f"{tender.reference}-{suffix}",
        title=f"{tender.title}{suffix}",
        description="x",
        budget=tender.budget,
        bid_deadline=tender.bid_deadline,
        status=status,
        published_at=tender.published_at,
        wrapped_key=b"k" * 40,
    )


def _more_rows(world, tender: Tender, n: int) -> None:
    """More rows of every kind the sections list, made directly (their history is not the point)."""
    report = Evaluation.objects.get(tender=tender)
    challenge = Challenge.objects.filter(tender=tender).first()
    notice = Award.objects.get(tender=tender)
    for i in range(n):
        copy = _copy_tender(tender, f"E{n}-{i}", "evaluated")
        Evaluation.objects.create(tender=copy, reported_by=report.reported_by, reported_at=report.reported_at)
        Challenge.objects.create(
            tender=tender,
            provider=challenge.provider,
            lodged_by=challenge.lodged_by,
            lodged_at=timezone.now(),
            grounds="x",
        )
        answered = Challenge.objects.create(
            tender=tender,
            provider=challenge.provider,
            lodged_by=challenge.lodged_by,
            lodged_at=timezone.now(),
            grounds="x",
            status="answered",
            answer="y",
            answered_at=timezone.now(),
        )
        Complaint.objects.create(
            challenge=answered, lodged_by=challenge.lodged_by, lodged_at=timezone.now(), grounds="z"
        )
        won = _copy_tender(tender, f"A{n}-{i}", "awarded")
        lot = Lot.objects.create(tender=won, number=1, title="x", budget=won.budget)
        for provider in (world.provider_a_org, world.provider_b_org):
            bid = Bid.objects.create(
                tender=won,
                lot=lot,
                provider=provider,
                status="opened",
                submitted_at=timezone.now(),
                receipt_sha256="0" * 64,
                ciphertext=b"",
                nonce=b"",
                price="100.00",
            )
        Award.objects.create(
            tender=won,
            lot=lot,
            bid=bid,
            provider=bid.provider,
            amount="100.00",
            status="active",
            proposed_by=notice.proposed_by,
            proposed_at=notice.proposed_at,
            confirmed_by=notice.confirmed_by,
            confirmed_at=notice.confirmed_at,
        )


@pytest.fixture
def busy(world, evaluated):
    """An awarded tender with a challenge and a complaint; a challenge still to answer."""
    award(world, evaluated)
    user, provider = loser(world, evaluated)
    first = challenges.lodge_challenge(actor=user, tender=evaluated, provider=provider, grounds="评分有误")
    challenges.answer_challenge(actor=world.purchaser_a, tender=evaluated, challenge=first, answer="复核无误")
    challenges.lodge_complaint(actor=user, tender=evaluated, challenge=first, grounds="答复不当")
    challenges.lodge_challenge(actor=user, tender=evaluated, provider=provider, grounds="另一个问题")
    return evaluated


@pytest.mark.parametrize(
    ("persona", "section"),
    [
        ("purchaser_a", "procurement-awards"),
        ("purchaser_a", "procurement-challenges"),
        ("district_finance_a", "procurement-complaints"),
        ("provider_a", "procurement-award-notices"),
    ],
)
def test_home_sections_use_a_fixed_number_of_queries(world, login, busy, django_assert_num_queries, persona, section):
    client = login(getattr(world, persona))
    _more_rows(world, busy, 1)
    first = client.get(reverse("core:home"))
    assert f'id="home-{section}"' in first.content.decode()
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("core:home"))
    _more_rows(world, busy, 6)
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(reverse("core:home")).content.decode()
    assert page.count(f'id="home-{section}"') == 1
