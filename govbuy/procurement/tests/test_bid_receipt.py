"""A bid is in time when it was received before the deadline, however long it then waits for the
tender's lock; the opening starts only after the settle period, so it misses no bid received in
time (docs/decisions/0011-bid-receipt-and-settle-period.md)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.utils import translation

from govbuy.audit.models import AuditEvent
from govbuy.core.errors import TransitionRefused
from govbuy.core.testing import race
from govbuy.procurement import rules
from govbuy.procurement.models import Bid, Tender
from govbuy.procurement.services import bids, opening
from tests.builders.procurement import move_deadline, past_opening_time

pytestmark = pytest.mark.django_db


def submit(world, tender, key="a"):
    return bids.submit_bid(
        actor=world.users[f"provider_{key}"], tender=tender, provider=world.orgs[f"provider_{key}_org"], price="100.00"
    )


def clocks(monkeypatch, received: dt.datetime, recorded: dt.datetime) -> None:
    """The database clock reads `received` first (the receipt), then `recorded` (under the lock)."""
    readings = iter([received])
    monkeypatch.setattr(bids, "db_now", lambda: next(readings, recorded))


def test_a_bid_received_before_the_deadline_and_recorded_after_it_is_accepted(world, published, providers, monkeypatch):
    deadline = published.bid_deadline
    received = deadline - dt.timedelta(milliseconds=1)
    clocks(monkeypatch, received, deadline + dt.timedelta(seconds=5))
    bid = submit(world, published)
    assert Bid.objects.get(pk=bid.pk).submitted_at == received
    event = AuditEvent.objects.get(action="procurement.bid.submitted")
    assert event.data["received_at"] == received.isoformat()


def test_a_bid_received_at_or_after_the_deadline_is_refused(world, published, providers, monkeypatch):
    deadline = published.bid_deadline
    clocks(monkeypatch, deadline, deadline)
    with pytest.raises(TransitionRefused, match="deadline has passed"):
        submit(world, published)
    assert not Bid.objects.exists()


def test_a_bid_received_in_time_but_recorded_after_the_settle_period_is_refused(
    world, published, providers, monkeypatch
):
    deadline = published.bid_deadline
    clocks(monkeypatch, deadline - dt.timedelta(seconds=1), deadline + rules.BID_SETTLE)
    with pytest.raises(TransitionRefused, match="could not be recorded within 60 seconds"):
        submit(world, published)
    assert not Bid.objects.exists()
    clocks(monkeypatch, deadline - dt.timedelta(seconds=1), deadline + rules.BID_SETTLE - dt.timedelta(seconds=1))
    assert submit(world, published).submitted_at == deadline - dt.timedelta(seconds=1)


def test_the_opening_waits_for_the_settle_period_after_the_deadline(world, published, providers):
    submit(world, published)
    move_deadline(published, bids.db_now() - dt.timedelta(seconds=1))
    with pytest.raises(TransitionRefused, match="opening starts 60 seconds after the deadline"):
        opening.initiate_opening(actor=world.purchaser_a, tender=published)
    with translation.override("zh-hans"), pytest.raises(TransitionRefused, match="开标须在截止时间后60秒开始"):
        opening.initiate_opening(actor=world.purchaser_a, tender=published)
    move_deadline(published, bids.db_now() - rules.BID_SETTLE + dt.timedelta(seconds=5))
    with pytest.raises(TransitionRefused, match="may still be being recorded"):
        opening.initiate_opening(actor=world.purchaser_a, tender=published)
    past_opening_time(published)
    assert opening.initiate_opening(actor=world.purchaser_a, tender=published).initiated_at >= (
        published.bid_deadline + rules.BID_SETTLE
    )


@pytest.mark.django_db(transaction=True)
def test_a_bid_waiting_for_the_lock_past_the_deadline_is_accepted_with_its_receipt_time(world, published, providers):
    """On PostgreSQL: another transaction holds the tender's row lock across the deadline; the bid,
    received before it, waits, is recorded after it, and is accepted with its receipt time."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks that make a bid wait: PostgreSQL only (SQLite ignores select_for_update)")
    deadline: list[dt.datetime] = []
    held = threading.Event()

    def set_deadline() -> None:
        deadline.append(bids.db_now() + dt.timedelta(seconds=2))
        move_deadline(published, deadline[0])

    def work(index: int) -> object:
        if index == 0:
            with transaction.atomic():
                Tender.objects.select_for_update().get(pk=published.pk)
                held.set()
                while bids.db_now() < deadline[0] + dt.timedelta(milliseconds=500):
                    threading.Event().wait(0.05)
            return None
        assert held.wait(30)
        before = bids.db_now()
        bid = submit(world, published.pk)
        return before, bid, bids.db_now()

    outcome = race(work, 2, ready=set_deadline)
    assert not isinstance(outcome.outcomes[1], BaseException), outcome.outcomes[1]
    before, bid, after = outcome.outcomes[1]
    assert before < deadline[0] < after  # it was received before the deadline and waited past it
    stored = Bid.objects.get(pk=bid.pk)
    assert stored.status == "sealed"
    assert before <= stored.submitted_at < deadline[0]
