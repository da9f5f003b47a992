"""Request ids for logs and audit events, no-store caching on signed-in pages, and 503 on database faults."""

from __future__ import annotations

import contextvars
import functools
import ipaddress
import logging
import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_client_ip: contextvars.ContextVar[str] = contextvars.ContextVar("client_ip", default="")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    return _request_id.get()


def current_client_ip() -> str:
    return _client_ip.get()


@functools.lru_cache(maxsize=8)
def _trusted_networks(entries: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def trusted_proxies() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """GOVBUY_TRUSTED_PROXIES: the addresses (or networks) of our own reverse proxies."""
    from django.conf import settings

    return _trusted_networks(tuple(getattr(settings, "GOVBUY_TRUSTED_PROXIES", ()) or ()))


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """One hop of X-Forwarded-For: an address, perhaps with a port ("1.2.3.4:5678",
    "[2001:db8::1]:443"); None for anything else."""
    text = text.strip()
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address of the client, for every per-address limit (rate limits, sign-in lockout,
    feedback limit, API throttles) and the security log.

    Without trusted proxies this is REMOTE_ADDR. When REMOTE_ADDR is one of
    GOVBUY_TRUSTED_PROXIES, X-Forwarded-For is read from the right: each hop was appended by the
    proxy to its right, so while a hop is itself a trusted proxy the next one to the left is
    believed too; the first hop that is not a trusted proxy is the client. Whatever a client
    writes into the header itself stands further left and is never reached, so it cannot choose
    its own address. The header is never read when the request did not come through a trusted
    proxy.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = trusted_proxies()
    current = _address(remote)
    if not networks or current is None or not any(current in net for net in networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            # A trusted proxy would not write this: stop at the last hop we can vouch for.
            break
        current = address
        if not any(address in net for net in networks):
            return str(address)
    return str(current)


class RequestIdMiddleware:
    """Take a sane X-Request-ID from the load balancer or make one; echo it back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _request_id.set(request_id)
        ip_token = _client_ip.set(client_ip(request))
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
            _client_ip.reset(ip_token)
        response["X-Request-ID"] = request_id
        return response


class RetryAfterMiddleware:
    """Every 429 tells the client when to come back (RFC 9110 Retry-After): the limit that refused
    the request says how long (govbuy.core.errors.RateLimited), else GOVBUY_RETRY_AFTER_SECONDS."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings

        from govbuy.core.errors import retry_after_hint

        token = retry_after_hint.set(None)
        try:
            response = self.get_response(request)
            if response.status_code == 429 and not response.has_header("Retry-After"):
                seconds = retry_after_hint.get() or int(getattr(settings, "GOVBUY_RETRY_AFTER_SECONDS", 60))
                response["Retry-After"] = str(max(1, int(seconds)))
        finally:
            retry_after_hint.reset(token)
        return response


class RequestSizeLimitMiddleware:
    """A request that declares a body over GOVBUY_REQUEST_MAX_BYTES is answered 413 before any
    middleware or view reads it (CSRF reads the form; the parser would stream every byte). A body
    sent without a length is bounded by the upload handler instead (govbuy.core.uploads)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings

        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = int(settings.GOVBUY_REQUEST_MAX_BYTES)
        if declared > limit:
            logging.getLogger("govbuy.security").warning(
                "request.too_large path=%s declared=%s limit=%s ip=%s",
                request.path,
                declared,
                limit,
                client_ip(request) or "-",
            )
            return request_too_large_response(request, limit)
        return self.get_response(request)


def _plain_page(request: HttpRequest, *, status: int, title: str, message: str) -> HttpResponse:
    """A page that needs no database (no templates with context processors, no session)."""
    from django.conf import settings
    from django.templatetags.static import static
    from django.utils.html import format_html
    from django.utils.translation import get_language
    from django.utils.translation import gettext as _

    page = format_html(
        '<!DOCTYPE html><html lang="{}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<title>{}</title><link rel="stylesheet" href="{}"></head>'
        '<body><main id="main"><h1>{}</h1><p>{}</p><p><a href="/">{}</a></p></main></body></html>',
        get_language() or settings.LANGUAGE_CODE,
        title,
        static("govbuy/site.css"),
        title,
        message,
        _("Back to the home page"),
    )
    return HttpResponse(page, status=status, content_type="text/html; charset=utf-8")


def request_too_large_response(request: HttpRequest, limit: int) -> HttpResponse:
    from django.http import JsonResponse
    from django.utils.translation import gettext as _

    from govbuy.core.uploads import human_size

    message = _("The request is too large: at most %(limit)s is accepted in one request.") % {
        "limit": human_size(limit)
    }
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"code": "request_too_large", "message": message, "fields": {}}, status=413
        )
    else:
        response = _plain_page(request, status=413, title=_("Request too large"), message=message)
    response["Cache-Control"] = "no-store"
    # The body was not read: the connection cannot carry another request after it.
    response["Connection"] = "close"
    return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class PrivateCacheMiddleware:
    """Signed-in pages and API answers must never sit in a shared or browser cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Read before the view too: an API view without authenticators (an anonymous survey
        # answer) replaces request.user with AnonymousUser, though the visitor is signed in.
        signed_in = self._signed_in(request)
        response = self.get_response(request)
        if signed_in or self._signed_in(request):
            response["Cache-Control"] = "no-store, private"
        return response

    @staticmethod
    def _signed_in(request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated)


# --- Database faults → 503 (design/reliability.md R16) -------------------------------------

_db_logger = logging.getLogger("govbuy.database")
_FAULT_ATTRIBUTE = "_govbuy_database_fault"

# PostgreSQL SQLSTATEs of faults that end a request without a wrong answer, so a retry can work:
# whole classes (08 connection exception, 53 insufficient resources, 57 operator intervention:
# statement timeout 57014, pg_terminate_backend 57P01, shutdown) and single codes
# (55P03 lock_timeout, 40001 serialization failure, 40P01 deadlock, 25006 read-only transaction:
# a standby, or a primary put in read-only mode while its disk is full or during maintenance).
# Class 53 includes 53100 disk full.
_TRANSIENT_SQLSTATE_CLASSES = frozenset({"08", "53", "57"})
_TRANSIENT_SQLSTATES = frozenset({"55P03", "40001", "40P01", "25006"})
# SQLite's texts for the same faults: busy past its timeout (OPTIONS "timeout"), a file or folder
# that cannot be written, a full disk, an I/O error of the device.
_SQLITE_BUSY = ("database is locked", "database table is locked", "database schema is locked")
_SQLITE_UNWRITABLE = (
    "attempt to write a readonly database",
    "database or disk is full",
    "disk i/o error",
    "unable to open database file",
)


def database_fault(exc: BaseException | None) -> str | None:
    """A short name of the transient database fault behind `exc` (for the log), else None.

    Only faults of the database's availability count: a bug (a missing table, a broken
    constraint, a refused trigger) stays an exception and a 500.
    """
    from django.db import InterfaceError, InternalError, OperationalError

    if isinstance(exc, InterfaceError):
        return "connection_closed" if "connection" in str(exc).lower() else None
    if not isinstance(exc, (OperationalError, InternalError)):
        return None
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", None)
    if isinstance(sqlstate, str) and sqlstate:
        if sqlstate in _TRANSIENT_SQLSTATES or sqlstate[:2] in _TRANSIENT_SQLSTATE_CLASSES:
            return f"sqlstate_{sqlstate}"
        return None
    if isinstance(exc, InternalError):
        # Only a read-only transaction (by its SQLSTATE, above) is a fault of availability.
        return None
    if type(cause).__module__.startswith("psycopg"):
        # psycopg gives no SQLSTATE when the server went away mid-conversation.
        return "connection_lost"
    text = str(exc).lower()
    if any(busy in text for busy in _SQLITE_BUSY):
        return "sqlite_busy"
    if any(unwritable in text for unwritable in _SQLITE_UNWRITABLE):
        return "sqlite_unwritable"
    return None


def _drop_dead_connections() -> None:
    """Close connections the fault killed, so the rest of this request (saving the session) and
    the next one reconnect instead of failing on a dead socket."""
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        # Inside an atomic block the owner of the block must see the failure; tests run in one.
        if conn.connection is not None and not conn.in_atomic_block and not conn.is_usable():
            conn.close()


def _flag_database_fault(sender: object, request: HttpRequest | None = None, **kwargs: object) -> None:
    # Sent while the exception is being handled, so sys.exc_info() is the fault itself.
    import sys

    fault = database_fault(sys.exc_info()[1])
    if request is not None and fault is not None:
        setattr(request, _FAULT_ATTRIBUTE, fault)


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: the API's error shape under /api/, a plain page elsewhere.

    Nothing of the database's error text reaches the client; the page needs no database (no
    templates with context processors, no session, no navigation)."""
    from django.conf import settings
    from django.http import JsonResponse
    from django.utils.translation import gettext as _

    message = _("The service is briefly unavailable. Please try again in a moment.")
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"code": "service_unavailable", "message": message, "fields": {}}, status=503)
    else:
        response = _plain_page(request, status=503, title=_("Service briefly unavailable"), message=message)
    response["Retry-After"] = str(int(getattr(settings, "DATABASE_RETRY_AFTER_SECONDS", 5)))
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A statement or lock timeout, a killed connection or a busy SQLite file answers 503.

    Views' faults arrive in `process_exception` (no 500 is ever logged for them); faults raised
    by middleware further in (sessions, authentication) were already turned into a 500 by Django
    and are recognised by the flag `got_request_exception` left on the request. Every other
    exception passes through untouched, so tests and the 500 handler see real bugs as before.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        from django.core.signals import got_request_exception

        self.get_response = get_response
        got_request_exception.connect(_flag_database_fault, dispatch_uid="govbuy.core.database_fault")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        fault = getattr(request, _FAULT_ATTRIBUTE, None)
        if fault is not None and response.status_code == 500:
            unavailable = self._unavailable(request, fault)
            # The middleware further in that set these never saw this answer.
            unavailable["Content-Security-Policy"] = "default-src 'none'; style-src 'self'; frame-ancestors 'none'"
            unavailable["X-Frame-Options"] = "DENY"
            return unavailable
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        fault = database_fault(exception)
        if fault is None:
            return None
        return self._unavailable(request, fault)

    def _unavailable(self, request: HttpRequest, fault: str) -> HttpResponse:
        _drop_dead_connections()
        _db_logger.warning("database unavailable: %s %s answered 503 (%s)", request.method, request.path, fault)
        return database_unavailable_response(request)
