"""Shared cache of public pages and open data for anonymous visitors (issue 17).

A rendered answer to an anonymous GET of a page named in `CACHEABLE_VIEWS` is kept in the "pages"
cache (Redis when REDIS_URL is set, so every worker shares it; local memory otherwise) under a key
made of the path with its query and the language, stamped with the **generation** it was
rendered under: a value that every public change moves. Only an entry of the current generation
is served (the two are read in one round trip). The writers that change what the public sees
call `bump()` inside their transaction and it moves the generation when that transaction commits:

- `govbuy.core.publication.announce` — every stage the law makes public (plans, tender notices,
  awards, verified providers, catalog items listed or delisted), so every OCDS release and the
  search entries made with it;
- `govbuy.disclosure.services` — releases, and every change of the search index (one object,
  a rebuild);
- `govbuy.portal.services` — feedback published, rejected or answered;
- `govbuy.catalog.services` — a catalog version published, the negative list changed.

A page rendered under generation G is stamped G, and G is read before the page is rendered: a
page that read the database before a change committed is stamped with the generation the change
then leaves behind, and is never served again (the next visitor renders it afresh). Entries
also expire after GOVBUY_PAGE_CACHE_SECONDS, which bounds what depends on the clock alone (a
deadline passing).

Per-visitor parts are never replayed. The CSP nonce and the CSRF token of the visitor who caused
the rendering are cut out of the stored body and each later visitor gets fresh ones, so the
cached page keeps working forms and the nonce is still used once. A body with such holes is
`private, no-cache` (a shared cache in front may not keep it; browsers revalidate and get 304);
a body without them (the OCDS JSON) is `public, max-age=…` for a CDN. Both carry a weak ETag and
Last-Modified (when the generation last moved) and answer conditional requests with 304.

Bypassed: signed-in visitors (any request with a session cookie), a request carrying flash
messages, other methods than GET (a HEAD is answered from a stored GET, and stores nothing),
answers other than 200, streaming answers, answers that set cookies or say private/no-store
themselves.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from govbuy.core.public_pages import CACHE_ALIAS, CACHEABLE_VIEWS, GENERATION_LSN_KEY

logger = logging.getLogger("govbuy.pagecache")

GENERATION_KEY = "pagecache:generation"

# Headers the cache writes itself (or that belong to one answer only).
_OWN_HEADERS = frozenset({"etag", "last-modified", "cache-control", "expires", "date", "set-cookie"})
_CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
NONCE = "nonce"
CSRF = "csrf"
READ_YOUR_WRITES_COOKIE = "govbuy_primary_lsn"  # set by govbuy.core.replica after a write


def page_seconds() -> int:
    """How long a stored page lives at most; 0 turns the cache off (the default under tests)."""
    return int(getattr(settings, "GOVBUY_PAGE_CACHE_SECONDS", 0))


def _cache() -> Any:
    return caches[CACHE_ALIAS]


def generation() -> int:
    """The current generation: nanoseconds since the epoch of the last public change (or of the
    first request after the cache was emptied, which is conservative: pages are then rendered
    again and Last-Modified is later than the real change)."""
    cache = _cache()
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return int(value) if value is not None else time.time_ns()


def _move() -> None:
    from govbuy.core import replica

    try:
        cache = _cache()
        if replica.configured():
            # Before the generation moves: a page of the new generation must find it.
            cache.set(GENERATION_LSN_KEY, replica.primary_position() or 0, timeout=None)
        previous = cache.get(GENERATION_KEY) or 0
        cache.set(GENERATION_KEY, max(time.time_ns(), int(previous) + 1), timeout=None)
    except Exception:  # the cache is down: pages are not served from it either (see _lookup)
        logger.exception("page cache generation could not be moved")


def bump() -> None:
    """Something the public sees changed: from the commit on, no stored page is served again.

    Inside a transaction the move waits for the commit (a rolled-back change moves nothing, and
    a page rendered from the old rows before the commit lands under the old generation)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        transaction.on_commit(_move)
    else:
        _move()


@dataclass(frozen=True)
class Entry:
    """A stored answer: the body cut at the per-visitor holes, and the headers to replay."""

    pieces: tuple[bytes, ...]
    holes: tuple[str, ...]
    headers: tuple[tuple[str, str], ...]
    etag: str
    generation: int

    @property
    def shareable(self) -> bool:
        return not self.holes


def cut(body: bytes, nonce: str | None) -> tuple[tuple[bytes, ...], tuple[str, ...]]:
    """Split `body` at every CSRF token value and every occurrence of this request's nonce."""
    spans: list[tuple[int, int, str]] = [(m.start(1), m.end(1), CSRF) for m in _CSRF_INPUT.finditer(body)]
    if nonce:
        token = nonce.encode()
        start = body.find(token)
        while start != -1:
            spans.append((start, start + len(token), NONCE))
            start = body.find(token, start + len(token))
    spans.sort()
    pieces: list[bytes] = []
    holes: list[str] = []
    position = 0
    for start, end, kind in spans:
        if start < position:  # overlapping spans cannot happen with distinct tokens; stay safe
            continue
        pieces.append(body[position:start])
        holes.append(kind)
        position = end
    pieces.append(body[position:])
    return tuple(pieces), tuple(holes)


def fill(entry: Entry, request: HttpRequest) -> bytes:
    values = {}
    if NONCE in entry.holes:
        values[NONCE] = str(request._csp_nonce).encode()  # type: ignore[attr-defined]
    if CSRF in entry.holes:
        values[CSRF] = get_token(request).encode()
    out = [entry.pieces[0]]
    for hole, piece in zip(entry.holes, entry.pieces[1:], strict=True):
        out.append(values[hole])
        out.append(piece)
    return b"".join(out)


def _key(request: HttpRequest) -> str:
    """The page's key: its path, query and language. Not its generation: the entry carries the
    generation it was rendered under, and the generation and the entry are read together in one
    round trip (`get_many`), where a key holding the generation needed two, one after the other
    (bench/http_latency.py: a hit is a handful of cache and socket calls, so one fewer shows)."""
    language = getattr(request, "LANGUAGE_CODE", "") or settings.LANGUAGE_CODE
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:40]
    return f"page:{language}:{digest}"


def _lookup(key: str) -> tuple[int, Entry | None]:
    """The current generation and the entry stored under `key` when it was rendered under that
    generation (an entry of an older one is stale: None). Read in one round trip; a generation
    missing from the cache (emptied, or never set) is set first, as `generation()` does."""
    values = _cache().get_many([GENERATION_KEY, key])
    current = values.get(GENERATION_KEY)
    if current is None:
        return generation(), None
    entry = values.get(key)
    if not isinstance(entry, Entry) or entry.generation != int(current):
        return int(current), None
    return int(current), entry


def _cache_control(entry: Entry) -> str:
    if entry.shareable:
        max_age = int(getattr(settings, "GOVBUY_PUBLIC_MAX_AGE", 60))
        return f"public, max-age={max_age}"
    return "private, no-cache"


def _last_modified(entry: Entry) -> int:
    return entry.generation // 1_000_000_000


def _stamp(response: HttpResponse, entry: Entry, state: str) -> HttpResponse:
    response["ETag"] = entry.etag
    response["Last-Modified"] = http_date(_last_modified(entry))
    response["Cache-Control"] = _cache_control(entry)
    response["X-Page-Cache"] = state
    return response


@dataclass
class _Pending:
    key: str
    generation: int


class PublicPageCacheMiddleware:
    """Serves and stores anonymous public pages (placed after the CSP middleware, so the CSP
    header of every answer is made for its own nonce)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        pending = getattr(request, "_govbuy_page_pending", None)
        if pending is not None:
            response = self._store(request, response, pending)
        return response

    def process_view(self, request: HttpRequest, view_func: Callable, args: tuple, kwargs: dict) -> HttpResponse | None:
        # HEAD is answered from a stored GET (a CDN or a monitor checking headers); only a GET
        # stores, since it is the request whose body the page is.
        if request.method not in ("GET", "HEAD") or page_seconds() <= 0:
            return None
        match = request.resolver_match
        if match is None or match.view_name not in CACHEABLE_VIEWS:
            return None
        if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
            return None
        if READ_YOUR_WRITES_COOKIE in request.COOKIES:  # this visitor just wrote: render afresh
            return None
        try:
            key = _key(request)
            generation_value, entry = _lookup(key)
        except Exception:  # the shared cache is down: render as if there were none
            logger.warning("page cache unavailable; rendering %s", request.path, exc_info=True)
            return None
        if entry is None:
            if request.method == "GET":
                request._govbuy_page_pending = _Pending(key, generation_value)  # type: ignore[attr-defined]
            return None
        return self._serve(request, entry)

    def _serve(self, request: HttpRequest, entry: Entry) -> HttpResponse:
        conditional = get_conditional_response(request, etag=entry.etag, last_modified=_last_modified(entry))
        if conditional is not None:
            for name, value in entry.headers:
                if name.lower() == "vary":
                    conditional[name] = value
            return _stamp(conditional, entry, "hit")
        response = HttpResponse(fill(entry, request))
        for name, value in entry.headers:
            response[name] = value
        return _stamp(response, entry, "hit")

    def _store(self, request: HttpRequest, response: HttpResponse, pending: _Pending) -> HttpResponse:
        if response.status_code != 200 or response.streaming or response.cookies:
            return response
        own = response.get("Cache-Control", "")
        if "private" in own or "no-store" in own:
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return response
        nonce = getattr(request, "_csp_nonce", None)
        pieces, holes = cut(response.content, str(nonce) if nonce else None)
        etag = 'W/"' + hashlib.sha256(b"\0".join(pieces) + "|".join(holes).encode()).hexdigest()[:32] + '"'
        headers = tuple((name, value) for name, value in response.items() if name.lower() not in _OWN_HEADERS)
        entry = Entry(pieces=pieces, holes=holes, headers=headers, etag=etag, generation=pending.generation)
        try:
            _cache().set(pending.key, entry, timeout=page_seconds())
        except Exception:
            logger.warning("page cache unavailable; %s not stored", request.path, exc_info=True)
        conditional = get_conditional_response(request, etag=entry.etag, last_modified=_last_modified(entry))
        if conditional is not None:
            return _stamp(conditional, entry, "miss")
        return _stamp(response, entry, "miss")
