"""Parallel appends never fork the chain: each waits for the head row, so positions stay dense
and every event names its predecessor's hash. Runs on SQLite (BEGIN IMMEDIATE) and PostgreSQL."""

from __future__ import annotations

import pytest

from govbuy.audit.models import AuditCheckpoint, AuditEvent
from govbuy.audit.services import create_checkpoint, record_event
from govbuy.audit.verify import verify_chain
from govbuy.core.testing import needs_file_database, race

THREADS = 50


@pytest.fixture(autouse=True)
def _file_database():
    needs_file_database()


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_appends_make_one_dense_chain():
    errors = race(
        lambda i: record_event(actor=None, action="tests.thing.changed", object_type="tests.thing", object_id=str(i)),
        THREADS,
    ).errors
    assert errors == []
    positions = list(AuditEvent.objects.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, THREADS + 1))
    assert sorted(AuditEvent.objects.values_list("object_id", flat=True)) == sorted(str(i) for i in range(THREADS))
    assert AuditEvent.objects.values("prev_hash").distinct().count() == THREADS
    result = verify_chain()
    assert (result.ok, result.checked) == (True, THREADS)


@pytest.mark.django_db(transaction=True)
def test_checkpoints_taken_among_parallel_appends_match_the_chain():
    def work(i: int) -> None:
        if i % 10 == 0:
            create_checkpoint(actor=None, reason="opening")
        else:
            record_event(actor=None, action="tests.thing.changed", object_id=str(i), object_type="tests.thing")

    errors = race(work, THREADS).errors
    assert errors == []
    # 45 appends and 5 checkpoints, each of which appends its own event.
    assert AuditEvent.objects.count() == THREADS
    assert AuditCheckpoint.objects.count() == 5
    result = verify_chain()
    assert result.ok, result
    assert result.checkpoint_position == AuditCheckpoint.objects.order_by("-position").first().position
