"""Writes of the open-data layer: releases (from announcements) and the search index.

Releases are written inside the announcing service's transaction. Lock order is always the
audit head (record_event) and then the feed head: every publication writes its audit event
before it asks for a feed position, so two publishers can never hold the two locks crosswise.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.core import pagecache
from govbuy.core.errors import Conflict
from govbuy.core.publication import Announcement
from govbuy.disclosure import jsonutil, ocds, registry, rules, selectors
from govbuy.disclosure.models import FeedHead, Release, SearchDocument
from govbuy.disclosure.text import document_tokens

FTS_TABLE = "disclosure_search_fts"
BATCH = 500


def handle_announcement(announcement: Announcement) -> None:
    """The publication hook's handler (registered in DisclosureConfig.ready())."""
    if announcement.is_ocds_stage:
        builder = registry.release_builder(announcement.obj_type, announcement.stage)
        if builder is None:
            # A stage the law makes public with nobody to publish it is a bug, not a quiet no-op.
            raise ImproperlyConfigured(
                f"no OCDS release builder for stage {announcement.stage!r} of {announcement.obj_type!r}"
            )
        release = builder(announcement)
        if release is not None:
            publish_release(actor=None, announcement=announcement, release=release)
    source = registry.search_source(announcement.obj_type)
    if source is not None:
        index_object(obj_type=announcement.obj_type, obj_id=announcement.obj_id)
        for obj_type, obj_id in source.related(announcement.obj_id) if source.related else ():
            if registry.search_source(obj_type) is not None:
                index_object(obj_type=obj_type, obj_id=obj_id)


def _feed_position() -> int:
    """The next feed position, under the feed head's row lock (held until commit)."""
    head = FeedHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # The migration creates the row; a flushed test database may not have it.
        FeedHead.objects.bulk_create([FeedHead(pk=1, last_seq=0)], ignore_conflicts=True)
        head = FeedHead.objects.select_for_update().get(pk=1)
    position = head.last_seq + 1
    FeedHead.objects.filter(pk=1).update(last_seq=position)
    return position


def publish_release(*, actor: Any, announcement: Announcement, release: dict[str, Any]) -> Release:
    """Store one release. Its id is derived from its content: publishing the same content again
    returns the stored release and writes nothing; other content always gets another id."""
    # Empty fields are left out (OCDS asks publishers to omit what they have nothing for).
    body = ocds.prune_empty({key: value for key, value in release.items() if key != "id"})
    body.setdefault("date", ocds.format_date(announcement.occurred_at))
    body.setdefault("tag", [announcement.stage])
    problems = rules.release_problems(body, ocid_prefix=ocds.ocid_prefix())
    if problems:
        raise ValueError(f"release for {announcement.obj_type} #{announcement.obj_id} not storable: {problems}")
    release_id = ocds.release_id_for(body["ocid"], ocds.content_digest(body))
    document = jsonutil.dumps({**body, "id": release_id})
    digest = hashlib.sha256(document.encode()).hexdigest()

    with transaction.atomic(savepoint=False):
        # The announcing service holds its object's row lock, so the same object's stage cannot
        # be announced twice at once; the UNIQUE release_id is the backstop.
        existing = Release.objects.filter(release_id=release_id).first()
        if existing is not None:
            if existing.sha256 != digest:
                raise Conflict(_("A release with this id already exists with other content."))
            return existing
        pagecache.bump()
        record_event(
            actor=actor,
            action="disclosure.release.published",
            object_type=announcement.obj_type,
            object_id=announcement.obj_id,
            data={"release_id": release_id, "ocid": body["ocid"], "stage": announcement.stage, "sha256": digest},
        )
        return Release.objects.create(
            seq=_feed_position(),
            release_id=release_id,
            ocid=body["ocid"],
            date=datetime.fromisoformat(body["date"].replace("Z", "+00:00")),
            tags=body["tag"],
            stage=announcement.stage,
            object_type=announcement.obj_type,
            object_id=announcement.obj_id,
            document=document,
            sha256=digest,
            published_at=timezone.now(),
        )


# --- Search index --------------------------------------------------------------------------------


def _fts_delete_ids(ids: list[int]) -> None:
    if connection.vendor != "sqlite" or not ids:
        return
    with connection.cursor() as cursor:
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            cursor.execute(
                f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({','.join(['%s'] * len(chunk))})",  # noqa: S608  # nosec B608  # placeholders only
                chunk,
            )


def _fts_insert(rows: list[tuple[int, str]]) -> None:
    if connection.vendor != "sqlite" or not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {FTS_TABLE}(rowid, tokens) VALUES (%s, %s)", rows)  # noqa: S608  # nosec B608  # constant table name


def _fields(entry: registry.SearchEntry, now: datetime) -> dict[str, Any]:
    return {
        "kind": entry.kind,
        "region_id": entry.region_id,
        "region_label": entry.region_label[:100],
        "year": entry.year,
        "status": entry.status[:40],
        "category": entry.category[:40],
        "method": entry.method[:40],
        "title_zh": entry.title_zh[:300],
        "title_en": entry.title_en[:400],
        "summary_zh": entry.summary_zh[:500],
        "summary_en": entry.summary_en[:600],
        "url": entry.url[:300],
        "tokens": document_tokens(
            entry.title_zh, entry.title_en, entry.summary_zh, entry.summary_en, *entry.extra_texts
        ),
        "updated_at": now,
    }


def index_object(*, obj_type: str, obj_id: int) -> SearchDocument | None:
    """Bring one object's search entry up to date (remove it when it is no longer public).
    Derived data, so not audited: the change that caused it was."""
    source = registry.search_source(obj_type)
    if source is None:
        raise ImproperlyConfigured(f"no search source for {obj_type!r}")
    entry = source.one(obj_id)
    transaction.on_commit(selectors.forget_filter_choices)
    pagecache.bump()
    with transaction.atomic():
        if entry is None:
            ids = list(
                SearchDocument.objects.filter(object_type=obj_type, object_id=obj_id).values_list("pk", flat=True)
            )
            _fts_delete_ids(ids)
            SearchDocument.objects.filter(pk__in=ids).delete()
            return None
        fields = _fields(entry, timezone.now())
        document, _created = SearchDocument.objects.update_or_create(
            object_type=obj_type, object_id=obj_id, defaults=fields
        )
        _fts_delete_ids([document.pk])
        _fts_insert([(document.pk, fields["tokens"])])
    return document


def _replace_all(object_type: str, entries: Iterable[registry.SearchEntry]) -> int:
    transaction.on_commit(selectors.forget_filter_choices)
    pagecache.bump()
    stale = list(SearchDocument.objects.filter(object_type=object_type).values_list("pk", flat=True))
    _fts_delete_ids(stale)
    SearchDocument.objects.filter(object_type=object_type).delete()
    now = timezone.now()
    count = 0
    batch: list[SearchDocument] = []

    def flush() -> None:
        created = SearchDocument.objects.bulk_create(batch)
        _fts_insert([(doc.pk, doc.tokens) for doc in created])

    for entry in entries:
        batch.append(SearchDocument(object_type=object_type, object_id=entry.object_id, **_fields(entry, now)))
        count += 1
        if len(batch) >= BATCH:
            flush()
            batch = []
    if batch:
        flush()
    return count


def reindex_search(*, object_types: list[str] | None = None) -> dict[str, int]:
    """Rebuild the index from every search source (or the named ones); each source in one
    transaction, so searches never see a half-built kind."""
    counts: dict[str, int] = {}
    for source in registry.search_sources():
        if object_types and source.object_type not in object_types:
            continue
        with transaction.atomic():
            counts[source.object_type] = _replace_all(source.object_type, source.every())
    if connection.vendor == "sqlite":
        # Rows left by a database flush (which empties only Django's tables) go too.
        with connection.cursor() as cursor, transaction.atomic():
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid NOT IN (SELECT id FROM disclosure_searchdocument)")  # noqa: S608  # nosec B608  # constant table name
    return counts
