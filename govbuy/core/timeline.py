"""The demo's clock: months of work replayed through the services, in the order the law requires.

`seed_demo` tells a story that ends today: the catalog is published some ten months ago, budgets
and plans follow, tenders run for their statutory periods, contracts are signed and delivered,
and the things people must act on now (a challenge to answer, bids to score) happened in the last
days. Every record is still made by the services; only the clock they read is moved (time-machine
for the Python clock, `govbuy.core.clock.replay` for the few services that read the database's).

A **story** is a generator: it yields the moment at which it goes on, and everything between two
yields happens at the moment yielded before it (the clock ticking on from there). It starts with
a yield and returns how many records it created::

    def tender_story(project, people) -> timeline.Story:
        yield timeline.ago(40)                 # published 40 days ago (a working day, 10:00)
        tender = publish(...)
        yield tender.bid_deadline + dt.timedelta(minutes=30)
        open_bids(...)
        return 1

`run(stories)` runs any number of stories interleaved by their moments, so the audit trail is in
time order whatever app a step belongs to. The clock never goes back: a story that asks for a
moment already passed goes on at the current one. A one-step story is `once(moment, load)`;
`load_alone(stories)` runs an app's stories by themselves (its `demo.load()`, as the app's
tests call it).

It lives in `core` because every app's `demo.py` uses it (the demo app sits above them all).

Moments are relative to the day the demo is loaded: `day(n)` is n days after the start of the
story (`HORIZON` days ago), `ago(n)` is n days before today; both land on a working day of the
holiday table, at an office hour in Beijing time. Nothing may happen after now.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import time_machine
from django.utils import timezone

from govbuy.core import clock
from govbuy.core.calendar.rules import SHANGHAI, get_calendar

# How many days before today the story starts (early February when loaded in December).
HORIZON = 300

Story = Generator[dt.datetime, None, int]


class _Replay:
    """The real moment the replay began and the latest moment the replayed clock showed."""

    def __init__(self, real_now: dt.datetime) -> None:
        self.real_now = real_now
        self.last = real_now - dt.timedelta(days=HORIZON + 1)


_active: _Replay | None = None


def _real_now() -> dt.datetime:
    return _active.real_now if _active is not None else timezone.now()


def today() -> dt.date:
    """Today in Beijing, the real today even while the clock is moved."""
    return timezone.localtime(_real_now(), SHANGHAI).date()


def _office(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def start(*, hour: int = 8) -> dt.datetime:
    """The story's first day at `hour` (a plain date: the holiday table may not be loaded yet)."""
    return _office(today() - dt.timedelta(days=HORIZON), hour, 0)


def day(n: int, *, hour: int = 10, minute: int = 0) -> dt.datetime:
    """The first working day on or after the n-th day of the story, at hour:minute Beijing time."""
    start = today() - dt.timedelta(days=HORIZON)
    return _office(get_calendar().next_working_day(start + dt.timedelta(days=n), include_start=True), hour, minute)


def ago(n: int, *, hour: int = 10, minute: int = 0) -> dt.datetime:
    """The last working day on or before n days ago, at hour:minute Beijing time."""
    return _office(
        get_calendar().previous_working_day(today() - dt.timedelta(days=n), include_start=True), hour, minute
    )


def working_days_ago(n: int, *, hour: int = 10, minute: int = 0) -> dt.datetime:
    """The n-th working day before today, at hour:minute Beijing time."""
    return _office(get_calendar().add_working_days(today(), -n), hour, minute)


def working_days_after(moment: dt.datetime, n: int, *, hour: int = 10, minute: int = 0) -> dt.datetime:
    """The n-th working day after `moment`'s day, at hour:minute Beijing time."""
    local = timezone.localtime(moment, SHANGHAI).date()
    return _office(get_calendar().add_working_days(local, n), hour, minute)


def days_after(moment: dt.datetime, n: int, *, hour: int = 10, minute: int = 0) -> dt.datetime:
    """The first working day on or after n calendar days after `moment`'s day, at hour:minute."""
    local = timezone.localtime(moment, SHANGHAI).date() + dt.timedelta(days=n)
    return _office(get_calendar().next_working_day(local, include_start=True), hour, minute)


@contextmanager
def replaying() -> Iterator[None]:
    """The whole load: the services read the moved clock (refused under production settings)."""
    global _active
    if _active is not None:
        yield
        return
    with clock.replay():
        _active = _Replay(timezone.now())
        try:
            yield
        finally:
            _active = None


@contextmanager
def at(moment: dt.datetime) -> Iterator[dt.datetime]:
    """Run the block with the clock at `moment` (or just after the latest moment already shown,
    if that is later), ticking on from there. Only inside `replaying()`."""
    if _active is None:
        raise RuntimeError("timeline.at() is for the demo loader, inside timeline.replaying().")
    if moment > _active.real_now:
        raise ValueError(f"a demo step may not happen after now: {moment.isoformat()}")
    target = min(max(moment, _active.last + dt.timedelta(seconds=1)), _active.real_now)
    with time_machine.travel(target, tick=True):
        try:
            yield target
        finally:
            _active.last = max(_active.last, timezone.now())


def once(moment: dt.datetime, load: Callable[..., int], *args: Any, **kwargs: Any) -> Story:
    """A story of one step: `load(*args, **kwargs)` at `moment`."""
    yield moment
    return load(*args, **kwargs) or 0


def load_alone(stories: Callable[[], Iterable[Story]]) -> int:
    """Run one app's stories by themselves (inside the demo loader's replay if there is one)."""
    with replaying():
        return run(stories())


def run(stories: Iterable[Story]) -> int:
    """Run the stories interleaved, each step at its moment (earliest first; on a tie, in the
    order given). Returns the records they created."""
    if _active is None:
        raise RuntimeError("timeline.run() is for the demo loader, inside timeline.replaying().")
    created = 0
    queue: list[tuple[dt.datetime, int, int, Story]] = []
    counter = itertools.count()

    def step(order: int, story: Story) -> None:
        nonlocal created
        try:
            moment = next(story)
        except StopIteration as stop:
            created += stop.value or 0
            return
        heapq.heappush(queue, (moment, order, next(counter), story))

    assert _active is not None
    for order, story in enumerate(stories):
        # A story starts with a yield; anything before it runs at the latest moment shown.
        with at(_active.last):
            step(order, story)
    while queue:
        moment, order, _tie, story = heapq.heappop(queue)
        with at(moment):
            step(order, story)
    return created
