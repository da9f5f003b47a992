"""The public pages anonymous visitors read, and the primary's WAL position at the last public
change. The page cache (govbuy.core.pagecache: what it may store) and the replica router
(govbuy.core.replica: what may be read from the replica, and from when) both need them; they live
here so that neither of those modules imports the other."""

from __future__ import annotations

from django.core.cache import caches

CACHE_ALIAS = "pages"
# With a read replica: the primary's WAL position after the last public change. A page for the
# new generation is read from the replica only once it has replayed that far (govbuy.core.replica).
GENERATION_LSN_KEY = "pagecache:generation-lsn"

# The pages anonymous visitors read, by URL name. A test checks that each name exists and that
# the view answers anonymous visitors, so the table cannot rot when a URL is renamed.
CACHEABLE_VIEWS: frozenset[str] = frozenset(
    {
        "portal:home",
        "portal:project",
        "tenders:index",
        "tenders:tender",
        "plans:index",
        "plans:plan",
        "plans:region",
        "catalog:index",
        "catalog:negative_list",
        "catalog:region",
        "catalog:history",
        "catalog:version",
        "catalog:diff",
        "catalog:item",
        "disclosure:search",
        "disclosure:ocds-policy",
        "disclosure:ocds-releases",
        "disclosure:ocds-feed",
        "disclosure:ocds-record",
        "disclosure:ocds-extension",
        # The serious-violation list and its open data (bans move the generation when decided or lifted).
        "credit_public:bans",
        "credit_public:ocds",
        "oversight_public:statistics",
        "api:public-statistics",  # JSON only (its renderer), so one answer per path, query and language
    }
)


def generation_lsn() -> int:
    """The primary's WAL position when the generation last moved (0 when unknown)."""
    try:
        return int(caches[CACHE_ALIAS].get(GENERATION_LSN_KEY) or 0)
    except Exception:
        return 0
