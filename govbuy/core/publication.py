"""The publication hook: a lower app says "this stage happened" without knowing who publishes it.

A service that makes something public (a plan, a tender notice, an award, a verified provider)
calls `announce(stage, obj_type=..., obj_id=..., occurred_at=...)` inside its own transaction,
after its audit event. Handlers registered at start-up (the disclosure app registers one in its
AppConfig.ready()) run right there, in the same transaction: the OCDS release and the search
entry commit or roll back with the stage event itself. This is a plain registry like
`core.home`, not a Django signal: handlers are few, ordered, and an exception in one fails the
service's transaction loudly instead of being swallowed.

Stages are the OCDS release tags (`planning`, `tender`, `tenderUpdate`, `award`, ...) for the
events the law makes public, plus `listed` (an object changed what the public sees, e.g. a
provider was verified or a catalog item published: search only) and `delisted` (it is no longer
public). See docs/decisions/0004-publication-hook.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from govbuy.core import pagecache

# The OCDS 1.1 release tags (codelists/releaseTag.csv) except `compiled`, which only records carry.
OCDS_STAGES = frozenset(
    {
        "planning",
        "planningUpdate",
        "tender",
        "tenderAmendment",
        "tenderUpdate",
        "tenderCancellation",
        "award",
        "awardUpdate",
        "awardCancellation",
        "contract",
        "contractUpdate",
        "contractAmendment",
        "implementation",
        "implementationUpdate",
        "contractTermination",
    }
)
LISTING_STAGES = frozenset({"listed", "delisted"})
STAGES = OCDS_STAGES | LISTING_STAGES


@dataclass(frozen=True)
class Announcement:
    stage: str
    obj_type: str  # the model's label_lower, e.g. "planning.project"
    obj_id: int
    occurred_at: datetime  # aware; when the stage event happened (the release date)

    @property
    def is_ocds_stage(self) -> bool:
        return self.stage in OCDS_STAGES


Handler = Callable[[Announcement], None]
_handlers: list[tuple[int, Handler]] = []


def register(handler: Handler, order: int = 100) -> None:
    """Register a handler (idempotent: AppConfig.ready() may run twice in tests)."""
    if all(h is not handler for _o, h in _handlers):
        _handlers.append((order, handler))
        _handlers.sort(key=lambda pair: pair[0])


def unregister(handler: Handler) -> None:
    _handlers[:] = [(o, h) for o, h in _handlers if h is not handler]


def announce(stage: str, *, obj_type: str, obj_id: int, occurred_at: datetime) -> Announcement:
    """Tell the publishers that `stage` happened to (obj_type, obj_id) at `occurred_at`.

    Must run inside the transaction that made the change: a release written outside it could
    survive a rolled-back stage event (or be lost after a committed one).
    """
    if stage not in STAGES:
        raise ValueError(f"unknown publication stage {stage!r}; use an OCDS release tag, 'listed' or 'delisted'")
    if occurred_at.tzinfo is None:
        raise ValueError("occurred_at must be an aware datetime")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("announce() must run inside the transaction of the stage event it publishes")
    announcement = Announcement(stage=stage, obj_type=obj_type, obj_id=int(obj_id), occurred_at=occurred_at)
    # What the public sees changes with the commit: stored public pages are not served after it.
    pagecache.bump()
    for _order, handler in list(_handlers):
        handler(announcement)
    return announcement
