"""Reads of the open-data layer. Everything here is public: no scope, but only what was published
(releases are written at the public stage events; the search index holds public objects only)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, F, QuerySet
from django.db.models.expressions import RawSQL

from govbuy.disclosure.models import FeedHead, Release, SearchDocument
from govbuy.disclosure.text import ParsedQuery

FTS_TABLE = "disclosure_search_fts"


@dataclass(frozen=True)
class ReleaseRow:
    seq: int
    document: str
    published_at: datetime


def releases_after(*, after: int, limit: int) -> list[ReleaseRow]:
    """Up to `limit` releases after feed position `after`, in feed (= commit) order. One query."""
    rows = Release.objects.filter(seq__gt=after).order_by("seq").values_list("seq", "document", "published_at")[:limit]
    return [ReleaseRow(seq=seq, document=document, published_at=published) for seq, document, published in rows]


def record_documents(ocid: str) -> list[tuple[str, datetime]]:
    """(document, published_at) of one contracting process's releases, in feed order. One query."""
    return list(Release.objects.filter(ocid=ocid).order_by("seq").values_list("document", "published_at"))


def feed_head() -> int:
    """The last feed position handed out. Every position up to it has committed: positions are
    given under the head's lock, which its transaction holds until it commits."""
    head = FeedHead.objects.filter(pk=1).values_list("last_seq", flat=True).first()
    return int(head or 0)


def releases_up_to(head: int, *, chunk_size: int = 1000) -> Iterator[tuple[int, str, datetime]]:
    """Every release up to `head`, streamed (constant memory) for the bulk export."""
    queryset = Release.objects.filter(seq__lte=head).order_by("seq").values_list("seq", "document", "date")
    yield from queryset.iterator(chunk_size=chunk_size)


# --- Search ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchFilters:
    kind: str = ""
    region: int | None = None
    year: int | None = None
    status: str = ""
    category: str = ""
    method: str = ""


def _matching(documents: QuerySet[SearchDocument], query: ParsedQuery) -> QuerySet[SearchDocument]:
    if connection.vendor == "sqlite":
        # Fixed SQL text; the user's words reach the database only as a parameter (S608, S611).
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608  # nosec B608  # constant table name
        return documents.filter(pk__in=RawSQL(sql, [query.fts5()]))  # noqa: S611  # nosec B611  # a parameter
    # search_vector: the stored to_tsvector('simple', tokens), GIN-indexed (migration 0004). A
    # condition on the row itself (not `id IN (…)`), so the planner may either read the GIN index
    # (a rare word) or walk the order index and stop after one page (a common word).
    condition = RawSQL("search_vector @@ to_tsquery('simple', %s)", [query.tsquery()], output_field=BooleanField())  # nosec B611
    return documents.filter(condition)


def search(*, query: ParsedQuery | None, filters: SearchFilters) -> QuerySet[SearchDocument]:
    documents = SearchDocument.objects.all()
    if query is not None:
        documents = _matching(documents, query)
    if filters.kind:
        documents = documents.filter(kind=filters.kind)
    if filters.region is not None:
        documents = documents.filter(region_id=filters.region)
    if filters.year is not None:
        documents = documents.filter(year=filters.year)
    if filters.status:
        documents = documents.filter(status=filters.status)
    if filters.category:
        documents = documents.filter(category=filters.category)
    if filters.method:
        documents = documents.filter(method=filters.method)
    # The same order on both databases: NULL years last, then the id breaks every tie.
    return documents.order_by("kind", F("year").desc(nulls_last=True), "title_zh", "id")


def filter_choices() -> dict[str, Any]:
    """Values present in the index, for the search page's filters. Reading them takes a scan of
    the whole index, so they are kept a few minutes in the cache: a new region or year appears in
    the filter lists within FILTER_CHOICES_SECONDS (results themselves are never cached)."""
    try:
        choices = cache.get_or_set(FILTER_CHOICES_KEY, _filter_choices, FILTER_CHOICES_SECONDS)
    except Exception:  # the shared cache (Redis) is down: read them, as without a cache
        choices = None
    return choices if choices is not None else _filter_choices()


FILTER_CHOICES_KEY = "disclosure:search-filter-choices"
FILTER_CHOICES_SECONDS = 300


def forget_filter_choices() -> None:
    """Called when the index changes (services): this process reads fresh values at once; other
    processes sharing no cache within FILTER_CHOICES_SECONDS."""
    try:
        cache.delete(FILTER_CHOICES_KEY)
    except Exception:  # the shared cache is down; the entry expires on its own
        logging.getLogger("govbuy.disclosure").warning("search filter choices not forgotten: cache unavailable")


def _filter_choices() -> dict[str, Any]:
    return {
        "regions": list(
            SearchDocument.objects.exclude(region_id=None)
            .values_list("region_id", "region_label")
            .distinct()
            .order_by("region_label", "region_id")
        ),
        "years": list(
            SearchDocument.objects.exclude(year=None).values_list("year", flat=True).distinct().order_by("-year")
        ),
    }
