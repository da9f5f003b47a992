"""Django's Redis cache backend, keeping one client object per connection pool.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache call; the
constructor fills a table of some 170 response callbacks each time: under the profiler, a
quarter of a page served from the page cache; without it, a hit went from 0.83 to 0.76 ms
(docs/benchmarks.md, run 3 at 100,000 projects). A `redis.Redis` is safe to share between
threads: each command borrows a connection from the pool, which also reopens its connections
after a fork.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class SharedRedisCache(RedisCache):
    """settings.CACHES backend when REDIS_URL is set: Django's RedisCache otherwise unchanged."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
