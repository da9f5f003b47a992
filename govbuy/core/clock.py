"""Which clock the services read while the demo replays past months.

The services read the Python clock (`timezone.now()`), except where the database's clock is the
authority (a bid's receipt and the opening compare against `procurement.services.bids.db_now`, so
that no application server's clock decides whether a bid was in time). The demo loader
(`govbuy.demo.timeline`) replays months of work through the services by moving the Python clock
(time-machine); it cannot move the database's. While it replays, `replaying()` is true and the
services that read the database's clock read the Python one instead, so a bid "received" in April
is compared with an April deadline.

Only the demo loader turns this on, and it refuses to under production settings.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

_replaying: ContextVar[bool] = ContextVar("govbuy_clock_replaying", default=False)


class ReplayRefused(RuntimeError):
    """Replaying the past is for demo data only."""


def replaying() -> bool:
    """True while the demo loader replays the past (the Python clock is the only clock)."""
    return _replaying.get()


@contextmanager
def replay() -> Iterator[None]:
    """Read the Python clock everywhere inside this block. Refused under production settings."""
    if not settings.DEMO_DATA_ALLOWED:
        raise ReplayRefused("Replaying past dates is for demo data only (refused under production settings).")
    token = _replaying.set(True)
    try:
        yield
    finally:
        _replaying.reset(token)
