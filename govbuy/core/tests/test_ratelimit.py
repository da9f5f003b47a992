"""R15 capacity limits (govbuy.core.ratelimit): under a limit never refused, past it 429 in the
user's language and the page's or the API's shape, per client, per window; nothing written."""

from __future__ import annotations

import time

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from govbuy.core import ratelimit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_window():
    """The clock stands still at the start of a window, so no test's requests straddle two
    windows (the counters are fixed windows of the wall clock)."""
    import time_machine

    with time_machine.travel(1_800_000_000, tick=False):  # a multiple of 60 and of 3600
        yield


def _names(resolver: URLResolver, prefix: str = "") -> set[str]:
    out: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            out |= _names(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            out.add(prefix + pattern.name)
    return out


def test_every_covered_url_name_exists():
    names = _names(get_resolver())
    covered = {name for group in ratelimit.COVERED.values() for name in group}
    assert covered - names == set()
    assert set(ratelimit.COVERED) == set(ratelimit.DEFAULT_LIMITS)


def test_search_is_never_refused_under_the_limit_and_always_past_it(settings):
    settings.GOVBUY_RATE_LIMITS = {"search": (5, 60)}
    client = Client()
    for _ in range(5):
        assert client.get("/search/", {"q": "养老"}).status_code == 200
    refused = client.get("/search/", {"q": "养老"})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "请求过于频繁" in refused.content.decode()
    # Another address has its own count.
    assert Client(REMOTE_ADDR="10.0.0.9").get("/search/", {"q": "养老"}).status_code == 200


def test_the_api_answers_429_in_its_error_shape_in_english(settings):
    settings.GOVBUY_RATE_LIMITS = {"search": (2, 60)}
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.get("/api/v1/search/", {"q": "elderly"}).status_code == 200
    assert client.get("/api/v1/search/", {"q": "elderly"}).status_code == 200
    refused = client.get("/api/v1/search/", {"q": "elderly"})
    assert refused.status_code == 429
    body = refused.json()
    assert body["code"] == "rate_limited"
    assert "at most 2 in 60 seconds" in body["message"]


def test_the_window_turns_over(settings, rf):
    settings.GOVBUY_RATE_LIMITS = {"export": (1, 60)}
    request = rf.get("/")
    request.user = type("Anon", (), {"is_authenticated": False})()
    start = (time.time() // 60) * 60
    assert ratelimit.hit("export", request, now=start)
    assert not ratelimit.hit("export", request, now=start + 30)
    assert ratelimit.hit("export", request, now=start + 61)


def test_signed_in_users_count_apart_from_their_address(settings, world, login):
    settings.GOVBUY_RATE_LIMITS = {"search": (1, 60)}
    assert Client().get("/search/").status_code == 200
    assert Client().get("/search/").status_code == 429
    assert login(world.purchaser_a).get("/search/").status_code == 200
    assert login(world.purchaser_b).get("/search/").status_code == 200


def test_a_refused_registration_writes_nothing(settings):
    settings.GOVBUY_RATE_LIMITS = {"registration": (0, 3600)}
    organisations = apps.get_model("organizations", "Organisation")  # core's tests may not import upward
    before = organisations.objects.count()
    response = Client().post("/providers/register/", {"name_zh": "新机构"})
    assert response.status_code == 429
    assert organisations.objects.count() == before


def test_a_lifted_limit_refuses_nothing(settings):
    settings.GOVBUY_RATE_LIMITS = {"search": None}
    client = Client()
    assert all(client.get("/search/").status_code == 200 for _ in range(70))


def test_the_default_search_limit_allows_sixty_a_minute():
    client = Client()
    assert [client.get("/search/").status_code for _ in range(61)].count(200) == 60


def _redis_up() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379 (the shared cache of production)")
def test_the_counters_work_in_a_shared_redis_cache(settings, rf):
    from django.core.cache import caches

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/15"}
    }
    settings.GOVBUY_RATE_LIMITS = {"export": (2, 60)}
    caches["default"].clear()
    request = rf.get("/", REMOTE_ADDR="192.0.2.44")
    request.user = type("Anon", (), {"is_authenticated": False})()
    try:
        now = (time.time() // 60) * 60 + 1  # inside one window, whatever the clock says
        assert [ratelimit.hit("export", request, now=now) for _ in range(3)] == [True, True, False]
    finally:
        caches["default"].clear()
