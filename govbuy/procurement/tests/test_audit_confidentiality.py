"""Before the opening nobody but the bidder learns who bid or how many — not through the audit
trail either (Reg. Art. 14): the bid events are sealed for every reader of the trail (finance
bureaus, the district bureau that does not oversee the tender, supervision, the auditor, the
platform admin), on the pages and in the API, and shown from the opening on."""

from __future__ import annotations

import pytest

from govbuy.audit.models import AuditCheckpoint, AuditEvent
from govbuy.procurement.models import Bid
from govbuy.procurement.services import bids, opening, tenders
from tests.builders.procurement import lower_minimums, past_opening_time

pytestmark = pytest.mark.django_db

READERS = ("city_finance", "district_finance_a", "district_finance_b", "supervisor", "auditor", "platform_admin")
EVENTS_API = "/api/v1/audit/events/"


def _bid_positions() -> list[int]:
    return list(AuditEvent.objects.filter(object_type="procurement.bid").values_list("position", flat=True))


@pytest.fixture
def bid_on(world, published, providers, django_capture_on_commit_callbacks):
    lower_minimums(world)
    # Each submission commits before the next (its checkpoint is signed after the commit).
    with django_capture_on_commit_callbacks(execute=True):
        first = bids.submit_bid(actor=world.provider_a, tender=published, provider=world.provider_a_org, price="100")
    with django_capture_on_commit_callbacks(execute=True):
        second = bids.submit_bid(actor=world.provider_b, tender=published, provider=world.provider_b_org, price="120")
    bids.withdraw_bid(actor=world.provider_b, bid=second)
    with django_capture_on_commit_callbacks(execute=True):
        bids.submit_bid(actor=world.provider_b, tender=published, provider=world.provider_b_org, price="110.00")
    assert first.pk
    return published


def _seen_by(client) -> tuple[set[str], str]:
    body = client.get(EVENTS_API, {"page_size": 200}).json()
    types = {row["object_type"] for row in body["results"]}
    pages = client.get("/audit/").content.decode()
    return types, pages


@pytest.mark.parametrize("reader", READERS)
def test_no_reader_of_the_trail_sees_a_bid_event_before_the_opening(world, bid_on, login, reader):
    positions = _bid_positions()
    assert len(positions) == 4  # two submissions, a withdrawal and a new submission
    client = login(getattr(world, reader))
    types, page = _seen_by(client)
    assert "procurement.bid" not in types
    for receipt in Bid.objects.values_list("receipt_sha256", flat=True):
        assert receipt not in page
    for position in positions:
        assert client.get(f"{EVENTS_API}{position}/").status_code == 404
        assert client.get(f"/audit/events/{position}/").status_code == 404
    # Filtering by the object type or an actor finds nothing either.
    assert client.get(EVENTS_API, {"object_type": "procurement.bid"}).json()["count"] == 0
    assert client.get(EVENTS_API, {"action": "procurement.bid"}).json()["count"] == 0


def test_the_checkpoints_after_each_bid_name_neither_tender_nor_bidder(world, bid_on):
    reasons = list(AuditCheckpoint.objects.values_list("reason", flat=True))
    assert reasons.count(bids.BID_CHECKPOINT_REASON) == 3
    for position in _bid_positions():
        assert AuditCheckpoint.objects.filter(position__gte=position).exists()
    checkpoint_events = AuditEvent.objects.filter(action="audit.checkpoint.created")
    for event in checkpoint_events:
        assert bid_on.reference not in str(event.data)
        assert event.actor_label == "system"


def test_from_the_opening_on_the_bid_events_are_shown(world, bid_on, login):
    past_opening_time(bid_on)
    opening.initiate_opening(actor=world.purchaser_a, tender=bid_on)
    opening.confirm_opening(actor=world.purchaser_a_approver, tender=bid_on)
    client = login(world.city_finance)
    assert client.get(EVENTS_API, {"object_type": "procurement.bid"}).json()["count"] == 4
    for position in _bid_positions():
        assert client.get(f"{EVENTS_API}{position}/").status_code == 200


def test_a_cancelled_tender_lifts_the_seal(world, bid_on, login):
    bid_on.refresh_from_db()
    tenders.cancel_tender(actor=world.purchaser_a, tender=bid_on, version=bid_on.version, reason="需求变更")
    client = login(world.auditor)
    assert client.get(EVENTS_API, {"object_type": "procurement.bid"}).json()["count"] == 4


def test_bids_committed_together_share_the_checkpoint_signed_after_them(
    world, published, providers, django_capture_on_commit_callbacks
):
    """The checkpoint is signed after the bid's commit, outside the tender's lock; one signed
    after a burst covers every bid of it, so the others sign none."""
    lower_minimums(world)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        bids.submit_bid(actor=world.provider_a, tender=published, provider=world.provider_a_org, price="100.00")
        bids.submit_bid(actor=world.provider_b, tender=published, provider=world.provider_b_org, price="120.00")
    assert not AuditCheckpoint.objects.filter(reason=bids.BID_CHECKPOINT_REASON).exists()
    for callback in callbacks:
        callback()
    anchored = AuditCheckpoint.objects.filter(reason=bids.BID_CHECKPOINT_REASON)
    assert anchored.count() == 1
    assert anchored.get().position >= max(_bid_positions())


def test_a_checkpoint_that_fails_does_not_undo_the_bid(
    world, published, providers, monkeypatch, django_capture_on_commit_callbacks
):
    lower_minimums(world)

    def refuse(**kwargs):
        raise RuntimeError("signing key unavailable")

    monkeypatch.setattr(bids, "ensure_checkpoint", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        bid = bids.submit_bid(actor=world.provider_a, tender=published, provider=world.provider_a_org, price="1")
    assert Bid.objects.filter(pk=bid.pk).exists()
    assert not AuditCheckpoint.objects.filter(reason=bids.BID_CHECKPOINT_REASON).exists()
