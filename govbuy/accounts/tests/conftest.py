from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _accounts_settings(settings):
    # The suite must prove the real behaviour whatever the environment sets.
    settings.GOVBUY_ENFORCE_TWO_FACTOR = True
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_LOCKOUT_SECONDS = 15 * 60
    settings.SESSION_IDLE_SECONDS = 30 * 60
    settings.SESSION_ABSOLUTE_SECONDS = 12 * 3600
    cache.clear()  # the API throttle counts in the cache
    yield
    cache.clear()
