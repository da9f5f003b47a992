"""Redis as the shared cache of several application processes (issue 17): the page cache, its
generation and the rate-limit counters live in Redis, where every process sees them.

Runs only with REDIS_URL set (.ci/run starts a redis-server for it); uses that database's keys
under its own prefix and removes them afterwards.
"""

from __future__ import annotations

import os

import pytest
import redis
from django.core.cache import caches
from django.test import Client

from govbuy.core import pagecache

REDIS_URL = os.environ.get("REDIS_URL", "")
pytestmark = [
    pytest.mark.skipif(not REDIS_URL, reason="needs a Redis server: REDIS_URL"),
    pytest.mark.django_db,
]
PREFIX = "govbuy-test-redis"


@pytest.fixture(autouse=True)
def _redis_caches(settings):
    backend = "govbuy.core.redis_cache.SharedRedisCache"
    settings.CACHES = {
        "default": {"BACKEND": backend, "LOCATION": REDIS_URL, "KEY_PREFIX": f"{PREFIX}-default"},
        "pages": {"BACKEND": backend, "LOCATION": REDIS_URL, "KEY_PREFIX": f"{PREFIX}-pages"},
    }
    settings.GOVBUY_PAGE_CACHE_SECONDS = 60
    settings.GOVBUY_RATE_LIMITS = {"open_data": (3, 60)}
    yield
    server = redis.Redis.from_url(REDIS_URL)
    for key in server.scan_iter(f"{PREFIX}*"):
        server.delete(key)


def keys(pattern: str) -> list[bytes]:
    return list(redis.Redis.from_url(REDIS_URL).scan_iter(f"{PREFIX}{pattern}"))


def test_a_stored_page_and_its_generation_are_in_redis_for_every_process(planned):
    assert Client().get(f"/projects/{planned.pk}/")["X-Page-Cache"] == "miss"
    assert keys("-pages:*:page:*")
    assert keys("-pages:*:" + pagecache.GENERATION_KEY)
    # Another process has its own connection: it finds the page.
    caches["pages"].close()
    assert Client().get(f"/projects/{planned.pk}/")["X-Page-Cache"] == "hit"


def test_a_public_change_in_one_process_is_seen_by_all(planned, django_capture_on_commit_callbacks):
    Client().get(f"/projects/{planned.pk}/")
    server = redis.Redis.from_url(REDIS_URL)
    (generation_key,) = keys("-pages:*:" + pagecache.GENERATION_KEY)
    before = int(server.get(generation_key))
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.bump()
    assert int(server.get(generation_key)) > before
    assert Client().get(f"/projects/{planned.pk}/")["X-Page-Cache"] == "miss"


def test_rate_limits_count_in_redis():
    answers = [Client().get("/ocds/releases", REMOTE_ADDR="198.51.100.9").status_code for _ in range(4)]
    assert answers[-1] == 429
    assert 429 not in answers[:3]
    assert keys("-default:*:ratelimit:open_data:*")


def test_each_cache_keeps_one_client_across_calls_and_threads():
    """The backend reuses its redis.Redis (Django's builds one per call); threads share it safely."""
    from concurrent.futures import ThreadPoolExecutor

    cache = caches["default"]
    first = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is first

    def round_trip(number: int) -> bool:
        cache.set(f"thread-{number}", number, 30)
        return cache.get(f"thread-{number}") == number

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(pool.map(round_trip, range(200)))
    assert cache._cache.get_client() is first
