"""Award: the top-ranked qualified bid unless a reason is recorded, after a clear three-list
check, within 5 working days of the report; four eyes above the threshold; the amount is the
bid's price; the tender is awarded, audited, checkpointed and announced."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from govbuy.audit.models import AuditCheckpoint, AuditEvent
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.procurement import rules
from govbuy.procurement.models import Award, AwardStatus, Evaluation, Ranking, TenderStatus
from govbuy.procurement.services import awards, evaluation
from tests.builders.procurement import evaluated_tender

pytestmark = pytest.mark.django_db


def check(world, tender, bid, listed: bool = False):
    return evaluation.record_credit_check(
        actor=world.purchaser_a,
        tender=tender,
        bid=bid,
        dishonest_debtors="clear",
        tax_violations="clear",
        procurement_violations="listed" if listed else "clear",
        reference="信用中国 2026-001",
    )


@pytest.fixture
def evaluated(world, published, providers):
    evaluated_tender(world, published)
    return published


def ranked(tender):
    return [r.bid for r in Ranking.objects.filter(evaluation__tender=tender).select_related("bid").order_by("rank")]


def test_the_top_ranked_bid_wins_after_a_clear_credit_check(world, evaluated, announced):
    top, second = ranked(evaluated)
    with pytest.raises(TransitionRefused, match="credit check"):
        awards.propose_award(actor=world.purchaser_a, tender=evaluated, bid=top)
    check(world, evaluated, top)
    with pytest.raises(ValidationFailed, match="top-ranked"):
        awards.propose_award(actor=world.purchaser_a, tender=evaluated, bid=second)
    award = awards.propose_award(actor=world.purchaser_a, tender=evaluated, bid=top)
    award.refresh_from_db()
    evaluated.refresh_from_db()
    assert award.status == AwardStatus.ACTIVE
    assert award.amount == top.price
    assert award.provider_id == top.provider_id
    assert award.confirmed_by == world.purchaser_a
    assert evaluated.status == TenderStatus.AWARDED
    assert AuditEvent.objects.filter(action="procurement.award.proposed").count() == 1
    confirmed = AuditEvent.objects.get(action="procurement.award.confirmed")
    assert confirmed.changes["status"] == [TenderStatus.EVALUATED, TenderStatus.AWARDED]
    assert award.checkpoint_hash == AuditCheckpoint.objects.order_by("-pk").first().head_hash
    assert [(a.stage, a.obj_id) for a in announced if a.stage == "award"] == [("award", evaluated.pk)]
    with pytest.raises((Conflict, TransitionRefused)):
        awards.propose_award(actor=world.purchaser_a, tender=evaluated, bid=top)


def test_another_bid_wins_only_with_a_reason_and_never_a_listed_or_disqualified_one(world, evaluated):
    top, second = ranked(evaluated)
    check(world, evaluated, top, listed=True)
    with pytest.raises(ValidationFailed, match="credit lists"):
        awards.propose_award(actor=world.purchaser_a, tender=evaluated, bid=top, reason="x")
    check(world, evaluated, second)
    type(second).objects.filter(pk=second.pk).update(disqualified_at=dt.datetime.now(dt.UTC), disqualified_reason="x")
    with pytest.raises(ValidationFailed, match="disqualified"):
        awards.propose_award(actor=world.purchaser_a, tender=evaluated, bid=second, reason="第一名列入失信名单")
    type(second).objects.filter(pk=second.pk).update(disqualified_at=None, disqualified_reason="")
    award = awards.propose_award(actor=world.purchaser_a, tender=evaluated, bid=second, reason="第一名列入失信名单")
    assert award.reason == "第一名列入失信名单"
    assert award.amount == second.price


def test_awards_above_the_threshold_need_a_second_user(world, evaluated, settings):
    settings.GOVBUY_AWARD_FOUR_EYES_THRESHOLD = "50.00"
    top = ranked(evaluated)[0]
    check(world, evaluated, top)
    award = awards.propose_award(actor=world.purchaser_a, tender=evaluated, bid=top)
    assert award.status == AwardStatus.PROPOSED
    evaluated.refresh_from_db()
    assert evaluated.status == TenderStatus.EVALUATED
    with pytest.raises(PermissionRefused, match="four eyes"):
        awards.confirm_award(actor=world.purchaser_a, tender=evaluated, award=award)
    with pytest.raises(NotFound):
        awards.confirm_award(actor=world.purchaser_b, tender=evaluated, award=award)
    done = awards.confirm_award(actor=world.purchaser_a_approver, tender=evaluated, award=award)
    assert done.status == AwardStatus.ACTIVE
    assert done.confirmed_by == world.purchaser_a_approver
    with pytest.raises(Conflict):
        awards.confirm_award(actor=world.purchaser_a_approver, tender=evaluated, award=award)
    assert Award.objects.get().confirmed_at is not None


def test_the_public_tender_page_shows_the_award_only_once_confirmed(world, evaluated, settings):
    settings.GOVBUY_AWARD_FOUR_EYES_THRESHOLD = "50.00"
    top = ranked(evaluated)[0]
    check(world, evaluated, top)
    award = awards.propose_award(actor=world.purchaser_a, tender=evaluated, bid=top)
    public = Client()
    url = reverse("tenders:tender", args=[evaluated.pk])
    assert b'id="award-notice"' not in public.get(url).content
    awards.confirm_award(actor=world.purchaser_a_approver, tender=evaluated, award=award)
    page = public.get(url).content.decode()
    assert 'id="award-notice"' in page
    assert top.provider.name_zh in page
    assert str(award.amount) in page


def test_the_limit_of_five_working_days_is_checked_at_the_request(world, evaluated):
    top = ranked(evaluated)[0]
    check(world, evaluated, top)
    Evaluation.objects.filter(tender=evaluated).update(reported_at=dt.datetime(2026, 1, 5, 2, tzinfo=dt.UTC))
    with pytest.raises(TransitionRefused, match="finance bureau"):
        awards.propose_award(actor=world.purchaser_a, tender=evaluated, bid=top)
    assert not Award.objects.exists()


def test_outsiders_cannot_award(world, evaluated):
    top = ranked(evaluated)[0]
    check(world, evaluated, top)
    for user in (world.outsider, world.purchaser_b):
        with pytest.raises(NotFound):
            awards.propose_award(actor=user, tender=evaluated, bid=top)
    with pytest.raises(PermissionRefused):
        awards.propose_award(actor=world.district_finance_a, tender=evaluated, bid=top)


def test_the_award_deadline_counts_working_days():
    from govbuy.core.calendar.rules import WorkingCalendar

    calendar = WorkingCalendar.from_days([])
    # Reported on Friday 2026-01-09 (Shanghai): five working days end on Friday 2026-01-16.
    limit = rules.award_deadline(dt.datetime(2026, 1, 9, 2, tzinfo=dt.UTC), calendar)
    assert limit.date() == dt.date(2026, 1, 16)
    assert rules.needs_second_user(rules.Decimal("1000000.01"), rules.Decimal("1000000"))
    assert not rules.needs_second_user(rules.Decimal("1000000.00"), rules.Decimal("1000000"))


# --- Pages and API -------------------------------------------------------------------------------


def test_outsiders_get_404_on_the_award_pages_and_api(world, evaluated):
    from django.test import Client
    from django.urls import reverse

    from govbuy.accounts.testing import force_login_verified

    top = ranked(evaluated)[0]
    for user in (world.outsider, world.purchaser_b, world.evaluator):
        client = force_login_verified(Client(), user)
        assert client.get(reverse("procurement:awards", args=[evaluated.pk])).status_code == 404
        assert client.get(reverse("api:procurement-awards", args=[evaluated.pk])).status_code == 404
        assert (
            client.post(reverse("procurement:award_propose", args=[evaluated.pk]), {"bid": top.pk}).status_code == 404
        )
        response = client.post(
            reverse("api:procurement-awards", args=[evaluated.pk]), {"bid": top.pk}, content_type="application/json"
        )
        assert response.status_code == 404
    assert not Award.objects.exists()


def test_the_purchaser_awards_through_the_page_and_the_api(world, evaluated, settings):
    from django.test import Client
    from django.urls import reverse

    from govbuy.accounts.testing import force_login_verified

    settings.GOVBUY_AWARD_FOUR_EYES_THRESHOLD = "50.00"
    top, second = ranked(evaluated)
    check(world, evaluated, top)
    page = force_login_verified(Client(), world.purchaser_a)
    assert b'id="award-propose"' in page.get(reverse("procurement:awards", args=[evaluated.pk])).content
    page.post(reverse("procurement:award_propose", args=[evaluated.pk]), {"bid": top.pk})
    award = Award.objects.get()
    assert award.status == AwardStatus.PROPOSED
    api = force_login_verified(Client(), world.purchaser_a_approver)
    bad = api.post(
        reverse("api:procurement-awards", args=[evaluated.pk]), {"bid": second.pk}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert set(bad.json()) == {"code", "message", "fields"}
    ok = api.post(reverse("api:procurement-award-confirm", args=[evaluated.pk, award.pk]))
    assert ok.status_code == 200
    assert ok.json()[0]["status"] == "active"
    bidder = force_login_verified(Client(), world.provider_b)
    listed = bidder.get(reverse("api:procurement-awards", args=[evaluated.pk]))
    assert listed.status_code == 200
    assert listed.json()[0]["supplier"] == top.provider.name_zh


@pytest.mark.parametrize("url_name", ["procurement:awards", "api:procurement-awards"])
def test_the_award_list_uses_a_fixed_number_of_queries(world, evaluated, django_assert_num_queries, url_name):
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from govbuy.accounts.testing import force_login_verified

    client = force_login_verified(Client(), world.purchaser_a)
    url = reverse(url_name, args=[evaluated.pk])
    client.get(url)
    # The setup ran more queries than the log keeps: start from an empty log.
    reset_queries()
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    count = len(before.captured_queries)
    assert count > 0
    top = ranked(evaluated)[0]
    check(world, evaluated, top)
    awards.propose_award(actor=world.purchaser_a, tender=evaluated, bid=top)
    client.get(url)
    with django_assert_num_queries(count):
        assert client.get(url).status_code == 200
