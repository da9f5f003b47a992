"""What disclosure knows how to publish: release builders per (object type, stage) and search
sources per object type. Each stage's app gets its builders here when it is built (planning,
procurement, ...); the announcement handler (services.handle_announcement) looks them up."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from govbuy.core.publication import Announcement

# Returns the release without its `id` (ocid, date, tag, parties, planning/tender/awards, ...),
# or None when the object has nothing public at this stage.
ReleaseBuilder = Callable[[Announcement], dict[str, Any] | None]


@dataclass(frozen=True)
class SearchEntry:
    object_type: str
    object_id: int
    kind: str
    title_zh: str
    title_en: str = ""
    summary_zh: str = ""
    summary_en: str = ""
    region_id: int | None = None
    region_label: str = ""
    year: int | None = None
    status: str = ""
    category: str = ""
    method: str = ""
    url: str = ""
    # Further texts that should find the entry (codes, other names) but are not shown.
    extra_texts: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class SearchSource:
    object_type: str
    kind: str
    one: Callable[[int], SearchEntry | None]  # None: not (or no longer) public
    every: Callable[[], Iterable[SearchEntry]]  # all public entries, for reindex_search
    # Other objects whose entries change with this one's stage (a published tender notice makes
    # its project public): (object type, id) pairs, re-indexed after this object.
    related: Callable[[int], Iterable[tuple[str, int]]] | None = None


_release_builders: dict[tuple[str, str], ReleaseBuilder] = {}
_search_sources: dict[str, SearchSource] = {}


def register_release_builder(obj_type: str, stage: str, builder: ReleaseBuilder) -> None:
    _release_builders[(obj_type, stage)] = builder


def unregister_release_builder(obj_type: str, stage: str) -> None:
    _release_builders.pop((obj_type, stage), None)


def release_builder(obj_type: str, stage: str) -> ReleaseBuilder | None:
    return _release_builders.get((obj_type, stage))


def register_search_source(source: SearchSource) -> None:
    _search_sources[source.object_type] = source


def search_source(obj_type: str) -> SearchSource | None:
    return _search_sources.get(obj_type)


def search_sources() -> list[SearchSource]:
    return list(_search_sources.values())
