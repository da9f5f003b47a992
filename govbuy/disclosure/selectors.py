"""Reads of the open-data layer. Everything here is public: no scope, but only what was published
(releases are written at the public stage events; the search index holds public objects only)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import F, QuerySet
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


def _matching(query: ParsedQuery) -> RawSQL:
    if connection.vendor == "sqlite":
        # Fixed SQL text; the user's words reach the database only as a parameter (S608, S611).
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608  # nosec B608  # constant table name
        return RawSQL(sql, [query.fts5()])  # noqa: S611  # nosec B611  # the query is a parameter
    sql = "SELECT id FROM disclosure_searchdocument WHERE to_tsvector('simple', tokens) @@ to_tsquery('simple', %s)"
    return RawSQL(sql, [query.tsquery()])  # noqa: S611  # nosec B611  # the query is a parameter


def search(*, query: ParsedQuery | None, filters: SearchFilters) -> QuerySet[SearchDocument]:
    documents = SearchDocument.objects.all()
    if query is not None:
        documents = documents.filter(pk__in=_matching(query))
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
    """Values present in the index, for the search page's filters (one query each)."""
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
