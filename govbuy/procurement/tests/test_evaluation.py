"""Evaluation: the expert pool, a reproducible random panel with its exclusions, declarations
before scoring, scores within the weights, disqualification, price scores and ranking, the
Chinese report, the three-list credit check; pages and API."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from govbuy.accounts.testing import force_login_verified
from govbuy.audit.models import AuditEvent
from govbuy.core.errors import Conflict, PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.core.storage import read_verified
from govbuy.organizations.models import Membership, Organisation
from govbuy.procurement import rules
from govbuy.procurement.models import Criterion, Expert, Ranking
from govbuy.procurement.services import evaluation
from govbuy.providers.models import RelatedParty
from govbuy.providers.samples import minimal_pdf
from tests.builders.procurement import evaluated_tender, make_experts, opened_tender, seat_and_score

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(world, published, providers):
    opened_tender(world, published)
    return published


def test_only_the_finance_bureau_keeps_the_pool(world):
    with pytest.raises(PermissionRefused):
        evaluation.create_expert(actor=world.purchaser_a, name="张三", expertise="养老")
    with pytest.raises(ValidationFailed):
        evaluation.create_expert(actor=world.city_finance, name="", expertise="养老")
    expert = evaluation.create_expert(actor=world.district_finance_a, name="张三", expertise="养老")
    assert AuditEvent.objects.filter(action="procurement.expert.added").count() == 1
    removed = evaluation.set_expert_active(
        actor=world.city_finance, expert=expert, version=expert.version, active=False
    )
    assert removed.is_active is False
    with pytest.raises(Conflict):
        evaluation.set_expert_active(actor=world.city_finance, expert=expert, version=expert.version, active=True)


def test_the_draw_is_reproducible_and_excludes_conflicted_experts(world, opened):
    eligible = make_experts(world, 4)
    from govbuy.organizations.uscc import make_code

    related_org = Organisation.objects.create(
        name_zh="康乐关联公司",
        name_en="related",
        kind="enterprise",
        region=world.district_b,
        uscc=make_code("91", world.district_b.code, "40000099"),
    )
    first, second = sorted([related_org.pk, world.provider_b_org.pk])
    RelatedParty.objects.create(first_id=first, second_id=second, basis="control")
    own = evaluation.create_expert(
        actor=world.city_finance, name="采购人专家", expertise="x", organisation=world.purchaser_a_org
    )
    bidder = evaluation.create_expert(
        actor=world.city_finance, name="投标人专家", expertise="x", organisation=world.provider_a_org
    )
    related = evaluation.create_expert(
        actor=world.city_finance, name="关联专家", expertise="x", organisation=related_org
    )
    Membership.objects.create(user=eligible[3].user, organisation=world.provider_b_org, role="staff")
    inactive = evaluation.create_expert(actor=world.city_finance, name="停用", expertise="x")
    evaluation.set_expert_active(actor=world.city_finance, expert=inactive, version=inactive.version, active=False)

    panel = evaluation.draw_panel(actor=world.purchaser_a, tender=opened)
    assert panel.candidates == sorted(e.pk for e in eligible[:3])
    assert panel.excluded == {
        str(own.pk): "purchaser",
        str(bidder.pk): "bidder",
        str(related.pk): "related_party",
        str(eligible[3].pk): "member_of_party",
    }
    members = list(panel.members.order_by("position").values_list("expert_id", flat=True))
    assert members == rules.draw_order(panel.candidates, panel.seed)[: panel.size]
    assert panel.size == 3
    assert rules.draw_order(panel.candidates, panel.seed) == rules.draw_order(
        list(reversed(panel.candidates)), panel.seed
    )
    event = AuditEvent.objects.get(action="procurement.panel.drawn")
    assert event.data["seed"] == panel.seed
    assert event.data["candidates"] == panel.candidates
    with pytest.raises(Conflict):
        evaluation.draw_panel(actor=world.purchaser_a, tender=opened)


def test_a_small_pool_and_an_unopened_tender_are_refused(world, published, providers):
    make_experts(world, 2)
    with pytest.raises(TransitionRefused):
        evaluation.draw_panel(actor=world.purchaser_a, tender=published)
    opened_tender(world, published)
    with pytest.raises(ValidationFailed, match="needs 3"):
        evaluation.draw_panel(actor=world.purchaser_a, tender=published)


def test_members_declare_before_scoring_and_a_conflict_brings_the_next_in_the_draw(world, opened):
    make_experts(world, 5)
    panel = evaluation.draw_panel(actor=world.purchaser_a, tender=opened)
    first = panel.members.order_by("position").first()
    bid = opened.bids.filter(status="opened").first()
    criteria = {c.pk: "10" for c in Criterion.objects.filter(tender=opened, is_price=False)}
    with pytest.raises(PermissionRefused, match="no conflict"):
        evaluation.score_bid(actor=first.expert.user, tender=opened, bid=bid, scores=criteria)
    with pytest.raises(ValidationFailed):
        evaluation.declare(actor=first.expert.user, tender=opened, conflict=True, statement="")
    evaluation.declare(actor=first.expert.user, tender=opened, conflict=True, statement="曾任投标人顾问")
    order = rules.draw_order(panel.candidates, panel.seed)
    seated = list(panel.members.exclude(declaration="conflict").values_list("expert_id", flat=True))
    assert sorted(seated) == sorted(order[1:4])
    from govbuy.core.errors import NotFound

    with pytest.raises(NotFound):
        evaluation.score_bid(actor=first.expert.user, tender=opened, bid=bid, scores=criteria)
    second = panel.members.get(position=2)
    evaluation.declare(actor=second.expert.user, tender=opened, conflict=False)
    with pytest.raises(ValidationFailed, match="from 0 to 50"):
        evaluation.score_bid(
            actor=second.expert.user,
            tender=opened,
            bid=bid,
            scores={**criteria, **dict.fromkeys(list(criteria)[:1], "51")},
        )
    with pytest.raises(ValidationFailed, match="missing"):
        evaluation.score_bid(actor=second.expert.user, tender=opened, bid=bid, scores=dict(list(criteria.items())[:1]))
    with pytest.raises(NotFound):
        evaluation.score_bid(actor=world.evaluator, tender=opened, bid=bid, scores=criteria)


def test_price_scores_totals_ranking_and_the_chinese_report(world, opened):
    cheap, dear = opened.bids.filter(status="opened").order_by("price")
    make_experts(world, 3)
    seat_and_score(world, opened, points={cheap.pk: "10", dear.pk: "20"})
    with pytest.raises(PermissionRefused):
        evaluation.complete_evaluation(actor=world.district_finance_a, tender=opened)
    report = evaluation.complete_evaluation(actor=world.purchaser_a, tender=opened)
    opened.refresh_from_db()
    assert opened.status == "evaluated"
    rows = {r.bid_id: r for r in Ranking.objects.all()}
    # price weight 30: 100.00 → 30.00; 125.00 → 100/125 × 30 = 24.00; others: 10+10 or 20+20 per member
    assert (rows[cheap.pk].price_score, rows[cheap.pk].quality_score, rows[cheap.pk].total) == (
        Decimal("30.00"),
        Decimal("20.00"),
        Decimal("50.00"),
    )
    assert (rows[dear.pk].price_score, rows[dear.pk].total) == (Decimal("24.00"), Decimal("64.00"))
    assert (rows[dear.pk].rank, rows[cheap.pk].rank) == (1, 2)
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(read_verified(report.report_path, report.report_sha256))).pages
    )
    flat = "".join(text.split())
    assert "评审报告" in flat
    assert world.provider_b_org.name_zh in flat
    assert "64.00" in flat
    assert opened.panel.seed in flat
    with pytest.raises(TransitionRefused):
        evaluation.complete_evaluation(actor=world.purchaser_a, tender=opened)


def test_the_report_waits_for_every_score_and_a_disqualified_bid_leaves_the_ranking(world, opened):
    cheap, dear = opened.bids.filter(status="opened").order_by("price")
    make_experts(world, 3)
    panel = evaluation.draw_panel(actor=world.purchaser_a, tender=opened)
    members = list(panel.members.select_related("expert__user"))
    with pytest.raises(TransitionRefused, match="declare"):
        evaluation.complete_evaluation(actor=world.purchaser_a, tender=opened)
    for m in members:
        evaluation.declare(actor=m.expert.user, tender=opened, conflict=False)
    with pytest.raises(TransitionRefused, match="has not scored"):
        evaluation.complete_evaluation(actor=world.purchaser_a, tender=opened)
    with pytest.raises(ValidationFailed):
        evaluation.disqualify_bid(actor=members[0].expert.user, tender=opened, bid=cheap, reason=" ")
    evaluation.disqualify_bid(actor=members[0].expert.user, tender=opened, bid=cheap, reason="未提供资格证明")
    with pytest.raises(TransitionRefused, match="disqualified"):
        evaluation.score_bid(actor=members[0].expert.user, tender=opened, bid=cheap, scores={})
    criteria = Criterion.objects.filter(tender=opened, is_price=False)
    for m in members:
        evaluation.score_bid(actor=m.expert.user, tender=opened, bid=dear, scores={c.pk: "5.5" for c in criteria})
    evaluation.complete_evaluation(actor=world.purchaser_a, tender=opened)
    ranking = list(Ranking.objects.values_list("bid_id", "rank", "price_score", "total"))
    assert ranking == [(dear.pk, 1, Decimal("30.00"), Decimal("41.00"))]


def test_ties_go_to_the_lower_price_then_the_earlier_receipt():
    t0 = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    bids = [
        rules.BidForRanking(1, 1, Decimal("100"), t0 + dt.timedelta(seconds=2), Decimal("60")),
        rules.BidForRanking(2, 1, Decimal("100"), t0, Decimal("60")),
        rules.BidForRanking(3, 1, Decimal("200"), t0, Decimal("75")),
    ]
    ranked = rules.rank(bids, price_weight=30, lowest_price_method=False)
    assert [(r.bid_id, r.total, r.rank) for r in ranked] == [
        (2, Decimal("90.00"), 1),
        (1, Decimal("90.00"), 2),
        (3, Decimal("90.00"), 3),
    ]
    assert [r.bid_id for r in rules.rank(bids, price_weight=100, lowest_price_method=True)] == [2, 1, 3]
    assert rules.price_score(Decimal("300"), Decimal("100"), 30) == Decimal("10.00")
    assert rules.price_score(Decimal("3"), Decimal("1"), 10) == Decimal("3.33")


def test_the_three_list_check_keeps_its_evidence(world, opened):
    with pytest.raises(TransitionRefused):
        evaluation.record_credit_check(
            actor=world.purchaser_a,
            tender=opened,
            bid=opened.bids.first(),
            dishonest_debtors="clear",
            tax_violations="clear",
            procurement_violations="clear",
            reference="x",
        )
    evaluated_tender(world, opened)
    top = Ranking.objects.get(rank=1).bid
    with pytest.raises(ValidationFailed, match="reference or upload"):
        evaluation.record_credit_check(
            actor=world.purchaser_a,
            tender=opened,
            bid=top,
            dishonest_debtors="clear",
            tax_violations="clear",
            procurement_violations="clear",
        )
    with pytest.raises(ValidationFailed):
        evaluation.record_credit_check(
            actor=world.purchaser_a,
            tender=opened,
            bid=top,
            dishonest_debtors="maybe",
            tax_violations="clear",
            procurement_violations="clear",
            reference="x",
        )
    with pytest.raises(PermissionRefused):
        evaluation.record_credit_check(
            actor=world.district_finance_a,
            tender=opened,
            bid=top,
            dishonest_debtors="clear",
            tax_violations="clear",
            procurement_violations="clear",
            reference="x",
        )
    check = evaluation.record_credit_check(
        actor=world.purchaser_a,
        tender=opened,
        bid=top,
        dishonest_debtors="clear",
        tax_violations="clear",
        procurement_violations="listed",
        evidence=("查询结果.pdf", minimal_pdf("信用中国 查询")),
    )
    assert check.checked_by == world.purchaser_a
    assert not check.is_clear
    assert read_verified(check.evidence_path, check.evidence_sha256).startswith(b"%PDF")
    event = AuditEvent.objects.get(action="procurement.credit_check.recorded")
    assert event.data["result"] == "listed"
    assert event.data["procurement_violations"] == "listed"
    with pytest.raises(Conflict):
        evaluation.record_credit_check(
            actor=world.purchaser_a,
            tender=opened,
            bid=top,
            dishonest_debtors="clear",
            tax_violations="clear",
            procurement_violations="clear",
            reference="x",
        )


# --- Pages and API -------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["procurement:experts", "api:procurement-experts"])
def test_expert_lists_use_a_fixed_number_of_queries(world, login, django_assert_num_queries, url_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.city_finance)
    make_experts(world, 2)
    client.get(reverse(url_name))
    with CaptureQueriesContext(connection) as two:
        assert client.get(reverse(url_name)).status_code == 200
    make_experts(world, 18, prefix="more")
    with django_assert_num_queries(len(two.captured_queries)):
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert Expert.objects.count() == 20
    other = login(world.purchaser_a).get(reverse(url_name))
    if url_name.startswith("api:"):
        assert other.status_code == 200
        assert other.json()["count"] == 0
    else:
        assert other.status_code == 404


@pytest.mark.parametrize("url_name", ["procurement:evaluation", "api:procurement-evaluation"])
def test_the_evaluation_page_uses_a_fixed_number_of_queries(world, opened, django_assert_num_queries, url_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_experts(world, 3)
    seat_and_score(world, opened)
    client = force_login_verified(Client(), world.purchaser_a)
    client.get(reverse(url_name, args=[opened.pk]))
    with CaptureQueriesContext(connection) as before:
        assert client.get(reverse(url_name, args=[opened.pk])).status_code == 200
    evaluation.complete_evaluation(actor=world.purchaser_a, tender=opened)
    client.get(reverse(url_name, args=[opened.pk]))
    with CaptureQueriesContext(connection) as after:
        assert client.get(reverse(url_name, args=[opened.pk])).status_code == 200
    # The ranking adds a fixed number of queries, whatever the number of bids and members.
    assert len(after.captured_queries) - len(before.captured_queries) <= 3
    with django_assert_num_queries(len(after.captured_queries)):
        client.get(reverse(url_name, args=[opened.pk]))


def test_outsiders_get_404_on_the_evaluation(world, opened):
    evaluated_tender(world, opened)
    bid = Ranking.objects.get(rank=1).bid
    for user in (world.outsider, world.purchaser_b, world.evaluator):
        client = force_login_verified(Client(), user)
        for url in [
            reverse("procurement:evaluation", args=[opened.pk]),
            reverse("procurement:evaluation_report", args=[opened.pk]),
            reverse("api:procurement-evaluation", args=[opened.pk]),
        ]:
            assert client.get(url).status_code == 404, (user.username, url)
        assert client.post(reverse("procurement:credit_check", args=[opened.pk, bid.pk])).status_code == 404
        assert (
            client.post(
                reverse("api:procurement-credit-check", args=[opened.pk, bid.pk]),
                {
                    "dishonest_debtors": "clear",
                    "tax_violations": "clear",
                    "procurement_violations": "clear",
                    "reference": "x",
                },
                content_type="application/json",
            ).status_code
            == 404
        )
    # The report holds every bidder's scores: it stays with the purchaser, oversight and panel.
    bidder = force_login_verified(Client(), world.provider_a)
    assert bidder.get(reverse("procurement:evaluation_report", args=[opened.pk])).status_code == 404


def test_an_expert_declares_and_scores_through_the_pages_and_the_api(world, opened):
    make_experts(world, 3)
    panel = evaluation.draw_panel(actor=world.purchaser_a, tender=opened)
    members = list(panel.members.select_related("expert__user"))
    page_client = force_login_verified(Client(), members[0].expert.user)
    page = page_client.get(reverse("procurement:evaluation", args=[opened.pk]))
    assert page.status_code == 200
    assert b'id="declare"' in page.content
    assert b"125.00" not in page.content  # no bid content before the declaration
    page_client.post(reverse("procurement:panel_declare", args=[opened.pk]), {"conflict": "no"})
    page = page_client.get(reverse("procurement:evaluation", args=[opened.pk]))
    assert b"125.00" in page.content
    bid = opened.bids.filter(status="opened").first()
    criteria = Criterion.objects.filter(tender=opened, is_price=False)
    page_client.post(
        reverse("procurement:bid_score", args=[opened.pk, bid.pk]), {f"score_{c.pk}": "7" for c in criteria}
    )
    assert members[0].scores.count() == criteria.count()
    api = force_login_verified(Client(), members[1].expert.user)
    response = api.post(
        reverse("api:procurement-declaration", args=[opened.pk]), {"conflict": False}, content_type="application/json"
    )
    assert response.status_code == 200
    bad = api.post(
        reverse("api:procurement-scores", args=[opened.pk, bid.pk]),
        {"scores": {str(c.pk): "999" for c in criteria}},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert set(bad.json()) == {"code", "message", "fields"}
    ok = api.post(
        reverse("api:procurement-scores", args=[opened.pk, bid.pk]),
        {"scores": {str(c.pk): "8" for c in criteria}},
        content_type="application/json",
    )
    assert ok.status_code == 200
    assert [m["declaration"] for m in ok.json()["members"]][:2] == ["no_conflict", "no_conflict"]
