"""The opening: four eyes, the deadline, one opening only, every bid decrypted together, the
Chinese PDF record, a failed procurement and the change of method that may follow."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from govbuy.audit.models import AuditCheckpoint
from govbuy.core.errors import PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.core.storage import read_verified
from govbuy.organizations.models import Membership
from govbuy.procurement.models import Bid, ProcurementMethod
from govbuy.procurement.services import bids, opening, tenders
from tests.builders.procurement import CRITERIA, far_deadline, past_opening_time

from .conftest import CANARY

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_bidders(world, providers):
    """Lower the public tender's minimum to two so two personas suffice for a valid opening."""
    method = ProcurementMethod.objects.get(code="public_tender")
    tenders.update_method(actor=world.city_finance, method=method, version=method.version, min_suppliers=2)


def bid(world, tender, key, price):
    return bids.submit_bid(
        actor=world.users[f"provider_{key}"], tender=tender, provider=world.orgs[f"provider_{key}_org"], price=price
    )


def test_opening_needs_the_deadline_and_two_different_authorised_users(world, published, providers, three_bidders):
    bid(world, published, "a", CANARY)
    with pytest.raises(TransitionRefused, match="at or after the deadline"):
        opening.initiate_opening(actor=world.purchaser_a, tender=published)
    past_opening_time(published)
    with pytest.raises(PermissionRefused):
        opening.initiate_opening(actor=world.district_finance_a, tender=published)
    opening.initiate_opening(actor=world.purchaser_a, tender=published)
    with pytest.raises(PermissionRefused, match="four eyes"):
        opening.confirm_opening(actor=world.purchaser_a, tender=published)
    assert Bid.objects.get().price is None


def test_a_conflicted_user_is_refused(world, published, providers):
    bid(world, published, "a", "100.00")
    Membership.objects.create(user=world.purchaser_a_approver, organisation=world.provider_a_org, role="staff")
    past_opening_time(published)
    opening.initiate_opening(actor=world.purchaser_a, tender=published)
    with pytest.raises(PermissionRefused, match="bidding provider"):
        opening.confirm_opening(actor=world.purchaser_a_approver, tender=published)


def test_all_bids_are_decrypted_together_with_a_chinese_record(world, published, providers, three_bidders, announced):
    first = bid(world, published, "a", CANARY)
    second = bid(world, published, "b", "70000.00")
    past_opening_time(published)
    opening.initiate_opening(actor=world.purchaser_a, tender=published)
    record = opening.confirm_opening(actor=world.purchaser_a_approver, tender=published)
    published.refresh_from_db()
    assert published.status == "opened"
    assert record.bid_count == 2
    prices = dict(Bid.objects.values_list("pk", "price"))
    assert prices == {first.pk: Decimal(CANARY), second.pk: Decimal("70000.00")}
    assert set(Bid.objects.values_list("status", flat=True)) == {"opened"}
    text = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(read_verified(record.record_path, record.record_sha256))).pages
    )
    flat = "".join(text.split())
    assert "开标记录" in flat
    assert "98,765.43" in flat  # yuan with thousands separators
    # people by display name and organisation
    assert f"{world.purchaser_a.display_name}（{published.purchaser.name_zh}）" in flat
    assert world.provider_b_org.name_zh in flat
    assert AuditCheckpoint.objects.filter(reason__startswith="opening").count() == 1
    assert [a.stage for a in announced] == ["tenderUpdate"]
    with pytest.raises(TransitionRefused, match="already been opened"):
        opening.initiate_opening(actor=world.purchaser_a, tender=published)
    with pytest.raises(TransitionRefused, match="already been opened"):
        opening.confirm_opening(actor=world.purchaser_a_approver, tender=published)


def test_fewer_bids_than_the_minimum_fail_and_a_change_of_method_needs_finance(world, published, providers, project):
    bid(world, published, "a", "100.00")
    past_opening_time(published)
    opening.initiate_opening(actor=world.purchaser_a, tender=published)
    opening.confirm_opening(actor=world.purchaser_a_approver, tender=published)
    published.refresh_from_db()
    assert published.status == "failed"
    assert "minimum of 3" in published.failure_reason
    with pytest.raises(ValidationFailed, match="finance bureau's approval"):
        tenders.create_tender(
            actor=world.purchaser_a,
            project=project,
            bid_deadline=far_deadline(10),
            criteria=CRITERIA,
            method="competitive_consultation",
        )
    with pytest.raises(PermissionRefused):
        tenders.approve_method_change(
            actor=world.purchaser_a,
            tender=published,
            version=published.version,
            method="competitive_consultation",
            reason="x",
        )
    approved = tenders.approve_method_change(
        actor=world.district_finance_a,
        tender=published,
        version=published.version,
        method="competitive_consultation",
        reason="公开招标供应商不足三家",
    )
    assert approved.approved_method.code == "competitive_consultation"
    retender = tenders.create_tender(
        actor=world.purchaser_a,
        project=project,
        bid_deadline=far_deadline(12),
        criteria=CRITERIA,
        method="competitive_consultation",
    )
    assert retender.reference.endswith("-T2")
    assert retender.method.code == "competitive_consultation"
