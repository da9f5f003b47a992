"""What the catalog's services share: the acting scope, the draft lock and small helpers."""

from __future__ import annotations

from typing import Any

from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from govbuy.catalog import rules
from govbuy.catalog.models import (
    MAX_LEVEL,
    CatalogItem,
    CatalogVersion,
)
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.organizations.models import Organisation, Region
from govbuy.organizations.scope import SYSTEM_SCOPE, Scope, scope_for


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Any = _Unchanged()
V = CatalogVersion.Status


def scope_of(actor: Any) -> Scope:
    return SYSTEM_SCOPE if actor is None else scope_for(actor)


def acting_org(scope: Scope, region_id: int, kind: str = rules.FINANCE) -> Organisation | None:
    """The organisation on whose behalf the actor acts (for the audit trail)."""
    for org_id, member_kind, _role, member_region, _level in scope.memberships:
        if member_kind == kind and member_region == region_id:
            return Organisation.objects.filter(pk=org_id).first()
    for org_id, member_kind, _role, _region, _level in scope.memberships:
        if member_kind == kind:
            return Organisation.objects.filter(pk=org_id).first()
    return None


def required_text(value: str, field: str, message: Any) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(message, fields={field: [message]})
    return value


def may_own(scope: Scope, region_id: int) -> bool:
    return scope is SYSTEM_SCOPE or rules.owns_region_catalog(scope, region_id)


def lock_draft(scope: Scope, catalog: CatalogVersion | int, version: int) -> CatalogVersion:
    """Lock a draft the actor owns and check the version they read."""
    pk = catalog.pk if isinstance(catalog, CatalogVersion) else catalog
    locked = CatalogVersion.objects.select_for_update().select_related("region").filter(pk=pk).first()
    if locked is None:
        raise NotFound()
    if scope is not SYSTEM_SCOPE and not (
        locked.is_public or rules.sees_drafts(scope, region_id=locked.region_id, region_level=locked.region.level)
    ):
        raise NotFound()
    if not may_own(scope, locked.region_id):
        raise PermissionRefused(_("Only the region's finance bureau changes its catalog."))
    if locked.status != V.DRAFT:
        raise TransitionRefused(
            _("This version is %(status)s and can no longer change; adjust the catalog in a new draft.")
            % {"status": locked.get_status_display()}
        )
    if locked.version != version:
        raise Conflict(
            fields={
                "version": [
                    _("Reload the draft: someone changed it; it is now at version %(v)d.") % {"v": locked.version}
                ]
            }
        )
    return locked


def bump_version(draft: CatalogVersion) -> None:
    draft.version += 1
    draft.save(update_fields=["version", "updated_at"])


def next_number(region: Region) -> int:
    return (CatalogVersion.objects.filter(region=region).aggregate(n=Max("number"))["n"] or 0) + 1


def copy_items(source: CatalogVersion, target: CatalogVersion) -> int:
    """Copy the tree level by level so every parent exists before its children."""
    mapping: dict[int, CatalogItem] = {}
    count = 0
    for level in range(1, MAX_LEVEL + 1):
        batch = list(CatalogItem.objects.filter(version=source, level=level).order_by("position", "pk"))
        copies = [
            CatalogItem(
                version=target,
                code=i.code,
                parent=mapping[i.parent_id] if i.parent_id else None,
                level=i.level,
                position=i.position,
                name_zh=i.name_zh,
                name_zh_hant=i.name_zh_hant,
                name_en=i.name_en,
                description=i.description,
                is_priority=i.is_priority,
                procurement_code=i.procurement_code,
            )
            for i in batch
        ]
        created = CatalogItem.objects.bulk_create(copies)
        for original, copy in zip(batch, created, strict=True):
            mapping[original.pk] = copy
        count += len(created)
    return count


def existing_draft(region: Region) -> CatalogVersion | None:
    return CatalogVersion.objects.filter(region=region, status=V.DRAFT).first()


def draft_exists_error() -> Conflict:
    return Conflict(_("This region already has a draft; adjust that one, or discard it first."), code="draft_exists")
