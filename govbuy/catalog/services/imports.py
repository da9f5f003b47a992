"""Importing a whole catalog version from a spreadsheet: checked completely before anything is
written; small files inline, large ones as a background task with visible progress. The file of a
background import is kept through the storage API (`govbuy.core.storage`), write-once and
checked against its hash when the task reads it.

The task is defined here, beside the service that queues it and the one it runs: a separate
tasks module would import this one and be imported by it (import-linter refuses the circle)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.catalog import selectors
from govbuy.catalog.chinese import to_simplified, to_traditional
from govbuy.catalog.models import MAX_LEVEL, CatalogItem, CatalogVersion, ImportJob
from govbuy.catalog.services.common import (
    V,
    acting_org,
    bump_version,
    draft_exists_error,
    lock_draft,
    may_own,
    next_number,
    scope_of,
)
from govbuy.catalog.spreadsheets import ImportRefused, ParsedRow, Table, check_table, inline_rows, read_table
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.core.spreadsheets import ImportOutcome
from govbuy.core.storage import document_path, read_verified, save_once
from govbuy.organizations.models import Region
from govbuy.organizations.scope import Scope

# --- Spreadsheet import ----------------------------------------------------------------------


# Where the files of background imports are stored (0004_import_files_in_storage wrote the same names).
IMPORT_PREFIX = "imports/catalog"


class CatalogImport(ImportOutcome[CatalogVersion]):
    """The import outcome; `catalog` is its target under the name the catalog's callers use."""

    @property
    def catalog(self) -> CatalogVersion | None:
        return self.target


def _write_rows(draft: CatalogVersion, rows: Sequence[ParsedRow], progress: Any = None) -> None:
    # Deepest first: a parent is protected while children point at it.
    for level in range(MAX_LEVEL, 0, -1):
        CatalogItem.objects.filter(version=draft, level=level).delete()
    by_code: dict[str, CatalogItem] = {}
    position = {row.code: index for index, row in enumerate(rows, start=1)}
    written = 0
    for level in range(1, MAX_LEVEL + 1):
        batch = [r for r in rows if r.level == level]
        created = CatalogItem.objects.bulk_create(
            [
                CatalogItem(
                    version=draft,
                    code=r.code,
                    parent=by_code[r.parent_code] if r.parent_code else None,
                    level=r.level,
                    position=position[r.code],
                    name_zh=r.name_zh,
                    name_zh_hant=to_traditional(r.name_zh),
                    name_en=r.name_en,
                    description=r.description,
                    is_priority=r.is_priority,
                    procurement_code=r.procurement_code.upper(),
                )
                for r in batch
            ],
            batch_size=500,
        )
        for r, item in zip(batch, created, strict=True):
            by_code[r.code] = item
        written += len(created)
        if progress is not None:
            progress(written)


def _import_target(scope: Scope, region: Region, version: int | None) -> CatalogVersion | None:
    """The region's draft to replace (its version must match), or None to start one."""
    draft = CatalogVersion.objects.select_for_update().filter(region=region, status=V.DRAFT).first()
    if draft is None:
        return None
    if version is None:
        raise Conflict(
            _("This region already has a draft: import into it (the file replaces its items) or discard it first."),
            code="draft_exists",
        )
    return lock_draft(scope, draft, version)


def _commit_import(
    *,
    actor: Any,
    scope: Scope,
    region: Region,
    version: int | None,
    rows: Sequence[ParsedRow],
    title_zh: str,
    title_en: str,
    file_name: str,
    sha256: str,
    progress: Any = None,
) -> CatalogVersion:
    draft = _import_target(scope, region, version)
    created = draft is None
    if draft is None:
        draft = CatalogVersion.objects.create(
            region=region,
            number=next_number(region),
            title_zh=title_zh,
            title_en=title_en,
            created_by=actor,
            based_on=selectors.latest_published(region),
        )
    before = CatalogItem.objects.filter(version=draft).count()
    _write_rows(draft, rows, progress)
    if not created:
        bump_version(draft)
    record_event(
        actor=actor,
        action="catalog.version.imported",
        obj=draft,
        organisation=acting_org(scope, region.pk),
        region_id=region.pk,
        changes={"items": (before, len(rows))} if not created else {"status": (None, V.DRAFT), "items": (0, len(rows))},
        data={"file": file_name, "sha256": sha256, "rows": len(rows), "title": draft.title_zh, "number": draft.number},
    )
    return draft


def import_spreadsheet(
    *,
    actor: Any,
    region: Region,
    file_name: str,
    data: bytes,
    version: int | None = None,
    title_zh: str = "",
    title_en: str = "",
) -> CatalogImport:
    """Import a whole version from .xlsx or .csv. Into the region's draft (replacing its items;
    `version` is the draft's version read) or, without a draft, into a new one. Every problem is
    reported at once (ImportRefused) and nothing is written. Large files run as a task."""
    scope = scope_of(actor)
    if not may_own(scope, region.pk):
        raise PermissionRefused(_("Only the region's finance bureau imports its catalog."))
    table, inspected = read_table(name=file_name, data=data)
    if len(table.rows) > inline_rows():
        return _queue_import(
            actor=actor,
            scope=scope,
            region=region,
            table=table,
            inspected=inspected,
            data=data,
            version=version,
            title_zh=title_zh,
            title_en=title_en,
        )
    rows, errors = check_table(table, selectors.matter_facts(), to_simplified=to_simplified)
    if errors:
        raise ImportRefused(errors)
    title = (title_zh or "").strip() or _default_title(region)
    try:
        with transaction.atomic():
            draft = _commit_import(
                actor=actor,
                scope=scope,
                region=region,
                version=version,
                rows=rows,
                title_zh=title,
                title_en=(title_en or "").strip(),
                file_name=inspected.display_name or file_name,
                sha256=inspected.sha256,
            )
    except IntegrityError as exc:
        raise draft_exists_error() from exc
    return CatalogImport(rows=len(rows), created=len(rows), target=draft)


def _default_title(region: Region) -> str:
    return f"{region.name_zh}政府购买服务指导性目录"


def _queue_import(
    *,
    actor: Any,
    scope: Scope,
    region: Region,
    table: Table,
    inspected: Any,
    data: bytes,
    version: int | None,
    title_zh: str,
    title_en: str,
) -> CatalogImport:
    path = save_once(path=document_path(prefix=IMPORT_PREFIX, upload=inspected), data=data, sha256=inspected.sha256)
    with transaction.atomic():
        draft = _import_target(scope, region, version)
        job = ImportJob.objects.create(
            region=region,
            catalog=draft,
            title_zh=(title_zh or "").strip() or _default_title(region),
            title_en=(title_en or "").strip(),
            requested_by=actor,
            file_name=(inspected.display_name or "")[:200],
            file_kind=inspected.kind,
            file_sha256=inspected.sha256,
            file_path=path,
            expected_version=draft.version if draft else None,
            total_rows=len(table.rows),
        )
        record_event(
            actor=actor,
            action="catalog.import.queued",
            obj=job,
            organisation=acting_org(scope, region.pk),
            region_id=region.pk,
            data={"file": job.file_name, "sha256": job.file_sha256, "rows": job.total_rows, "region": region.name_zh},
        )
        job_id = job.pk
        transaction.on_commit(lambda: run_catalog_import.enqueue(job_id))
    return CatalogImport(rows=len(table.rows), target=draft, job=job)


def run_import_job(*, job_id: int) -> ImportJob:
    """Run a queued import (the task). Delivered twice, the second finds it finished. Progress is
    written outside the import's transaction, so the page can show it while the rows go in."""
    from django.contrib.auth import get_user_model

    with transaction.atomic():
        job = ImportJob.objects.select_for_update().select_related("region").filter(pk=job_id).first()
        if job is None or job.status != ImportJob.Status.QUEUED:
            return job  # type: ignore[return-value]
        job.status = ImportJob.Status.RUNNING
        job.phase = "checking"
        job.save(update_fields=["status", "phase"])

    def fail(errors: list[dict[str, Any]]) -> ImportJob:
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED, errors=errors, finished_at=timezone.now(), phase=""
        )
        return ImportJob.objects.get(pk=job_id)

    actor = get_user_model().objects.filter(pk=job.requested_by_id).first() if job.requested_by_id else None
    scope = scope_of(actor)
    try:
        data = read_verified(job.file_path, job.file_sha256)
        table, inspected = read_table(name=job.file_name, data=data)
        rows, errors = check_table(table, selectors.matter_facts(), to_simplified=to_simplified)
    except ValidationFailed as exc:
        return fail([{"row": 0, "column": "file", "letter": "", "code": exc.code, "message": str(exc.message)}])
    if errors:
        return fail([e.as_dict() for e in errors])
    ImportJob.objects.filter(pk=job_id).update(phase="writing", processed_rows=0)

    def progress(done: int) -> None:
        # Inside the import's transaction this is invisible to others until commit; on
        # PostgreSQL and SQLite alike the page then jumps to 100 %, which is still honest.
        ImportJob.objects.filter(pk=job_id).update(processed_rows=done)

    try:
        with transaction.atomic():
            draft = _commit_import(
                actor=actor,
                scope=scope,
                region=job.region,
                version=job.expected_version,
                rows=rows,
                title_zh=job.title_zh,
                title_en=job.title_en,
                file_name=job.file_name,
                sha256=inspected.sha256,
                progress=progress,
            )
            ImportJob.objects.filter(pk=job_id).update(
                catalog=draft,
                status=ImportJob.Status.DONE,
                processed_rows=len(rows),
                finished_at=timezone.now(),
                phase="",
            )
    except (Conflict, PermissionRefused, NotFound, TransitionRefused) as exc:
        return fail([{"row": 0, "column": "file", "letter": "", "code": exc.code, "message": str(exc.message)}])
    except IntegrityError:
        return fail(
            [
                {
                    "row": 0,
                    "column": "file",
                    "letter": "",
                    "code": "draft_exists",
                    "message": str(draft_exists_error().message),
                }
            ]
        )
    return ImportJob.objects.get(pk=job_id)


@task()
def run_catalog_import(job_id: int) -> dict[str, Any]:
    """The background task: primary keys in, a summary out."""
    job = run_import_job(job_id=job_id)
    return {"job": job_id, "status": job.status if job is not None else "missing"}
