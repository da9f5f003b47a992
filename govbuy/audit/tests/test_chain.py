from __future__ import annotations

import itertools
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import transaction

from govbuy.audit.chain import (
    GENESIS_HASH,
    HASHED_FIELDS,
    canonical_json,
    checkpoint_signature,
    event_hash,
    jsonable,
)
from govbuy.audit.models import AuditEvent, AuditHead
from govbuy.audit.services import diff, record_event
from govbuy.audit.tests.conftest import append

BASE_FIELDS = {
    "position": 7,
    "occurred_at": datetime(2026, 3, 1, 2, 3, 4, 567890, tzinfo=UTC),
    "actor_id": 3,
    "actor_label": "auditor",
    "organisation_id": 9,
    "organisation_label": "北京市审计局",
    "region_id": 1,
    "action": "tests.thing.changed",
    "object_type": "tests.thing",
    "object_id": "42",
    "changes": {"amount": ["1.00", "2.00"]},
    "data": {"note": "x"},
    "request_id": "abcdef123456",
    "ip": "10.0.0.1",
}
OTHER_VALUES = {
    "position": 8,
    "occurred_at": datetime(2026, 3, 1, 2, 3, 4, 567891, tzinfo=UTC),
    "actor_id": 4,
    "actor_label": "supervisor",
    "organisation_id": 10,
    "organisation_label": "北京市财政局",
    "region_id": 2,
    "action": "tests.thing.removed",
    "object_type": "tests.other",
    "object_id": "43",
    "changes": {"amount": ["1.00", "2.01"]},
    "data": {"note": "y"},
    "request_id": "abcdef123457",
    "ip": "10.0.0.2",
}


def test_the_hash_is_sha256_hex_and_deterministic():
    digest = event_hash(GENESIS_HASH, BASE_FIELDS)
    assert len(digest) == 64
    assert int(digest, 16) >= 0
    assert event_hash(GENESIS_HASH, dict(reversed(list(BASE_FIELDS.items())))) == digest


@pytest.mark.parametrize("name", HASHED_FIELDS)
def test_every_hashed_field_changes_the_hash(name):
    assert set(OTHER_VALUES) == set(HASHED_FIELDS)
    changed = {**BASE_FIELDS, name: OTHER_VALUES[name]}
    assert event_hash(GENESIS_HASH, changed) != event_hash(GENESIS_HASH, BASE_FIELDS)


def test_the_previous_hash_is_part_of_the_hash():
    assert event_hash(GENESIS_HASH, BASE_FIELDS) != event_hash("1" * 64, BASE_FIELDS)


def test_canonical_json_sorts_keys_and_keeps_chinese_and_decimals_stable():
    assert canonical_json({"b": 1, "a": "财政"}) == '{"a":"财政","b":1}'.encode()
    assert jsonable({"amount": Decimal("10.50")}) == {"amount": "10.50"}


def test_checkpoint_signature_depends_on_the_key_and_every_field():
    moment = datetime(2026, 3, 1, tzinfo=UTC)
    base = {"position": 5, "head_hash": "a" * 64, "reason": "daily", "created_at": moment}
    signature = checkpoint_signature(key="k1", **base)
    assert signature != checkpoint_signature(key="k2", **base)
    for name, other in {
        "position": 6,
        "head_hash": "b" * 64,
        "reason": "award",
        "created_at": moment.replace(day=2),
    }.items():
        assert checkpoint_signature(key="k1", **{**base, name: other}) != signature


@pytest.mark.django_db
def test_record_event_links_each_event_to_the_one_before():
    events = append(5)
    assert [e.position for e in events] == [1, 2, 3, 4, 5]
    assert events[0].prev_hash == GENESIS_HASH
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
        assert after.occurred_at >= before.occurred_at
    stored = list(AuditEvent.objects.order_by("position"))
    for event in stored:
        assert event_hash(event.prev_hash, {n: getattr(event, n) for n in HASHED_FIELDS}) == event.hash
    head = AuditHead.objects.get(pk=1)
    assert (head.position, head.hash) == (5, events[-1].hash)


@pytest.mark.django_db
def test_record_event_stores_changes_as_before_after_pairs(world):
    event = record_event(
        actor=world.city_finance,
        action="tests.thing.changed",
        obj=world.purchaser_a_org,
        organisation=world.purchaser_a_org,
        changes=diff({"name": "旧", "same": 1, "amount": Decimal("1.00")}, {"name": "新", "same": 1, "amount": None}),
    )
    event.refresh_from_db()
    assert event.changes == {"amount": ["1.00", None], "name": ["旧", "新"]}
    assert event.object_type == "organizations.organisation"
    assert event.object_id == str(world.purchaser_a_org.pk)
    assert event.region_id == world.district_a.pk
    assert event.actor_id == world.city_finance.pk
    assert event.actor_label == "city_finance"
    assert event.occurred_at.utcoffset().total_seconds() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["Thing changed", "audit", "audit..x", "audit.Thing.changed", ""])
def test_record_event_refuses_an_action_code_that_is_not_dotted(code):
    with pytest.raises(ValueError):
        record_event(actor=None, action=code)
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_an_event_is_written_in_the_callers_transaction_and_rolls_back_with_it():
    append(2)
    seen_inside: list[int] = []

    def service_that_fails_after_its_event() -> None:
        with transaction.atomic():
            record_event(actor=None, action="tests.thing.changed", object_type="tests.thing", object_id="1")
            seen_inside.append(AuditEvent.objects.count())
            raise RuntimeError("the service failed after writing its event")

    with pytest.raises(RuntimeError):
        service_that_fails_after_its_event()
    assert seen_inside == [3]
    assert AuditEvent.objects.count() == 2
    assert AuditHead.objects.get(pk=1).position == 2
    # The next event takes the position the rolled-back one had claimed: no gap.
    assert record_event(actor=None, action="tests.thing.changed").position == 3
