"""Sealed bids: who may bid, what a bid may say, the deadline by the database clock, receipts,
withdrawal and replacement, and what is stored (ciphertext only)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core import mail
from django.utils import timezone

from govbuy.audit.models import AuditEvent
from govbuy.core.errors import Conflict, PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.procurement import sealing
from govbuy.procurement.models import Bid
from govbuy.procurement.services import bids
from govbuy.providers.services import project_conditions
from govbuy.providers.services import standing as provider_standing
from tests.builders.procurement import move_deadline, open_profile

from .conftest import CANARY

pytestmark = pytest.mark.django_db


def submit(world, tender, key="a", **kwargs):
    args = {"price": CANARY, "currency": "CNY"}
    args.update(kwargs)
    return bids.submit_bid(
        actor=world.users[f"provider_{key}"], tender=tender, provider=world.orgs[f"provider_{key}_org"], **args
    )


def test_a_verified_provider_bids_and_gets_a_receipt(world, published, providers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        bid = submit(world, published)
    assert bid.status == "sealed"
    assert bid.price is None
    assert bid.responses == {}
    assert len(bid.receipt_sha256) == 64
    assert bid.submitted_at <= timezone.now() + dt.timedelta(seconds=5)
    stored = Bid.objects.get(pk=bid.pk)
    assert CANARY.encode() not in bytes(stored.ciphertext)
    content = sealing.unseal(
        wrapped_key=published.wrapped_key,
        tender_id=published.pk,
        lot_id=bid.lot_id,
        provider_id=bid.provider_id,
        nonce=stored.nonce,
        ciphertext=stored.ciphertext,
    )
    assert content["price"] == CANARY
    assert len(content["salt"]) == 32
    assert hashlib.sha256(sealing.canonical(content)).hexdigest() == bid.receipt_sha256
    event = AuditEvent.objects.get(action="procurement.bid.submitted")
    assert event.data["receipt"] == bid.receipt_sha256
    assert CANARY not in str(event.data) + str(event.changes)
    assert len(mail.outbox) <= 1
    assert all(CANARY not in m.body for m in mail.outbox)


def test_an_unverified_provider_is_refused(world, published):
    open_profile(world.provider_a_org, serial=1)
    with pytest.raises(PermissionRefused, match="verified"):
        submit(world, published)
    assert not Bid.objects.exists()


def test_a_suspended_provider_is_refused(world, published, providers):
    profile = providers[0]
    provider_standing.suspend_provider(
        actor=world.civil_affairs,
        profile=profile,
        version=profile.version,
        reason="列入严重违法失信名单",
        until=timezone.localdate() + dt.timedelta(days=30),
    )
    with pytest.raises(PermissionRefused, match="suspended"):
        submit(world, published)


def test_another_currency_or_a_negative_price_is_refused(world, published, providers):
    with pytest.raises(ValidationFailed, match="CNY") as exc:
        submit(world, published, currency="USD")
    assert "currency" in exc.value.fields
    with pytest.raises(ValidationFailed, match="above zero"):
        submit(world, published, price="-5.00")
    with pytest.raises(ValidationFailed):
        submit(world, published, price=1.5)
    assert not Bid.objects.exists()


def test_someone_else_cannot_bid_for_a_provider(world, published, providers):
    with pytest.raises(PermissionRefused):
        bids.submit_bid(actor=world.provider_b, tender=published, provider=world.provider_a_org, price="1.00")


def test_related_providers_may_not_bid_in_the_same_lot(world, published, providers):
    from govbuy.providers.services.related_parties import record_control_relation

    record_control_relation(actor=world.provider_a, profile=providers[0], other=world.provider_b_org, note="控股关系")
    submit(world, published, "a")
    with pytest.raises(Conflict, match="related provider"):
        submit(world, published, "b")


def test_a_bid_at_or_after_the_deadline_is_refused_by_the_database_clock(world, published, providers):
    move_deadline(published, bids.db_now() - dt.timedelta(milliseconds=1))
    with pytest.raises(TransitionRefused, match="deadline has passed"):
        submit(world, published)
    assert not Bid.objects.exists()


def test_a_bid_is_replaced_or_withdrawn_before_the_deadline(world, published, providers):
    first = submit(world, published, price="100.00")
    second = submit(world, published, price="90.00")
    assert Bid.objects.get(pk=first.pk).status == "replaced"
    assert second.status == "sealed"
    assert AuditEvent.objects.filter(action="procurement.bid.replaced").count() == 1
    withdrawn = bids.withdraw_bid(actor=world.provider_a, bid=second)
    assert withdrawn.status == "withdrawn"
    with pytest.raises(Conflict):
        bids.withdraw_bid(actor=world.provider_a, bid=second)
    third = submit(world, published, price="80.00")
    move_deadline(published, bids.db_now() - dt.timedelta(seconds=1))
    with pytest.raises(TransitionRefused):
        bids.withdraw_bid(actor=world.provider_a, bid=third)


def test_a_bid_must_answer_every_condition_in_force(world, published, providers):

    project_conditions.create_condition(
        actor=world.purchaser_a,
        purchaser=world.purchaser_a_org,
        project_reference=published.project.reference,
        text="具有养老护理员资格的服务人员不少于10名",
        service_requirement="上门护理服务需要持证人员",
    )
    with pytest.raises(ValidationFailed, match="Answer every condition"):
        submit(world, published)
    from govbuy.providers.models import ProjectCondition

    condition_id = str(ProjectCondition.objects.get().pk)
    bid = submit(world, published, responses={condition_id: "有12名持证护理员"})
    assert bid.status == "sealed"


def test_a_bid_document_is_checked_and_sealed(world, published, providers, tmp_path, settings):
    from govbuy.providers.samples import minimal_pdf

    with pytest.raises(ValidationFailed):
        submit(world, published, documents=[("方案.pdf", b"MZ\x90\x00 not a pdf")])
    data = minimal_pdf("技术方案 " + CANARY)
    bid = submit(world, published, documents=[("方案.pdf", data)])
    assert CANARY.encode() not in bytes(Bid.objects.get(pk=bid.pk).ciphertext)
    media = list((settings.MEDIA_ROOT).rglob("*")) if settings.MEDIA_ROOT.exists() else []
    assert not [p for p in media if p.is_file() and CANARY.encode() in p.read_bytes()]
    assert not (settings.MEDIA_ROOT / "bids").exists()
