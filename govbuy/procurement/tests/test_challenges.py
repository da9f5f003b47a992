"""Challenges and complaints after the award notice: who may lodge, the 7-working-day windows
checked at the request, signing suspended until the answer, escalation to the finance bureau
within 15 working days and its decision; every step audited; pages and API with scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from govbuy.accounts.testing import force_login_verified
from govbuy.audit.models import AuditEvent
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.procurement.models import Award, Challenge, ChallengeStatus, Complaint, Ranking
from govbuy.procurement.selectors import panels
from govbuy.procurement.services import challenges
from tests.builders.procurement import awarded_tender, opened_tender

pytestmark = pytest.mark.django_db
LONG_AGO = dt.datetime(2026, 1, 5, 2, tzinfo=dt.UTC)


@pytest.fixture
def awarded(world, published, providers):
    return awarded_tender(world, published).tender


def loser(world, tender):
    return Ranking.objects.get(evaluation__tender=tender, rank=2).bid.provider


def test_a_bidder_challenges_and_signing_waits_for_the_answer(world, awarded):
    assert panels.signing_allowed(awarded)
    other = loser(world, awarded)
    user = world.provider_a if other == world.provider_a_org else world.provider_b
    with pytest.raises(ValidationFailed):
        challenges.lodge_challenge(actor=user, tender=awarded, provider=other, grounds="")
    with pytest.raises(NotFound):
        challenges.lodge_challenge(actor=world.outsider, tender=awarded, provider=other, grounds="不服")
    with pytest.raises(PermissionRefused):
        challenges.lodge_challenge(actor=world.purchaser_a, tender=awarded, provider=other, grounds="不服")
    challenge = challenges.lodge_challenge(actor=user, tender=awarded, provider=other, grounds="评分有误")
    assert not panels.signing_allowed(awarded)
    with pytest.raises(TransitionRefused, match="may answer until"):
        challenges.lodge_complaint(actor=user, tender=awarded, challenge=challenge, grounds="x")
    with pytest.raises(PermissionRefused):
        challenges.answer_challenge(actor=world.district_finance_a, tender=awarded, challenge=challenge, answer="x")
    answered = challenges.answer_challenge(
        actor=world.purchaser_a, tender=awarded, challenge=challenge, answer="评分复核无误"
    )
    assert answered.status == ChallengeStatus.ANSWERED
    assert answered.answered_late is False
    assert panels.signing_allowed(awarded)
    with pytest.raises(Conflict):
        challenges.answer_challenge(actor=world.purchaser_a, tender=awarded, challenge=challenge, answer="again")
    complaint = challenges.lodge_complaint(actor=user, tender=awarded, challenge=challenge, grounds="答复不当")
    with pytest.raises(PermissionRefused):
        challenges.decide_complaint(
            actor=world.purchaser_a, tender=awarded, complaint=complaint, upheld=False, decision="x"
        )
    decided = challenges.decide_complaint(
        actor=world.district_finance_a, tender=awarded, complaint=complaint, upheld=True, decision="重新评审"
    )
    assert decided.upheld is True
    assert not panels.signing_allowed(awarded)
    actions = set(AuditEvent.objects.filter(action__startswith="procurement.c").values_list("action", flat=True))
    assert {
        "procurement.challenge.lodged",
        "procurement.challenge.answered",
        "procurement.complaint.lodged",
        "procurement.complaint.decided",
    } <= actions


def test_time_limits_are_checked_at_the_request(world, awarded):
    other = loser(world, awarded)
    user = world.provider_a if other == world.provider_a_org else world.provider_b
    challenge = challenges.lodge_challenge(actor=user, tender=awarded, provider=other, grounds="评分有误")
    # No answer within 7 working days: the challenger may complain; a late answer is marked late.
    Challenge.objects.filter(pk=challenge.pk).update(lodged_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=20))
    complaint = challenges.lodge_complaint(actor=user, tender=awarded, challenge=challenge, grounds="逾期未答复")
    late = challenges.answer_challenge(actor=world.purchaser_a, tender=awarded, challenge=challenge, answer="迟复")
    assert late.answered_late is True
    Complaint.objects.filter(pk=complaint.pk).update(lodged_at=LONG_AGO)
    decided = challenges.decide_complaint(
        actor=world.city_finance, tender=awarded, complaint=complaint, upheld=False, decision="驳回"
    )
    assert decided.decided_late is True
    # The challenge window closes 7 working days after the award notice.
    Award.objects.filter(tender=awarded).update(confirmed_at=LONG_AGO)
    with pytest.raises(TransitionRefused, match="challenge period ended"):
        challenges.lodge_challenge(actor=user, tender=awarded, provider=other, grounds="再次质疑")
    # The complaint window closes 15 working days after the answer.
    second = Challenge.objects.create(
        tender=awarded,
        provider=other,
        lodged_by=user,
        lodged_at=LONG_AGO,
        grounds="旧质疑",
        status="answered",
        answer="旧答复",
        answered_at=LONG_AGO,
    )
    with pytest.raises(TransitionRefused, match="complaint period ended"):
        challenges.lodge_complaint(actor=user, tender=awarded, challenge=second, grounds="x")


def test_only_after_the_award_notice(world, published, providers):
    opened_tender(world, published)
    with pytest.raises(TransitionRefused):
        challenges.lodge_challenge(actor=world.provider_a, tender=published, provider=world.provider_a_org, grounds="x")


def test_outsiders_get_404_on_the_challenge_pages_and_api(world, awarded):
    for user in (world.outsider, world.purchaser_b, world.evaluator):
        client = force_login_verified(Client(), user)
        for url in (
            reverse("procurement:challenges", args=[awarded.pk]),
            reverse("api:procurement-challenges", args=[awarded.pk]),
        ):
            assert client.get(url).status_code == 404, (user.username, url)
        assert (
            client.post(reverse("procurement:challenge_lodge", args=[awarded.pk]), {"provider": "1", "grounds": "x"})
        ).status_code == 404
    assert not Challenge.objects.exists()


def test_pages_and_api_run_the_whole_path(world, awarded):
    other = loser(world, awarded)
    user = world.provider_a if other == world.provider_a_org else world.provider_b
    winner_user = world.provider_b if user == world.provider_a else world.provider_a
    bidder = force_login_verified(Client(), user)
    page = bidder.get(reverse("procurement:challenges", args=[awarded.pk]))
    assert b'id="challenge-lodge"' in page.content
    bidder.post(
        reverse("procurement:challenge_lodge", args=[awarded.pk]), {"provider": other.pk, "grounds": "评分有误"}
    )
    challenge = Challenge.objects.get()
    # The winner does not see another provider's challenge.
    assert (
        force_login_verified(Client(), winner_user)
        .get(reverse("api:procurement-challenges", args=[awarded.pk]))
        .json()["challenges"]
        == []
    )
    staff = force_login_verified(Client(), world.purchaser_a)
    listed = staff.get(reverse("api:procurement-challenges", args=[awarded.pk])).json()
    assert listed["signing_allowed"] is False
    assert [c["grounds"] for c in listed["challenges"]] == ["评分有误"]
    ok = staff.post(
        reverse("api:procurement-challenge-answer", args=[awarded.pk, challenge.pk]),
        {"answer": "复核无误"},
        content_type="application/json",
    )
    assert ok.status_code == 200
    assert ok.json()["signing_allowed"] is True
    bad = force_login_verified(Client(), user).post(
        reverse("api:procurement-complaint", args=[awarded.pk, challenge.pk]), {}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert set(bad.json()) == {"code", "message", "fields"}
    made = force_login_verified(Client(), user).post(
        reverse("api:procurement-complaint", args=[awarded.pk, challenge.pk]),
        {"grounds": "答复不当"},
        content_type="application/json",
    )
    assert made.status_code == 201
    complaint = Complaint.objects.get()
    finance = force_login_verified(Client(), world.district_finance_a)
    finance.post(
        reverse("procurement:complaint_decide", args=[awarded.pk, complaint.pk]),
        {"upheld": "no", "decision": "驳回"},
    )
    complaint.refresh_from_db()
    assert complaint.status == "decided"
    assert complaint.upheld is False


@pytest.mark.parametrize("url_name", ["procurement:challenges", "api:procurement-challenges"])
def test_the_challenge_list_uses_a_fixed_number_of_queries(world, awarded, django_assert_num_queries, url_name):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    other = loser(world, awarded)
    user = world.provider_a if other == world.provider_a_org else world.provider_b

    def lodge(n):
        for i in range(n):
            c = challenges.lodge_challenge(actor=user, tender=awarded, provider=other, grounds=f"质疑{i}")
            challenges.answer_challenge(actor=world.purchaser_a, tender=awarded, challenge=c, answer="答复")
            if i % 2 == 0:
                challenges.lodge_complaint(actor=user, tender=awarded, challenge=c, grounds="投诉")

    client = force_login_verified(Client(), world.purchaser_a)
    url = reverse(url_name, args=[awarded.pk])
    lodge(2)
    client.get(url)
    reset_queries()
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    count = len(two.captured_queries)
    lodge(18)
    client.get(url)
    with django_assert_num_queries(count):
        response = client.get(url)
    assert response.status_code == 200
    assert Challenge.objects.count() == 20
