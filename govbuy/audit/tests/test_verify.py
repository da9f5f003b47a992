from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from govbuy.audit.chain import GENESIS_HASH, HASHED_FIELDS, KEYED_SCHEME, PLAIN_SCHEME, event_hash
from govbuy.audit.models import AuditCheckpoint, AuditEvent, AuditHead
from govbuy.audit.services import create_checkpoint
from govbuy.audit.tests.conftest import append, rehash_from, tampering
from govbuy.audit.verify import PublishedCheckpoint, Reason, verify_chain

pytestmark = pytest.mark.django_db


def test_an_intact_chain_verifies_with_every_event_counted():
    append(12)
    result = verify_chain(chunk_size=5)
    assert result.ok
    assert result.checked == 12
    assert result.first_broken_position is None
    assert result.head_position == 12


def test_an_empty_chain_verifies():
    result = verify_chain()
    assert (result.ok, result.checked) == (True, 0)


def test_progress_is_reported_per_chunk_while_streaming():
    append(7)
    seen: list[int] = []
    assert verify_chain(chunk_size=3, progress=seen.append).ok
    assert seen == [3, 6, 7]


def test_an_edited_row_is_found_at_its_position():
    append(6)
    if connection.vendor == "postgresql":
        # The trigger stops the edit first; the intruder then switches triggers off.
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEvent.objects.filter(position=4).update(actor_label="mallory")
    with tampering(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET actor_label = %s WHERE position = %s", ["mallory", 4])
    assert AuditEvent.objects.get(position=4).actor_label == "mallory"
    result = verify_chain()
    assert not result.ok
    assert result.first_broken_position == 4
    assert result.reason == Reason.HASH_MISMATCH
    assert result.checked == 3


def test_an_edited_row_whose_own_hash_was_recomputed_breaks_the_next_link():
    append(6)
    with tampering():
        AuditEvent.objects.filter(position=3).update(data={"n": 999})
    row = AuditEvent.objects.get(position=3)
    with tampering():
        AuditEvent.objects.filter(position=3).update(
            hash=event_hash(row.prev_hash, {n: getattr(row, n) for n in HASHED_FIELDS}, scheme=row.scheme)
        )
    result = verify_chain()
    assert (result.ok, result.first_broken_position, result.reason) == (False, 4, Reason.LINK_BROKEN)


def test_a_suffix_rewritten_with_the_key_passes_the_chain_but_not_the_checkpoint():
    append(5)
    create_checkpoint(actor=None, reason="daily")  # signs position 5; its own event is 6
    append(3)
    with tampering():
        AuditEvent.objects.filter(position=4).update(data={"n": "forged"})
    rehash_from(4)  # an insider who also holds the chain key
    result = verify_chain()
    assert not result.ok
    assert (result.first_broken_position, result.reason) == (5, Reason.CHECKPOINT_MISMATCH)
    # A head hash brought from outside does not stand in for the stored checkpoints: all count.
    given = verify_chain(PublishedCheckpoint(position=9, head_hash=AuditHead.objects.get().hash))
    assert (given.ok, given.first_broken_position) == (False, 5)


def test_a_tail_rewritten_with_plain_sha256_after_the_last_checkpoint_is_found():
    """The blind window: everything after the last checkpoint, rewritten by someone who can write
    to the database but does not hold the chain key, with every hash recomputed as plain sha256
    (what the chain was before it was keyed) and the head moved. No checkpoint covers it."""
    append(5)
    create_checkpoint(actor=None, reason="daily")  # position 5; its event is 6
    append(4)  # 7..10: the window
    with tampering():
        AuditEvent.objects.filter(position=8).update(actor_label="mallory", data={"n": "forged"})
    rehash_from(8, scheme=PLAIN_SCHEME)
    result = verify_chain()
    assert (result.ok, result.first_broken_position, result.reason) == (False, 8, Reason.UNKEYED)
    # Claiming the keyed scheme with plain hashes does not help either.
    with tampering():
        AuditEvent.objects.filter(position__gte=8).update(scheme=KEYED_SCHEME)
    result = verify_chain()
    assert (result.ok, result.first_broken_position, result.reason) == (False, 8, Reason.HASH_MISMATCH)


def test_a_tail_rewritten_with_a_guessed_key_is_found(settings):
    append(6)
    real = settings.GOVBUY_AUDIT_CHAIN_KEY
    settings.GOVBUY_AUDIT_CHAIN_KEY = "the-intruders-guess"
    with tampering():
        AuditEvent.objects.filter(position=5).update(data={"n": "forged"})
    rehash_from(5)
    settings.GOVBUY_AUDIT_CHAIN_KEY = real
    result = verify_chain()
    assert (result.ok, result.first_broken_position, result.reason) == (False, 5, Reason.HASH_MISMATCH)


def test_a_deleted_middle_row_is_found_at_the_gap():
    append(8)
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEvent.objects.filter(position=5).delete()
    with tampering():
        AuditEvent.objects.filter(position=5).delete()
    result = verify_chain()
    assert (result.ok, result.first_broken_position, result.reason) == (False, 5, Reason.POSITION_GAP)
    assert result.checked == 4


def test_a_deleted_first_row_is_found():
    append(3)
    with tampering():
        AuditEvent.objects.filter(position=1).delete()
    result = verify_chain()
    assert (result.first_broken_position, result.reason) == (1, Reason.POSITION_GAP)


def test_a_swapped_pair_is_found_at_the_first_of_the_two():
    append(8)
    a, b = AuditEvent.objects.get(position=3), AuditEvent.objects.get(position=6)
    content = [f.attname for f in AuditEvent._meta.concrete_fields if f.attname not in ("id", "position")]
    with tampering(), transaction.atomic():
        AuditEvent.objects.filter(pk__in=[a.pk, b.pk]).delete()
        for target, source in ((a, b), (b, a)):
            AuditEvent.objects.create(position=target.position, **{name: getattr(source, name) for name in content})
    assert AuditEvent.objects.get(position=3).hash == b.hash
    result = verify_chain()
    assert (result.ok, result.first_broken_position) == (False, 3)
    assert result.reason in (Reason.HASH_MISMATCH, Reason.LINK_BROKEN)


def _cut_tail_after(position: int) -> None:
    keep = AuditEvent.objects.get(position=position)
    with tampering():
        AuditEvent.objects.filter(position__gt=position).delete()
    AuditHead.objects.filter(pk=1).update(position=position, hash=keep.hash)


def test_a_cut_tail_is_found_against_the_checkpoint():
    append(6)
    checkpoint = create_checkpoint(actor=None, reason="daily")
    assert checkpoint.position == 6
    append(2)
    _cut_tail_after(4)
    result = verify_chain()
    assert not result.ok
    assert (result.first_broken_position, result.reason) == (5, Reason.TAIL_CUT)
    assert result.checkpoint_position == 6
    assert result.checked == 4


def test_a_cut_tail_without_any_checkpoint_is_invisible_when_the_head_was_moved_too():
    append(6)
    _cut_tail_after(4)
    # The limit the checkpoints exist for: a consistent shorter chain proves nothing missing.
    assert verify_chain().ok


def test_a_cut_tail_that_left_the_head_behind_is_found():
    append(6)
    with tampering():
        AuditEvent.objects.filter(position__gt=4).delete()
    result = verify_chain()
    assert (result.first_broken_position, result.reason) == (5, Reason.HEAD_AHEAD)


def test_a_head_that_does_not_match_its_event_is_found():
    append(3)
    AuditHead.objects.filter(pk=1).update(hash="f" * 64)
    result = verify_chain()
    assert (result.first_broken_position, result.reason) == (3, Reason.HEAD_MISMATCH)


def test_a_forged_checkpoint_signature_is_found(settings):
    append(4)
    head = AuditHead.objects.get(pk=1)
    AuditCheckpoint.objects.create(
        position=head.position, head_hash=head.hash, reason="daily", created_at=timezone.now(), signature="0" * 64
    )
    result = verify_chain()
    assert (result.ok, result.first_broken_position, result.reason) == (False, 4, Reason.CHECKPOINT_SIGNATURE)


def test_a_checkpoint_signed_with_another_key_is_found(settings):
    append(4)
    settings.AUDIT_CHECKPOINT_KEY = "the-intruders-guess"
    create_checkpoint(actor=None, reason="daily")
    settings.AUDIT_CHECKPOINT_KEY = "the-real-key"
    assert verify_chain().reason == Reason.CHECKPOINT_SIGNATURE


def test_a_checkpoint_moved_forward_to_cover_a_cut_loses_its_signature():
    append(6)
    checkpoint = create_checkpoint(actor=None, reason="daily")
    _cut_tail_after(3)
    with tampering():
        AuditCheckpoint.objects.filter(pk=checkpoint.pk).update(
            position=3, head_hash=AuditEvent.objects.get(position=3).hash
        )
    assert verify_chain().reason == Reason.CHECKPOINT_SIGNATURE


def test_a_forged_checkpoint_beyond_the_tail_is_reported_as_forged():
    append(2)
    AuditCheckpoint.objects.create(
        position=50, head_hash="e" * 64, reason="daily", created_at=timezone.now(), signature="1" * 64
    )
    assert verify_chain().reason == Reason.CHECKPOINT_SIGNATURE


def test_an_outside_copy_of_the_head_hash_that_differs_is_found():
    append(5)
    result = verify_chain(PublishedCheckpoint(position=3, head_hash="c" * 64))
    assert (result.ok, result.first_broken_position, result.reason) == (False, 3, Reason.CHECKPOINT_MISMATCH)
    assert verify_chain(PublishedCheckpoint(position=0, head_hash=GENESIS_HASH)).ok
    cut = verify_chain(PublishedCheckpoint(position=9, head_hash="c" * 64))
    assert (cut.first_broken_position, cut.reason) == (6, Reason.TAIL_CUT)


def test_every_stored_checkpoint_is_checked_not_only_the_latest():
    append(3)
    create_checkpoint(actor=None, reason="opening")  # position 3
    append(3)
    create_checkpoint(actor=None, reason="daily")  # position 7
    with tampering():
        AuditEvent.objects.filter(position=2).update(data={"n": "forged"})
    rehash_from(2)
    with tampering():
        AuditCheckpoint.objects.filter(position=7).delete()
    AuditHead.objects.filter(pk=1).update(hash=AuditEvent.objects.order_by("-position").first().hash)
    result = verify_chain()
    assert (result.first_broken_position, result.reason) == (3, Reason.CHECKPOINT_MISMATCH)
