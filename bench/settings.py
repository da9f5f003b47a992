"""Settings of the HTTP benchmark (bench/http_latency.py): the project's own settings, read from
the same environment (DJANGO_ENV=production in the benchmark), with two changes: the URLconf adds
the framework-ceiling view, and the per-client capacity limits (govbuy.core.ratelimit) are lifted,
since the load generator is one client sending what many citizens would. Production never loads
this module."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
try:
    from govbuy.core.ratelimit import COVERED

    GOVBUY_RATE_LIMITS = dict.fromkeys(COVERED)
except ImportError:  # a checkout from before the capacity limits
    pass
