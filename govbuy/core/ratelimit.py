"""Request rate limits for the expensive or abusable entry points (design/reliability.md R15).

One table, by URL name, says which kind of limit a view falls under; `RateLimitMiddleware` counts
requests per client in fixed windows in the cache and answers 429 past the limit (a page, or the
API's error shape under /api/), before the view runs, so a refused request changes nothing.
Under the limit a request is never refused for its rate.

Limits that protect data (bids, clarification questions, public feedback, sign-in) are counted
from database rows by their own services, under row locks; these limits only protect capacity:
a counter in the cache is enough, and costs microseconds. With several application processes the
cache must be shared (REDIS_URL, e.g. redis://…), or each process counts on its own and the
effective limit is multiplied by the number of processes — docs/operations.md says so.

The client is the signed-in user when there is one (session), else the client address. API
token requests are authenticated inside DRF, after this middleware, so they count by address.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from govbuy.core.middleware import client_ip


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int
    methods: tuple[str, ...]


# Which URL names each kind of limit covers. A test checks that every name here exists, so the
# table cannot silently rot when a URL is renamed.
COVERED: dict[str, tuple[str, ...]] = {
    "search": ("disclosure:search", "api:search"),
    "export": (
        "catalog:export",
        "plans:plan_xlsx",
        "plans:plan_pdf",
        "providers:report",
        "api:provider-report",
        "procurement:evaluation_report",
        "procurement:opening_record",
    ),
    "open_data": ("disclosure:ocds-releases", "disclosure:ocds-feed", "disclosure:ocds-record"),
    "upload": (
        "catalog:import",
        "api:catalog-import",
        "planning:budget_import",
        "api:planning-budget-import",
        "providers:section_document",
        "procurement:tender_document",
        "api:procurement-tender-documents",
    ),
    "registration": ("providers:register",),
}

DEFAULT_LIMITS: dict[str, Limit] = {
    "search": Limit(60, 60, ("GET",)),
    "export": Limit(30, 60, ("GET",)),
    "open_data": Limit(600, 60, ("GET",)),
    "upload": Limit(30, 3600, ("POST",)),
    "registration": Limit(10, 3600, ("POST",)),
}


def limits() -> dict[str, Limit]:
    """The limits in force: the defaults, with GOVBUY_RATE_LIMITS = {kind: (count, seconds)}
    overriding some (a kind mapped to None is not limited: the benchmarks' settings do that)."""
    merged = dict(DEFAULT_LIMITS)
    for kind, value in getattr(settings, "GOVBUY_RATE_LIMITS", {}).items():
        if value is None:
            merged.pop(kind, None)
        else:
            merged[kind] = Limit(int(value[0]), int(value[1]), DEFAULT_LIMITS[kind].methods)
    return merged


_kind_of_view: dict[str, str] = {name: kind for kind, names in COVERED.items() for name in names}


def _client_key(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    who = f"user:{user.pk}" if user is not None and user.is_authenticated else f"ip:{client_ip(request)}"
    # Hashed: cache keys must be short and safe for any backend, and need not show addresses.
    return hashlib.sha256(who.encode()).hexdigest()[:32]


def hit(kind: str, request: HttpRequest, now: float | None = None) -> bool:
    """Count this request against `kind`; False when it is past the limit."""
    limit = limits().get(kind)
    if limit is None:
        return True
    window = int((time.time() if now is None else now) // limit.seconds)
    key = f"ratelimit:{kind}:{window}:{_client_key(request)}"
    cache = caches["default"]
    try:
        # add() creates the counter with the window's lifetime; incr() is atomic on every backend
        # that can be shared (Redis, Memcached, database) and under LocMem's lock.
        cache.add(key, 0, timeout=limit.seconds + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr(): this request opens a new window
            cache.add(key, 1, timeout=limit.seconds + 1)
            count = 1
    except Exception:
        # The shared cache (Redis) is down: these limits protect capacity, not data, so the
        # request goes on rather than every covered page failing with the cache.
        logging.getLogger("govbuy.security").warning("rate limit not counted: the cache is unavailable")
        return True
    return count <= limit.count


def _refused(request: HttpRequest, kind: str) -> HttpResponse:
    limit = limits()[kind]
    message = _(
        "Too many requests of this kind: at most %(count)d in %(seconds)d seconds. Please wait and try again."
    ) % {
        "count": limit.count,
        "seconds": limit.seconds,
    }
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"code": "rate_limited", "message": message, "fields": {}}, status=429)
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(limit.seconds)
    return response


class RateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable, args: tuple, kwargs: dict) -> HttpResponse | None:
        match = request.resolver_match
        kind = _kind_of_view.get(match.view_name) if match is not None else None
        if kind is None:
            return None
        limit = limits().get(kind)
        if limit is None or request.method not in limit.methods:
            return None
        return None if hit(kind, request) else _refused(request, kind)
