"""The client's address behind our reverse proxies (GOVBUY_TRUSTED_PROXIES): X-Forwarded-For is
read from the right, only through trusted hops, and only when the request came from one."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from govbuy.core.middleware import client_ip

PROXIES = ["10.0.0.0/8", "192.0.2.10", "2001:db8:ffff::/48"]


def _ip(remote: str, forwarded: str | None = None) -> str:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **extra))


@pytest.fixture
def proxies(settings):
    settings.GOVBUY_TRUSTED_PROXIES = PROXIES


def test_without_trusted_proxies_the_header_is_never_read(settings):
    settings.GOVBUY_TRUSTED_PROXIES = []
    assert _ip("10.0.0.5", "203.0.113.7") == "10.0.0.5"


@pytest.mark.usefixtures("proxies")
@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # One proxy: the hop it appended is the client.
        ("10.0.0.5", "203.0.113.7", "203.0.113.7"),
        # The client wrote its own header: what it wrote stands left of what our proxy appended.
        ("10.0.0.5", "1.1.1.1, 203.0.113.7", "203.0.113.7"),
        ("10.0.0.5", "10.1.1.1, 203.0.113.7", "203.0.113.7"),
        # Two of our proxies in a row: walk through both.
        ("10.0.0.5", "203.0.113.7, 192.0.2.10", "203.0.113.7"),
        ("10.0.0.5", "8.8.8.8, 203.0.113.7, 10.9.9.9", "203.0.113.7"),
        # Ports and IPv6.
        ("10.0.0.5", "203.0.113.7:51234", "203.0.113.7"),
        ("2001:db8:ffff::1", "[2001:db8:1::5]:443", "2001:db8:1::5"),
        ("10.0.0.5", "2001:db8:1::5", "2001:db8:1::5"),
        # A request that did not come through our proxy: its header is ignored.
        ("203.0.113.99", "1.2.3.4", "203.0.113.99"),
        # No header, or nothing usable: the last address we can vouch for.
        ("10.0.0.5", None, "10.0.0.5"),
        ("10.0.0.5", "", "10.0.0.5"),
        ("10.0.0.5", "not-an-address", "10.0.0.5"),
        ("10.0.0.5", "203.0.113.7, garbage", "10.0.0.5"),
        # Everything trusted: the leftmost hop is the nearest thing to a client.
        ("10.0.0.5", "10.0.0.1, 10.0.0.2", "10.0.0.1"),
    ],
)
def test_the_client_is_the_first_untrusted_hop_from_the_right(remote, forwarded, expected):
    assert _ip(remote, forwarded) == expected


# --- Every 429 says when to come back ------------------------------------------------------------


def _through_retry_after(view):
    from govbuy.core.middleware import RetryAfterMiddleware

    return RetryAfterMiddleware(view)(RequestFactory().post("/"))


def test_a_429_without_retry_after_gets_the_limits_own_wait(settings):
    from django.http import HttpResponse

    from govbuy.core.errors import RateLimited

    def view(request):
        try:
            raise RateLimited("too many", retry_after=1234)
        except RateLimited as exc:  # a page that renders the error itself, as the bid form does
            return HttpResponse(str(exc.message), status=429)

    assert _through_retry_after(view)["Retry-After"] == "1234"


def test_a_429_from_nowhere_in_particular_gets_the_default_wait(settings):
    from django.http import HttpResponse

    settings.GOVBUY_RETRY_AFTER_SECONDS = 77
    assert _through_retry_after(lambda request: HttpResponse(status=429))["Retry-After"] == "77"


def test_a_retry_after_already_set_is_kept_and_other_answers_get_none():
    from django.http import HttpResponse

    def limited(request):
        response = HttpResponse(status=429)
        response["Retry-After"] = "5"
        return response

    assert _through_retry_after(limited)["Retry-After"] == "5"
    assert not _through_retry_after(lambda request: HttpResponse(status=200)).has_header("Retry-After")
