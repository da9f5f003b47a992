"""Security headers and CSRF on every URL pattern (design/reliability.md R12).

The URL configuration is walked, not listed by hand: a new pattern is requested automatically
when a URL can be built for it (no arguments, or arguments of the standard path converters,
filled with values that match no object). A pattern that cannot be built (a regex with groups,
a custom converter) makes the test fail until it is added to EXPLICIT below, with a concrete URL
or a reason to skip it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.regex_helper import normalize

from govbuy.accounts.testing import force_login_verified

# Values that match no object: the request still runs the view and its error path.
CONVERTER_SAMPLES = {
    "int": "0",
    "str": "no-such-thing",
    "slug": "no-such-thing",
    "uuid": "00000000-0000-0000-0000-000000000000",
    "path": "no/such/thing",
}


@dataclass(frozen=True)
class Skip:
    reason: str


# Patterns the walker cannot build, keyed by "namespace:name" (or by route when unnamed):
# either a callable giving a concrete URL or a Skip with the reason.
EXPLICIT: dict[str, object] = {
    "admin:app_list": lambda: reverse("admin:app_list", kwargs={"app_label": "auth"}),
    "admin/(?P<url>.*)$": lambda: "/admin/no/such/page/",
    # Development only (config/urls.py adds it when DEBUG is on).
    "^media/(?P<path>.*)$": lambda: "/media/no-such-file.txt",
}
# Present only in some configurations, so not "stale" when absent.
OPTIONAL = {"^media/(?P<path>.*)$"}

_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Endpoint:
    key: str
    route: str
    url: str | None


def _part_to_path(pattern: object) -> str | None:
    """The literal path of one pattern level, or None when it takes arguments we cannot fill."""
    if isinstance(pattern, RoutePattern):
        route = str(pattern)

        def fill(match: re.Match[str]) -> str:
            converter = match.group("converter") or "str"
            if converter not in CONVERTER_SAMPLES:
                raise LookupError(converter)
            return CONVERTER_SAMPLES[converter]

        try:
            return _ROUTE_PARAM.sub(fill, route)
        except LookupError:
            return None
    if isinstance(pattern, RegexPattern):
        # DRF routers write r"^things/(?P<pk>[^/.]+)/$": fill each group with the first sample
        # value the whole regex accepts; anything fancier (alternations) has to be listed.
        for fmt, params in normalize(pattern.regex.pattern):
            if not params:
                return fmt.replace("%%", "%")
            for sample in dict.fromkeys(CONVERTER_SAMPLES.values()):
                candidate = fmt % dict.fromkeys(params, sample)
                if pattern.regex.fullmatch(candidate.lstrip("^")) or pattern.regex.match(candidate):
                    return candidate
        return None
    return None


def walk(resolver: URLResolver | None = None, parts: tuple = (), namespaces: tuple = ()) -> list[Endpoint]:
    resolver = resolver or get_resolver()
    endpoints: list[Endpoint] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = (*namespaces, entry.namespace) if entry.namespace else namespaces
            endpoints += walk(entry, (*parts, entry.pattern), ns)
            continue
        assert isinstance(entry, URLPattern)
        levels = (*parts, entry.pattern)
        route = "".join(str(level) for level in levels)
        key = ":".join((*namespaces, entry.name)) if entry.name else route
        pieces = [_part_to_path(level) for level in levels]
        url = None if any(p is None for p in pieces) else "/" + "".join(pieces).lstrip("^").replace("$", "")
        endpoints.append(Endpoint(key=key, route=route, url=url))
    return endpoints


def reachable_endpoints() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """([(key, url)] to request, [(key, reason)] skipped). Fails on unbuildable, unlisted patterns."""
    to_request: dict[str, str] = {}
    skipped: list[tuple[str, str]] = []
    unlisted: list[str] = []
    seen: set[str] = set()
    for endpoint in walk():
        seen.add(endpoint.key)
        explicit = EXPLICIT.get(endpoint.key)
        if isinstance(explicit, Skip):
            skipped.append((endpoint.key, explicit.reason))
        elif callable(explicit):
            to_request.setdefault(endpoint.key, explicit())
        elif endpoint.url is not None:
            to_request.setdefault(endpoint.key, endpoint.url)
        else:
            unlisted.append(f"{endpoint.key} ({endpoint.route})")
    assert not unlisted, (
        "URL patterns the header test cannot build: add each to EXPLICIT in "
        f"tests/security/test_headers.py with a URL or a Skip(reason): {unlisted}"
    )
    stale = sorted(set(EXPLICIT) - seen - OPTIONAL)
    assert not stale, f"EXPLICIT lists patterns that no longer exist: {stale}"
    return sorted(to_request.items(), key=lambda item: item[1]), skipped


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs))


def header_problems(response, *, signed_in: bool) -> list[str]:
    problems = []
    csp = response.get("Content-Security-Policy", "")
    if not csp:
        problems.append("no Content-Security-Policy")
    elif "frame-ancestors 'none'" not in csp:
        problems.append(f"CSP without frame-ancestors 'none': {csp}")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("X-Content-Type-Options is not nosniff")
    if not response.get("Referrer-Policy"):
        problems.append("no Referrer-Policy")
    if response.get("X-Frame-Options") != "DENY":
        problems.append(f"X-Frame-Options is {response.get('X-Frame-Options')!r}")
    if signed_in and "no-store" not in response.get("Cache-Control", ""):
        problems.append(f"signed-in response cacheable: Cache-Control={response.get('Cache-Control')!r}")
    if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
        parser = _Scripts()
        parser.feed(response.content.decode(response.charset or "utf-8", "replace"))
        if parser.scripts:
            nonce = re.search(r"script-src [^;]*'nonce-([^']+)'", csp)
            if not nonce:
                problems.append("HTML page with scripts but no script nonce in the CSP")
            for script in parser.scripts:
                src = script.get("src") or ""
                if re.match(r"^(https?:)?//", src):
                    problems.append(f"script from another host: {src}")
                if not src and (not nonce or script.get("nonce") != nonce.group(1)):
                    problems.append("inline script without the response's nonce")
    return problems


def request_all(client: Client, *, signed_in: bool) -> list[str]:
    endpoints, _skipped = reachable_endpoints()
    assert len(endpoints) > 5
    failures = []
    for key, url in endpoints:
        # The test client re-raises a view's exception, so a 500 fails loudly here.
        response = client.get(url)
        if response.status_code >= 500:
            failures.append(f"{key} GET {url}: {response.status_code}")
        failures += [
            f"{key} GET {url} [{response.status_code}]: {p}" for p in header_problems(response, signed_in=signed_in)
        ]
    return failures


def test_every_url_pattern_is_reachable_or_explicitly_listed(db):
    endpoints, skipped = reachable_endpoints()
    urls = dict(endpoints)
    assert urls["healthz"] == "/healthz"
    assert urls["core:home"] == "/workspace/"
    assert urls["portal:home"] == "/"
    for key, reason in skipped:
        assert reason.strip(), key


def test_headers_on_every_page_for_the_public(db):
    assert request_all(Client(), signed_in=False) == []


@pytest.mark.parametrize("persona", ["provider_a", "purchaser_a", "platform_admin"])
def test_headers_on_every_page_signed_in(world, persona):
    # Verified: staff whose role needs two-factor would otherwise only ever see the enrolment page.
    client = force_login_verified(Client(), getattr(world, persona))
    assert request_all(client, signed_in=True) == []


def test_pages_use_a_fresh_nonce_per_response(world, login):
    client = login(world.provider_a)
    first = re.search(r"'nonce-([^']+)'", client.get("/")["Content-Security-Policy"]).group(1)
    second = re.search(r"'nonce-([^']+)'", client.get("/")["Content-Security-Policy"]).group(1)
    assert first != second
    assert len(first) >= 16


def test_hsts_when_served_over_https(db, client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/healthz", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response["Strict-Transport-Security"]


# --- CSRF on unsafe methods ---------------------------------------------------------------------


def test_set_language_without_csrf_token_is_refused(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 403
    assert "django_language" not in response.cookies


def test_set_language_with_csrf_token_works(db):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("accounts:login"))
    token = client.cookies["csrftoken"].value
    response = client.post(reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"


def test_login_without_csrf_token_is_refused(world):
    from govbuy.core.testing import PASSWORD

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "provider_a", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


# API views that never act on the session (a recipient's one-time survey code is the whole
# authority): there is nothing to forge, so they only have to refuse the empty body.
SESSIONLESS = {"api:performance-survey-answer"}


@pytest.mark.parametrize("persona", [None, "provider_a", "platform_admin"])
def test_no_unsafe_method_succeeds_without_a_csrf_token(world, persona):
    client = Client(enforce_csrf_checks=True)
    if persona:
        force_login_verified(client, getattr(world, persona))
    endpoints, _skipped = reachable_endpoints()
    failures = []
    for key, url in endpoints:
        for method in ("post", "put", "patch", "delete"):
            response = getattr(client, method)(url, {}, content_type="application/json")
            status = response.status_code
            # Pages: the CSRF middleware refuses first (403). API views run DRF's own CSRF check
            # for session users (403); without a session there is nothing to forge, and an
            # anonymous call only has to fail (401/404/405, or 400 for a token request).
            anyone = url.startswith("/api/") and (not persona or key in SESSIONLESS)
            refused = 400 <= status < 500 if anyone else status == 403
            if not refused:
                failures.append(f"{key} {method.upper()} {url}: {status}")
    assert failures == []
