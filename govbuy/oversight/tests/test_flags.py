"""Risk flags (issue 15; OCP red-flag indicators): each rule raises its flag on a crafted process
and not on a clean one; thresholds are data; a flag names the data behind it; dismissal needs a
reason and is audited; the worker task computes them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from govbuy.audit.models import AuditEvent
from govbuy.core.errors import Conflict, NotFound, ValidationFailed
from govbuy.oversight.models import Flag, FlagRule
from govbuy.oversight.services import flagging
from govbuy.oversight.tasks import compute_tender_flags
from govbuy.procurement.models import Award, Bid, BidDocument, Ranking, Score, Tender
from govbuy.procurement.services import awards, evaluation
from govbuy.providers.models import RelatedParty
from tests.builders.procurement import evaluated_tender, opened_tender

pytestmark = pytest.mark.django_db


@pytest.fixture
def awarded(world, published, providers):
    opened_tender(world, published)
    evaluated_tender(world, published)
    top = Ranking.objects.get(rank=1).bid
    evaluation.record_credit_check(
        actor=world.purchaser_a,
        tender=published,
        bid=top,
        dishonest_debtors="clear",
        tax_violations="clear",
        procurement_violations="clear",
        reference="信用中国",
    )
    award = awards.propose_award(actor=world.purchaser_a, tender=published, bid=top)
    if award.status == "proposed":
        awards.confirm_award(actor=world.purchaser_a_approver, tender=published, award=award)
    # The flow moved the deadline to the opening; the notice gave the 40 days of the fixture.
    Tender.objects.filter(pk=published.pk).update(bid_deadline=published.published_at + dt.timedelta(days=40))
    published.refresh_from_db()
    return published


def raised(tender) -> dict[str, list[Flag]]:
    out: dict[str, list[Flag]] = {}
    for flag in flagging.compute_flags(tender=tender):
        out.setdefault(flag.rule.code, []).append(flag)
    return out


def test_the_rules_are_seeded_as_data_with_explanations():
    codes = set(FlagRule.objects.values_list("code", flat=True))
    assert codes == {
        "single_bidder",
        "short_period",
        "award_near_budget",
        "repeat_winner",
        "split_purchase",
        "related_bidders",
        "shared_documents",
        "score_outlier",
        # The later stages (test_stage_flags.py).
        "shared_contacts",
        "negative_credit",
        "amendment_increase",
        "late_signing",
        "late_publication",
        "late_payment",
        "accepted_without_evidence",
    }
    assert all(r.explanation_zh and r.threshold is not None for r in FlagRule.objects.all())


def test_a_clean_process_raises_no_flag(awarded):
    assert raised(awarded) == {}
    assert Flag.objects.count() == 0


def test_single_bidder(awarded):
    others = Bid.objects.filter(tender=awarded).exclude(pk=Ranking.objects.get(rank=1).bid_id)
    others.update(disqualified_at=awarded.published_at)
    [flag] = raised(awarded)["single_bidder"]
    assert flag.evidence["opened_bids"] == 1


def test_short_bidding_period_at_the_legal_minimum(awarded):
    minimum = awarded.method.min_period
    Tender.objects.filter(pk=awarded.pk).update(bid_deadline=awarded.published_at + dt.timedelta(days=minimum))
    [flag] = raised(awarded)["short_period"]
    assert Decimal(flag.evidence["margin_days"]) <= 0


def test_award_within_one_percent_of_the_budget(awarded):
    Award.objects.filter(tender=awarded).update(amount=awarded.budget * Decimal("0.995"))
    [flag] = raised(awarded)["award_near_budget"]
    assert flag.evidence["budget"] == str(awarded.budget)
    assert Decimal(flag.evidence["share"]) >= Decimal("0.99")


def test_the_same_provider_winning_repeatedly_threshold_is_data(awarded):
    assert "repeat_winner" not in raised(awarded)  # one win, the threshold is three
    FlagRule.objects.filter(code="repeat_winner").update(threshold=1)
    [flag] = raised(awarded)["repeat_winner"]
    assert flag.evidence["tenders"] == [awarded.reference]
    assert flag.evidence["threshold"] == "1.0000"


def test_split_purchases_of_one_item(awarded, propose):
    propose(title="居家养老上门服务（二期）")
    [flag] = raised(awarded)["split_purchase"]
    assert len(flag.evidence["projects"]) == 2


def test_related_party_bidders_in_one_tender(world, awarded):
    first, second = sorted([world.provider_a_org.pk, world.provider_b_org.pk])
    RelatedParty.objects.create(first_id=first, second_id=second, basis="control")
    [flag] = raised(awarded)["related_bidders"]
    assert flag.evidence == {"providers": [first, second], "basis": "control", "threshold": "2.0000"}


def test_bidders_sharing_a_document_hash(awarded):
    for bid in Bid.objects.filter(tender=awarded):
        BidDocument.objects.create(
            bid=bid,
            file_name="方案.pdf",
            path=f"x/{bid.pk}.pdf",
            sha256="ab" * 32,
            size=10,
            content_type="application/pdf",
        )
    [flag] = raised(awarded)["shared_documents"]
    assert flag.evidence["sha256"] == "ab" * 32
    assert len(flag.evidence["providers"]) == 2


def test_one_experts_scores_far_from_the_panels(awarded):
    score = Score.objects.filter(bid__tender=awarded).order_by("member_id", "bid_id").first()
    Score.objects.filter(member_id=score.member_id, bid_id=score.bid_id).update(points=0)
    [flag] = raised(awarded)["score_outlier"]
    assert flag.evidence["member_id"] == score.member_id
    assert flag.evidence["bid_id"] == score.bid_id


def test_flags_are_raised_once_and_audited_by_the_worker(awarded):
    Award.objects.filter(tender=awarded).update(amount=awarded.budget)
    result = compute_tender_flags.enqueue(awarded.pk)
    assert result.return_value == 1
    assert compute_tender_flags.enqueue(awarded.pk).return_value == 0
    event = AuditEvent.objects.get(action="oversight.flag.raised")
    assert event.data["rule"] == "award_near_budget"


def test_dismissing_needs_a_reason_and_is_audited_in_reach(world, awarded):
    Award.objects.filter(tender=awarded).update(amount=awarded.budget)
    [flag] = flagging.compute_flags(tender=awarded)
    with pytest.raises(ValidationFailed) as exc:
        flagging.dismiss_flag(actor=world.auditor, flag=flag, version=flag.version, reason=" ")
    assert "reason" in exc.value.fields
    with pytest.raises(NotFound):
        flagging.dismiss_flag(actor=world.district_finance_b, flag=flag, version=flag.version, reason="越区")
    with pytest.raises(NotFound):
        flagging.dismiss_flag(actor=world.purchaser_a, flag=flag, version=flag.version, reason="自查")
    done = flagging.dismiss_flag(actor=world.auditor, flag=flag, version=flag.version, reason="预算按市场价编制")
    assert done.status == "dismissed"
    with pytest.raises(Conflict):
        flagging.dismiss_flag(actor=world.auditor, flag=flag, version=done.version, reason="again")
    event = AuditEvent.objects.get(action="oversight.flag.dismissed")
    assert event.data["reason"] == "预算按市场价编制"
    assert flagging.compute_flags(tender=awarded) == []


# --- Ranked list, pages and API ------------------------------------------------------------------


def test_the_ranked_list_pages_and_api_in_reach(world, login, awarded, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    Award.objects.filter(tender=awarded).update(amount=awarded.budget)
    FlagRule.objects.filter(code="repeat_winner").update(threshold=1)
    flagging.compute_flags(tender=awarded)
    client = login(world.auditor)
    for url in (reverse("oversight:flags"), reverse("api:oversight-flags")):
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        FlagRule.objects.filter(code="short_period").update(threshold=60)
        flagging.compute_flags(tender=awarded)
        with django_assert_num_queries(len(few.captured_queries)):
            response = client.get(url)
        Flag.objects.filter(rule__code="short_period").delete()
    rows = client.get(reverse("api:oversight-flags")).json()["results"]
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), key=Decimal, reverse=True)
    assert response.status_code == 200
    assert login(world.district_finance_b).get(reverse("api:oversight-flags")).json()["count"] == 0
    assert login(world.purchaser_a).get(reverse("oversight:flags")).status_code == 404
    flag = Flag.objects.order_by("pk").first()
    bare = login(world.auditor).post(
        reverse("api:oversight-flag-dismiss", args=[flag.pk]), {"version": 1}, content_type="application/json"
    )
    assert bare.status_code == 400
    assert "reason" in bare.json()["fields"]
    page = login(world.auditor).post(
        reverse("oversight:flag_dismiss", args=[flag.pk]), {"version": 1, "reason": "已核实"}
    )
    assert page.status_code == 302
    flag.refresh_from_db()
    assert flag.status == "dismissed"
    assert login(world.outsider).post(reverse("oversight:flag_dismiss", args=[flag.pk])).status_code == 404
