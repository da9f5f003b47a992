"""Items of a draft catalog version: add, change, remove (with their subtrees)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import diff as field_diff
from govbuy.audit.services import record_event
from govbuy.catalog import rules, selectors
from govbuy.catalog.chinese import to_traditional
from govbuy.catalog.models import (
    MAX_LEVEL,
    CatalogItem,
    CatalogVersion,
)
from govbuy.catalog.services.common import UNCHANGED, acting_org, bump_version, lock_draft, required_text, scope_of
from govbuy.core.errors import NotFound, ValidationFailed
from govbuy.organizations.scope import Scope

# --- Items -----------------------------------------------------------------------------------


def _refuse_negative(name_zh: str, name_en: str, description: str = "") -> None:
    matter = selectors.negative_match_for([name_zh, name_en, description])
    if matter is not None:
        message = rules.negative_refusal(matter)
        raise ValidationFailed(message, code="negative_list", fields={"name_zh": [message]})


def _item_snapshot(item: CatalogItem) -> dict[str, Any]:
    return {
        "parent_code": item.parent.code if item.parent_id and item.parent else "",
        "level": item.level,
        "name_zh": item.name_zh,
        "name_en": item.name_en,
        "description": item.description,
        "is_priority": item.is_priority,
        "procurement_code": item.procurement_code,
    }


def _parent_in(draft: CatalogVersion, parent_code: str) -> CatalogItem | None:
    parent_code = (parent_code or "").strip()
    if not parent_code:
        return None
    parent = CatalogItem.objects.filter(version=draft, code=parent_code).first()
    if parent is None:
        message = _("No item of this version has the code %(code)s.") % {"code": parent_code}
        raise ValidationFailed(message, code="unknown_parent", fields={"parent_code": [message]})
    return parent


def _clean_procurement_code(value: str) -> str:
    value = (value or "").strip().upper()
    if len(value) > 32:
        message = _("At most %(n)d characters.") % {"n": 32}
        raise ValidationFailed(message, fields={"procurement_code": [message]})
    return value


@transaction.atomic
def add_item(
    *,
    actor: Any,
    catalog: CatalogVersion | int,
    version: int,
    code: str,
    name_zh: str,
    name_en: str = "",
    parent_code: str = "",
    description: str = "",
    is_priority: bool = False,
    procurement_code: str = "",
) -> CatalogItem:
    scope = scope_of(actor)
    draft = lock_draft(scope, catalog, version)
    code = (code or "").strip()
    problem = rules.check_code(code)
    if problem:
        raise ValidationFailed(problem, code="bad_code", fields={"code": [problem]})
    if CatalogItem.objects.filter(version=draft, code=code).exists():
        message = _("This version already has an item with the code %(code)s.") % {"code": code}
        raise ValidationFailed(message, code="duplicate_code", fields={"code": [message]})
    name_zh = required_text(name_zh, "name_zh", _("Enter the Chinese name."))
    name_en = (name_en or "").strip()
    parent = _parent_in(draft, parent_code)
    level = parent.level + 1 if parent else 1
    problem = rules.check_parent(level=level, parent_level=parent.level if parent else None)
    if problem:
        raise ValidationFailed(problem, code="level_over_4", fields={"parent_code": [problem]})
    _refuse_negative(name_zh, name_en)
    last = CatalogItem.objects.filter(version=draft).aggregate(p=Max("position"))["p"] or 0
    item = CatalogItem.objects.create(
        version=draft,
        code=code,
        parent=parent,
        level=level,
        position=last + 1,
        name_zh=name_zh,
        name_zh_hant=to_traditional(name_zh),
        name_en=name_en,
        description=(description or "").strip(),
        is_priority=bool(is_priority),
        procurement_code=_clean_procurement_code(procurement_code),
    )
    bump_version(draft)
    record_event(
        actor=actor,
        action="catalog.item.added",
        obj=item,
        organisation=acting_org(scope, draft.region_id),
        region_id=draft.region_id,
        changes={k: (None, v) for k, v in _item_snapshot(item).items()},
        data={"code": code, "name": name_zh, "title": draft.title_zh, "number": draft.number},
    )
    return item


def _lock_item(scope: Scope, item: CatalogItem | int, version: int) -> tuple[CatalogVersion, CatalogItem]:
    pk = item.pk if isinstance(item, CatalogItem) else item
    version_id = CatalogItem.objects.filter(pk=pk).values_list("version_id", flat=True).first()
    if version_id is None:
        raise NotFound()
    draft = lock_draft(scope, version_id, version)
    return draft, CatalogItem.objects.select_related("parent").get(pk=pk)


def _subtree(item: CatalogItem) -> list[CatalogItem]:
    by_parent: dict[int | None, list[CatalogItem]] = {}
    for other in CatalogItem.objects.filter(version_id=item.version_id, level__gt=item.level):
        by_parent.setdefault(other.parent_id, []).append(other)
    out: list[CatalogItem] = []
    frontier = [item.pk]
    while frontier:
        children = [c for pk in frontier for c in by_parent.get(pk, [])]
        out += children
        frontier = [c.pk for c in children]
    return out


@transaction.atomic
def update_item(
    *,
    actor: Any,
    item: CatalogItem | int,
    version: int,
    name_zh: Any = UNCHANGED,
    name_en: Any = UNCHANGED,
    parent_code: Any = UNCHANGED,
    description: Any = UNCHANGED,
    is_priority: Any = UNCHANGED,
    procurement_code: Any = UNCHANGED,
) -> CatalogItem:
    """Rename, move (a new parent; the subtree moves with it), re-flag or re-describe an item.
    The code is the item's identity across versions and does not change."""
    scope = scope_of(actor)
    draft, locked = _lock_item(scope, item, version)
    before = _item_snapshot(locked)
    if name_zh is not UNCHANGED:
        locked.name_zh = required_text(name_zh, "name_zh", _("Enter the Chinese name."))
        locked.name_zh_hant = to_traditional(locked.name_zh)
    if name_en is not UNCHANGED:
        locked.name_en = (name_en or "").strip()
    if description is not UNCHANGED:
        locked.description = (description or "").strip()
    if is_priority is not UNCHANGED:
        locked.is_priority = bool(is_priority)
    if procurement_code is not UNCHANGED:
        locked.procurement_code = _clean_procurement_code(procurement_code)
    descendants: list[CatalogItem] = []
    if parent_code is not UNCHANGED and (parent_code or "").strip() != before["parent_code"]:
        parent = _parent_in(draft, parent_code)
        descendants = _subtree(locked)
        if parent is not None and (parent.pk == locked.pk or parent.pk in {d.pk for d in descendants}):
            message = _("An item cannot move under itself or one of its own sub-items.")
            raise ValidationFailed(message, code="move_into_self", fields={"parent_code": [message]})
        new_level = parent.level + 1 if parent else 1
        shift = new_level - locked.level
        deepest = max([d.level for d in descendants] + [locked.level]) + shift
        if deepest > MAX_LEVEL or new_level > MAX_LEVEL:
            message = _("Moved there, the item or its sub-items would go deeper than 4 levels.")
            raise ValidationFailed(message, code="level_over_4", fields={"parent_code": [message]})
        locked.parent = parent
        locked.level = new_level
        for d in descendants:
            d.level += shift
    if locked.name_zh != before["name_zh"] or locked.name_en != before["name_en"]:
        _refuse_negative(locked.name_zh, locked.name_en)
    changes = field_diff(before, _item_snapshot(locked))
    if not changes:
        return locked
    locked.save()
    if descendants:
        CatalogItem.objects.bulk_update(descendants, ["level"])
    bump_version(draft)
    record_event(
        actor=actor,
        action="catalog.item.changed",
        obj=locked,
        organisation=acting_org(scope, draft.region_id),
        region_id=draft.region_id,
        changes=dict(changes),
        data={
            "code": locked.code,
            "name": locked.name_zh,
            "fields": ", ".join(sorted(changes)),
            "number": draft.number,
        },
    )
    return locked


@transaction.atomic
def remove_item(*, actor: Any, item: CatalogItem | int, version: int) -> CatalogVersion:
    scope = scope_of(actor)
    draft, locked = _lock_item(scope, item, version)
    if CatalogItem.objects.filter(parent=locked).exists():
        message = _("Remove or move its sub-items first.")
        raise ValidationFailed(message, code="has_children", fields={"code": [message]})
    snapshot = _item_snapshot(locked)
    code, name = locked.code, locked.name_zh
    locked.delete()
    bump_version(draft)
    record_event(
        actor=actor,
        action="catalog.item.removed",
        object_type="catalog.catalogitem",
        object_id=item.pk if isinstance(item, CatalogItem) else item,
        organisation=acting_org(scope, draft.region_id),
        region_id=draft.region_id,
        changes={k: (v, None) for k, v in snapshot.items()},
        data={"code": code, "name": name, "number": draft.number},
    )
    return draft
