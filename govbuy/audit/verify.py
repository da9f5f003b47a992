"""Proving the audit chain: every hash recomputed (keyed: govbuy.audit.chain), every link and
position checked, and the chain held against every checkpoint at once: the signed rows in the
database, the copies published outside it (govbuy.audit.publication) and any the caller brings.

The verifier streams events in position order with a server-side cursor (PostgreSQL) or chunked
fetches (SQLite), so memory stays constant however long the chain grows.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govbuy.audit.chain import (
    GENESIS_HASH,
    HASHED_FIELDS,
    LEGACY_BOUNDARY_REASON,
    PLAIN_SCHEME,
    checkpoint_signature,
    event_hash,
    signature_matches,
)
from govbuy.audit.models import AuditCheckpoint, AuditEvent, AuditHead
from govbuy.audit.publication import published_checkpoints

DEFAULT_CHUNK_SIZE = 2000


class Reason(models.TextChoices):
    HASH_MISMATCH = "hash_mismatch", _("The event's content does not match its hash: it was edited.")
    LINK_BROKEN = (
        "link_broken",
        _("The event does not carry the hash of the event before it: an event was edited, replaced or reordered."),
    )
    POSITION_GAP = "position_gap", _("A position is missing here: an event was deleted.")
    HEAD_MISMATCH = "head_mismatch", _("The chain's head record does not match the event at its position.")
    HEAD_AHEAD = "head_ahead", _("The chain ends before the position its head records: events were cut from the end.")
    CHECKPOINT_MISMATCH = (
        "checkpoint_mismatch",
        _("A signed checkpoint's hash differs from the event at its position: the chain was rewritten."),
    )
    TAIL_CUT = "tail_cut", _("The chain ends before a signed checkpoint: events were cut from the end.")
    CHECKPOINT_SIGNATURE = "checkpoint_signature", _("A checkpoint's signature is not valid: it was forged or altered.")
    UNKEYED = (
        "unkeyed",
        _("The event's hash was not made with the chain's key: it was written or rewritten outside the application."),
    )


# Not a finding about the chain: a verification run whose worker stopped before it finished.
ABANDONED = "abandoned"


def reason_label(code: str) -> str:
    """The translated explanation of a run's reason code ("" when there is none)."""
    if code == ABANDONED:
        return str(_("The verification stopped before it finished: its worker was stopped."))
    if code in Reason.values:
        return str(Reason(code).label)
    return code


@dataclass(frozen=True)
class PublishedCheckpoint:
    """A head hash copied from outside the database (the portal, a newspaper notice, an
    auditor's note). It carries no signature: its trust comes from where it was copied."""

    position: int
    head_hash: str


CheckpointLike = AuditCheckpoint | PublishedCheckpoint


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_broken_position: int | None = None
    reason: str = ""
    head_position: int = 0
    checkpoint_position: int | None = None

    @property
    def message(self) -> str:
        if self.ok:
            return str(_("The audit chain is intact."))
        return str(Reason(self.reason).label)


def checkpoint_signature_valid(checkpoint: CheckpointLike) -> bool:
    if isinstance(checkpoint, PublishedCheckpoint):
        return True
    expected = checkpoint_signature(
        key=settings.AUDIT_CHECKPOINT_KEY,
        position=checkpoint.position,
        head_hash=checkpoint.head_hash,
        reason=checkpoint.reason,
        created_at=checkpoint.created_at,
    )
    return signature_matches(expected, checkpoint.signature or "")


def stored_hash_matches(event: AuditEvent) -> bool:
    """Whether one event's content still matches its own hash (the detail page shows it)."""
    fields = {name: getattr(event, name) for name in HASHED_FIELDS}
    return event_hash(event.prev_hash, fields, scheme=event.scheme) == event.hash


def _event_rows(chunk_size: int) -> Iterator[dict[str, Any]]:
    fields = (*HASHED_FIELDS, "prev_hash", "hash", "scheme")
    return AuditEvent.objects.order_by("position").values(*fields).iterator(chunk_size=chunk_size)


def legacy_boundary() -> tuple[int, AuditCheckpoint | None]:
    """Up to which position plain (unkeyed) hashes are valid: the position of the signed
    checkpoint the keying migration took at the head of the chain that existed then; 0 when
    there was none (every event must be keyed)."""
    marker = AuditCheckpoint.objects.filter(reason=LEGACY_BOUNDARY_REASON).order_by("position", "id").first()
    return (marker.position if marker is not None else 0), marker


def _all_checkpoints(extra: Sequence[CheckpointLike], chunk_size: int) -> Iterator[CheckpointLike]:
    """Stored, published and given checkpoints, merged in position order (the stored ones stream)."""
    outside: list[CheckpointLike] = [PublishedCheckpoint(position=p, head_hash=h) for p, h in published_checkpoints()]
    outside += list(extra)
    outside.sort(key=lambda c: c.position)
    stored = AuditCheckpoint.objects.order_by("position", "id").iterator(chunk_size=chunk_size)
    return heapq.merge(stored, outside, key=lambda c: c.position)


def verify_chain(
    checkpoint: CheckpointLike | None = None,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: Callable[[int], None] | None = None,
) -> VerifyResult:
    """Check the whole chain and stop at the first broken position.

    Every checkpoint counts, always: each stored one (its signature, and its hash against the
    event at its position), each line of the published copy outside the database, and
    `checkpoint` if given (a head hash copied from the portal or a notice). The latest of them is
    what proves a cut tail. Events appended while the verifier runs are verified too.
    """
    # Read the head first and the checkpoints before the events: anything they name was
    # committed before the events query starts, so the events stream must contain it.
    head_position, head_hash = AuditHead.objects.filter(pk=1).values_list("position", "hash").first() or (
        0,
        GENESIS_HASH,
    )
    legacy_until, marker = legacy_boundary()
    checkpoints = _all_checkpoints([checkpoint] if checkpoint is not None else [], chunk_size)
    pending = next(checkpoints, None)
    last_checkpoint_position: int | None = None

    def broken(position: int, reason: Reason, checked: int) -> VerifyResult:
        return VerifyResult(
            ok=False,
            checked=checked,
            first_broken_position=position,
            reason=reason.value,
            head_position=head_position,
            checkpoint_position=last_checkpoint_position,
        )

    prev_hash = GENESIS_HASH
    expected = 1
    checked = 0
    hash_at_head = GENESIS_HASH if head_position == 0 else None
    if marker is not None and not checkpoint_signature_valid(marker):
        return broken(marker.position, Reason.CHECKPOINT_SIGNATURE, checked)

    # A checkpoint taken before the first event names the genesis hash.
    while pending is not None and pending.position < 1:
        last_checkpoint_position = pending.position
        if not checkpoint_signature_valid(pending):
            return broken(pending.position, Reason.CHECKPOINT_SIGNATURE, checked)
        if pending.position != 0 or pending.head_hash != GENESIS_HASH:
            return broken(pending.position, Reason.CHECKPOINT_MISMATCH, checked)
        pending = next(checkpoints, None)

    for row in _event_rows(chunk_size):
        position = row["position"]
        if position != expected:
            return broken(expected, Reason.POSITION_GAP, checked)
        if row["scheme"] == PLAIN_SCHEME and position > legacy_until:
            return broken(position, Reason.UNKEYED, checked)
        if event_hash(row["prev_hash"], row, scheme=row["scheme"]) != row["hash"]:
            return broken(position, Reason.HASH_MISMATCH, checked)
        if row["prev_hash"] != prev_hash:
            return broken(position, Reason.LINK_BROKEN, checked)
        while pending is not None and pending.position == position:
            last_checkpoint_position = pending.position
            if not checkpoint_signature_valid(pending):
                return broken(position, Reason.CHECKPOINT_SIGNATURE, checked)
            if pending.head_hash != row["hash"]:
                return broken(position, Reason.CHECKPOINT_MISMATCH, checked)
            pending = next(checkpoints, None)
        if position == head_position:
            hash_at_head = row["hash"]
        prev_hash = row["hash"]
        expected += 1
        checked += 1
        if progress is not None and checked % chunk_size == 0:
            progress(checked)

    if progress is not None:
        progress(checked)
    last_position = expected - 1
    if head_position > last_position:
        return broken(last_position + 1, Reason.HEAD_AHEAD, checked)
    if hash_at_head != head_hash:
        return broken(head_position, Reason.HEAD_MISMATCH, checked)
    if pending is not None:
        # Only checkpoints beyond the last event are left: each proves a cut tail, unless it
        # was forged, which is the worse finding.
        last_checkpoint_position = pending.position
        if not checkpoint_signature_valid(pending):
            return broken(pending.position, Reason.CHECKPOINT_SIGNATURE, checked)
        return broken(last_position + 1, Reason.TAIL_CUT, checked)
    return VerifyResult(
        ok=True,
        checked=checked,
        head_position=head_position,
        checkpoint_position=last_checkpoint_position,
    )
