"""Reads of anonymous public pages from a streaming replica, everything else from the primary
(issue 17; docs/deployment.md).

With DATABASE_REPLICA_URL set, settings add the "replica" database and `PrimaryReplicaRouter`.
`ReplicaRoutingMiddleware` lets a request read from the replica only when all of these hold:

- it is a GET or HEAD of a view in `REPLICA_VIEWS` (the public pages and /ocds/* of the page
  cache, and the public search API), by an anonymous visitor (no session cookie, no
  Authorization header);
- the replica has replayed every write this visitor made (**read-your-writes**): a request that
  may have written (any other method) gets a cookie with the primary's WAL position after it, and
  until the replica's `pg_last_wal_replay_lsn()` reaches it the visitor reads the primary; the
  cookie is dropped once the replica is there;
- the replica has replayed the last public change the page cache knows of
  (`govbuy.core.public_pages.generation_lsn`), so a page rendered for the new generation never
  comes from a replica that has not seen the change;
- the replica answers and its replay lag is under GOVBUY_REPLICA_MAX_LAG_SECONDS; a replica that
  does not answer is left alone for GOVBUY_REPLICA_RETRY_SECONDS (**fallback** to the primary).

Writes always go to the primary, and so does every read inside a transaction of the primary.
"""

from __future__ import annotations

import contextvars
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

from govbuy.core.public_pages import CACHEABLE_VIEWS, generation_lsn

logger = logging.getLogger("govbuy.database")

REPLICA = "replica"
PRIMARY = "default"
COOKIE = "govbuy_primary_lsn"  # the page cache is bypassed while a visitor carries it
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_use_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("govbuy_use_replica", default=False)


def configured() -> bool:
    return REPLICA in settings.DATABASES


def parse_lsn(text: str | None) -> int | None:
    """A pg_lsn ("16/B374D848") as a number, None for anything else."""
    if not text or "/" not in text:
        return None
    high, _sep, low = text.partition("/")
    try:
        return (int(high, 16) << 32) | int(low, 16)
    except ValueError:
        return None


def format_lsn(value: int) -> str:
    return f"{value >> 32:X}/{value & 0xFFFFFFFF:X}"


@dataclass
class _Health:
    checked_at: float = 0.0
    replay: int | None = None
    lag: float = 0.0
    down_until: float = 0.0


_health = _Health()


def _check_seconds() -> float:
    return float(getattr(settings, "GOVBUY_REPLICA_CHECK_SECONDS", 1.0))


def _probe() -> None:
    """Ask the replica where it is: one short query."""
    now = time.monotonic()
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT pg_last_wal_replay_lsn()::text,"
                " CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
                " ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
            )
            replay, lag = cursor.fetchone()
    except Exception as error:  # any fault of the replica: read the primary for a while
        retry = float(getattr(settings, "GOVBUY_REPLICA_RETRY_SECONDS", 5.0))
        logger.warning("replica unavailable, reading the primary for %.0f s: %s", retry, error)
        _health.down_until = now + retry
        _health.replay = None
        connections[REPLICA].close()
        return
    _health.checked_at = now
    _health.replay = parse_lsn(replay)
    _health.lag = float(lag or 0)


def replica_usable(required: int = 0) -> bool:
    """True when the replica answers, lags less than the bound, and has replayed `required`."""
    now = time.monotonic()
    if now < _health.down_until:
        return False
    fresh = now - _health.checked_at < _check_seconds()
    # Positions only grow: a position already known to be far enough needs no new question.
    if not fresh or _health.replay is None or _health.replay < required:
        _probe()
    if _health.replay is None or _health.replay < required:
        return False
    return _health.lag <= float(getattr(settings, "GOVBUY_REPLICA_MAX_LAG_SECONDS", 5.0))


def forget_health() -> None:
    """Ask the replica again on the next request (tests, and after a reconfiguration)."""
    _health.checked_at = 0.0
    _health.replay = None
    _health.down_until = 0.0


def primary_position() -> int | None:
    """The primary's current WAL position (PostgreSQL only)."""
    connection = connections[PRIMARY]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return parse_lsn(cursor.fetchone()[0])


class PrimaryReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _use_replica.get() and not connections[PRIMARY].in_atomic_block:
            return REPLICA
        return PRIMARY

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == PRIMARY


def replica_views() -> frozenset[str]:
    return CACHEABLE_VIEWS | {"api:search"}


def anonymous(request: HttpRequest) -> bool:
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and "HTTP_AUTHORIZATION" not in request.META


class ReplicaRoutingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _use_replica.set(False)
        try:
            response = self.get_response(request)
        finally:
            _use_replica.reset(token)
        if configured():
            self._remember_writes(request, response)
        return response

    def process_view(self, request: HttpRequest, view_func: Callable, args: tuple, kwargs: dict) -> None:
        if not configured() or request.method not in ("GET", "HEAD") or not anonymous(request):
            return
        match = request.resolver_match
        if match is None or match.view_name not in replica_views():
            return
        written = parse_lsn(request.COOKIES.get(COOKIE)) or 0
        required = max(written, generation_lsn())
        if replica_usable(required):
            _use_replica.set(True)
            if written:
                request._govbuy_replica_caught_up = True  # type: ignore[attr-defined]

    def _remember_writes(self, request: HttpRequest, response: HttpResponse) -> None:
        if getattr(request, "_govbuy_replica_caught_up", False):
            response.delete_cookie(COOKIE, samesite="Lax")
            return
        if request.method in SAFE_METHODS:
            return
        try:
            position = primary_position()
        except Exception:  # the primary is in trouble; the answer already says so
            return
        if position is not None:
            response.set_cookie(
                COOKIE,
                format_lsn(position),
                max_age=int(getattr(settings, "GOVBUY_READ_YOUR_WRITES_SECONDS", 300)),
                httponly=True,
                samesite="Lax",
                secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)),
            )
