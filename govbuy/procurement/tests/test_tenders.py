"""Methods as data, tenders from approved projects, criteria, the statutory period, the bond and
publication of the notice (with its OCDS release)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from govbuy.audit.models import AuditEvent
from govbuy.core.calendar.rules import get_calendar
from govbuy.core.errors import Conflict, PermissionRefused, ValidationFailed
from govbuy.procurement.models import ProcurementMethod, Tender
from govbuy.procurement.services import tenders
from tests.builders.procurement import CRITERIA, far_deadline

pytestmark = pytest.mark.django_db


def test_the_statutory_methods_are_seeded_as_data():
    methods = {m.code: m for m in ProcurementMethod.objects.all()}
    assert set(methods) == {
        "public_tender",
        "invitation_tender",
        "competitive_negotiation",
        "competitive_consultation",
        "single_source",
        "request_for_quotation",
        "contract",
        "commission",
    }
    public = methods["public_tender"]
    assert (public.min_period, public.min_period_unit, public.min_suppliers) == (20, "calendar_days", 3)
    assert (methods["competitive_negotiation"].min_period, methods["competitive_negotiation"].min_period_unit) == (
        3,
        "working_days",
    )
    assert (
        methods["competitive_consultation"].price_weight_min,
        methods["competitive_consultation"].price_weight_max,
    ) == (10, 30)
    assert methods["single_source"].publicity_working_days == 5
    assert methods["invitation_tender"].random_invitations == 3
    assert methods["commission"].requires_reason
    assert not methods["commission"].in_procurement_scope


def test_city_finance_edits_a_method_with_audit_and_others_are_refused(world):
    method = ProcurementMethod.objects.get(code="public_tender")
    with pytest.raises(PermissionRefused):
        tenders.update_method(actor=world.district_finance_a, method=method, version=method.version, min_suppliers=4)
    with pytest.raises(PermissionRefused):
        tenders.update_method(actor=world.purchaser_a, method=method, version=method.version, min_suppliers=4)
    updated = tenders.update_method(actor=world.city_finance, method=method, version=method.version, min_suppliers=4)
    assert updated.min_suppliers == 4
    assert updated.version == method.version + 1
    event = AuditEvent.objects.get(action="procurement.method.changed")
    assert event.changes == {"min_suppliers": [3, 4]}
    with pytest.raises(Conflict):
        tenders.update_method(actor=world.city_finance, method=method, version=method.version, min_suppliers=5)


def test_a_tender_is_drafted_from_an_approved_project(world, make_tender, project):
    tender = make_tender()
    assert tender.status == "draft"
    assert tender.budget == project.estimate
    assert tender.method.code == "public_tender"
    assert [lot.number for lot in tender.lots.all()] == [1]
    assert sum(c.weight for c in tender.criteria.all()) == 100
    assert bytes(tender.wrapped_key)
    assert len(bytes(tender.wrapped_key)) == 40
    assert AuditEvent.objects.filter(action="procurement.tender.created", object_id=str(tender.pk)).exists()


def test_a_project_that_is_not_approved_is_refused(world, propose):
    draft = propose()
    with pytest.raises(ValidationFailed, match="approved project"):
        tenders.create_tender(actor=world.purchaser_a, project=draft, bid_deadline=far_deadline(), criteria=CRITERIA)


def test_only_the_purchasers_staff_draft_its_tender(world, project):
    with pytest.raises(PermissionRefused):
        tenders.create_tender(
            actor=world.district_finance_a, project=project, bid_deadline=far_deadline(), criteria=CRITERIA
        )


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        (
            [{"name": "价格", "weight": 30, "is_price": True}, {"name": "方案", "weight": 60}],
            "sum to 100; they sum to 90",
        ),
        (
            [{"name": "价格", "weight": 5, "is_price": True}, {"name": "方案", "weight": 95}],
            "price weight from 10 to 100",
        ),
        ([{"name": "方案", "weight": 100}], "Exactly one criterion must be the price"),
        ([{"name": "价格", "weight": "x", "is_price": True}], "whole number"),
    ],
)
def test_criteria_weights_are_checked(world, make_tender, criteria, message):
    with pytest.raises(ValidationFailed, match=message) as exc:
        make_tender(criteria=criteria)
    assert "criteria" in exc.value.fields


def test_a_deadline_shorter_than_the_law_is_refused(world, make_tender):
    calendar = get_calendar()
    now = timezone.now()
    earliest = calendar.last_day(now, tenders.method_params(ProcurementMethod.objects.get(code="public_tender")).limit)
    too_soon = dt.datetime.combine(
        earliest - dt.timedelta(days=1), dt.time(9, 30), tzinfo=dt.timezone(dt.timedelta(hours=8))
    )
    with pytest.raises(ValidationFailed, match="at least 20 calendar days") as exc:
        make_tender(bid_deadline=too_soon)
    assert "bid_deadline" in exc.value.fields
    on_time = dt.datetime.combine(earliest, dt.time(9, 30), tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert make_tender(bid_deadline=on_time).bid_deadline == on_time


def test_working_day_methods_count_with_the_calendar(world, project):
    negotiation = ProcurementMethod.objects.get(code="competitive_negotiation")
    params = tenders.method_params(negotiation)
    calendar = get_calendar()
    now = timezone.now()
    earliest = calendar.last_day(now, params.limit)
    assert calendar.working_days_between(now, earliest) == 3
    from govbuy.procurement import rules

    with pytest.raises(ValidationFailed, match="3 working days"):
        rules.check_deadline(
            start=now,
            deadline=dt.datetime.combine(earliest - dt.timedelta(days=1), dt.time(9), tzinfo=dt.UTC),
            method=params,
            calendar=calendar,
        )


def test_the_bid_bond_is_at_most_two_percent_of_the_budget(world, make_tender, project):
    limit = (project.estimate * Decimal("0.02")).quantize(Decimal("0.01"))
    with pytest.raises(ValidationFailed, match="at most 2%") as exc:
        make_tender(bid_bond=str(limit + Decimal("0.01")))
    assert "bid_bond" in exc.value.fields
    assert make_tender(bid_bond=str(limit)).bid_bond == limit


def test_lots_must_add_up_to_the_budget(world, make_tender, project):
    with pytest.raises(ValidationFailed, match="add up"):
        make_tender(lots=[{"title": "东片", "budget": "1.00"}, {"title": "西片", "budget": "2.00"}])
    half = project.estimate / 2
    tender = make_tender(lots=[{"title": "东片", "budget": str(half)}, {"title": "西片", "budget": str(half)}])
    assert [lot.title for lot in tender.lots.all()] == ["东片", "西片"]


def test_one_live_tender_per_project(world, make_tender):
    make_tender()
    with pytest.raises(Conflict):
        make_tender()


def test_publication_announces_the_tender_stage_in_its_transaction(world, make_tender, announced):
    tender = make_tender()
    published = tenders.publish_tender(actor=world.purchaser_a, tender=tender, version=tender.version)
    assert published.status == "published"
    assert published.published_at is not None
    assert [(a.stage, a.obj_type, a.obj_id) for a in announced] == [("tender", "procurement.tender", tender.pk)]
    assert AuditEvent.objects.filter(action="procurement.tender.published").count() == 1


def test_the_tender_release_parts_hold_no_bid_before_the_opening(world, published, providers):
    from govbuy.procurement.ocds import tender_release_parts
    from govbuy.procurement.services import bids

    bids.submit_bid(actor=world.provider_a, tender=published, provider=world.provider_a_org, price="98765.43")
    parts = tender_release_parts(published)
    assert "bids" not in parts
    assert "numberOfTenderers" not in parts["tender"]
    assert [p["roles"] for p in parts["parties"]] == [["buyer", "procuringEntity"]]
    assert "98765.4" not in str(parts)


def test_a_commission_needs_a_stated_reason(world, propose):
    from tests.builders.planning import advance

    project = advance(propose(suggested_method="commission", in_procurement_scope=False), world, to="approved")
    with pytest.raises(ValidationFailed, match="stated reason"):
        tenders.create_tender(actor=world.purchaser_a, project=project, bid_deadline=far_deadline(), criteria=CRITERIA)
    tender = tenders.create_tender(
        actor=world.purchaser_a,
        project=project,
        bid_deadline=far_deadline(),
        criteria=CRITERIA,
        method_reason="唯一具备资质的社会组织",
    )
    assert tender.method_reason


def test_cancelling_a_published_tender_publishes_a_cancellation(world, published, announced):
    cancelled = tenders.cancel_tender(
        actor=world.purchaser_a, tender=published, version=published.version, reason="需求变更"
    )
    assert cancelled.status == "cancelled"
    assert [a.stage for a in announced] == ["tenderCancellation"]
    assert Tender.objects.get(pk=published.pk).failure_reason == "需求变更"


def test_deadlines_without_a_zone_are_beijing_time_and_bad_ones_are_refused_by_field():
    import datetime as dt

    from govbuy.core.errors import ValidationFailed
    from govbuy.procurement import rules

    moment = rules.parse_moment("2027-03-01T09:00", field="bid_deadline", message="bad")
    assert moment.utcoffset() == dt.timedelta(hours=8)
    assert moment.astimezone(dt.UTC).hour == 1
    with pytest.raises(ValidationFailed) as caught:
        rules.parse_moment("next Tuesday", field="bid_deadline", message="bad")
    assert caught.value.fields == {"bid_deadline": ["bad"]}
