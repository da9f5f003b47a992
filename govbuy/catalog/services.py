"""Every write to the catalog: one function per transition, keyword-only, with `actor`.

Each service locks the row it changes, checks rules.py, changes, and records the audit event in
the same transaction. Draft items are guarded by the draft's own `version`: every edit names the
version it read, so two staff editing one draft cannot overwrite each other (409). `actor=None`
is the system (data loaders and tasks acting for a recorded requester).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import diff as field_diff
from govbuy.audit.services import record_event
from govbuy.catalog import rules, selectors
from govbuy.catalog.chinese import to_traditional
from govbuy.catalog.models import (
    MAX_LEVEL,
    CatalogItem,
    CatalogVersion,
    DraftComment,
    NegativeListMatter,
)
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.core.publication import announce
from govbuy.organizations.models import Organisation, Region
from govbuy.organizations.scope import Scope, scope_for


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Any = _Unchanged()
SYSTEM_SCOPE = Scope(user_id=None, is_platform_admin=True, all_regions=True)
V = CatalogVersion.Status


def _scope(actor: Any) -> Scope:
    return SYSTEM_SCOPE if actor is None else scope_for(actor)


def _acting_org(scope: Scope, region_id: int, kind: str = rules.FINANCE) -> Organisation | None:
    """The organisation on whose behalf the actor acts (for the audit trail)."""
    for org_id, member_kind, _role, member_region, _level in scope.memberships:
        if member_kind == kind and member_region == region_id:
            return Organisation.objects.filter(pk=org_id).first()
    for org_id, member_kind, _role, _region, _level in scope.memberships:
        if member_kind == kind:
            return Organisation.objects.filter(pk=org_id).first()
    return None


def _required(value: str, field: str, message: Any) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(message, fields={field: [message]})
    return value


def _may_own(scope: Scope, region_id: int) -> bool:
    return scope is SYSTEM_SCOPE or rules.owns_region_catalog(scope, region_id)


def _lock_draft(scope: Scope, catalog: CatalogVersion | int, version: int) -> CatalogVersion:
    """Lock a draft the actor owns and check the version they read."""
    pk = catalog.pk if isinstance(catalog, CatalogVersion) else catalog
    locked = CatalogVersion.objects.select_for_update().select_related("region").filter(pk=pk).first()
    if locked is None:
        raise NotFound()
    if scope is not SYSTEM_SCOPE and not (
        locked.is_public or rules.sees_drafts(scope, region_id=locked.region_id, region_level=locked.region.level)
    ):
        raise NotFound()
    if not _may_own(scope, locked.region_id):
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


def _bump(draft: CatalogVersion) -> None:
    draft.version += 1
    draft.save(update_fields=["version", "updated_at"])


def _next_number(region: Region) -> int:
    return (CatalogVersion.objects.filter(region=region).aggregate(n=Max("number"))["n"] or 0) + 1


def _copy_items(source: CatalogVersion, target: CatalogVersion) -> int:
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


def _existing_draft(region: Region) -> CatalogVersion | None:
    return CatalogVersion.objects.filter(region=region, status=V.DRAFT).first()


def _draft_exists() -> Conflict:
    return Conflict(_("This region already has a draft; adjust that one, or discard it first."), code="draft_exists")


# --- Versions --------------------------------------------------------------------------------


def create_draft(
    *,
    actor: Any,
    region: Region,
    title_zh: str,
    title_en: str = "",
    notes: str = "",
    based_on: CatalogVersion | None = None,
    empty: bool = False,
) -> CatalogVersion:
    """Start an adjustment. By default the draft copies the region's newest published version
    (for a district without one, the city's catalog in effect), so only the changes need doing."""
    scope = _scope(actor)
    if not _may_own(scope, region.pk):
        raise PermissionRefused(_("Only the region's finance bureau drafts its catalog."))
    title_zh = _required(title_zh, "title_zh", _("Enter the title."))
    if based_on is not None and (not based_on.is_public or based_on.region_id not in (region.pk, region.parent_id)):
        message = _("A draft can start from a published version of this region or of the city.")
        raise ValidationFailed(message, fields={"based_on": [message]})
    try:
        with transaction.atomic():
            Region.objects.select_for_update().filter(pk=region.pk).first()
            if _existing_draft(region) is not None:
                raise _draft_exists()
            source = None
            if not empty:
                source = based_on or selectors.latest_published(region) or selectors.effective_version(region)
            draft = CatalogVersion.objects.create(
                region=region,
                number=_next_number(region),
                title_zh=title_zh,
                title_en=(title_en or "").strip(),
                notes=(notes or "").strip(),
                based_on=source,
                created_by=actor,
            )
            copied = _copy_items(source, draft) if source is not None else 0
            record_event(
                actor=actor,
                action="catalog.version.drafted",
                obj=draft,
                organisation=_acting_org(scope, region.pk),
                region_id=region.pk,
                changes={"status": (None, V.DRAFT)},
                data={
                    "title": draft.title_zh,
                    "number": draft.number,
                    "region": region.name_zh,
                    "based_on": source.number if source else None,
                    "items": copied,
                },
            )
    except IntegrityError as exc:
        raise _draft_exists() from exc
    return draft


@transaction.atomic
def update_draft(
    *,
    actor: Any,
    catalog: CatalogVersion | int,
    version: int,
    title_zh: Any = UNCHANGED,
    title_en: Any = UNCHANGED,
    notes: Any = UNCHANGED,
) -> CatalogVersion:
    scope = _scope(actor)
    draft = _lock_draft(scope, catalog, version)
    before = {"title_zh": draft.title_zh, "title_en": draft.title_en, "notes": draft.notes}
    if title_zh is not UNCHANGED:
        draft.title_zh = _required(title_zh, "title_zh", _("Enter the title."))
    if title_en is not UNCHANGED:
        draft.title_en = (title_en or "").strip()
    if notes is not UNCHANGED:
        draft.notes = (notes or "").strip()
    changes = field_diff(before, {"title_zh": draft.title_zh, "title_en": draft.title_en, "notes": draft.notes})
    if not changes:
        return draft
    draft.version += 1
    draft.save()
    record_event(
        actor=actor,
        action="catalog.version.updated",
        obj=draft,
        organisation=_acting_org(scope, draft.region_id),
        region_id=draft.region_id,
        changes=dict(changes),
        data={"title": draft.title_zh, "number": draft.number, "fields": ", ".join(sorted(changes))},
    )
    return draft


def _negative_items(draft: CatalogVersion) -> list[str]:
    matters = selectors.matter_facts()
    refused = []
    for item in CatalogItem.objects.filter(version=draft).only("code", "name_zh", "name_en"):
        matter = selectors.negative_match_for([item.name_zh, item.name_en], matters)
        if matter is not None:
            refused.append(f"{item.code} {item.name_zh}: {rules.negative_refusal(matter)}")
    return refused


@transaction.atomic
def publish_version(
    *, actor: Any, catalog: CatalogVersion | int, version: int, effective_from: date | None
) -> CatalogVersion:
    """Publish the draft; the version it replaces becomes superseded (it stays in effect until the
    new one's date). The diff against it is recorded on the version and in the audit trail."""
    scope = _scope(actor)
    draft = _lock_draft(scope, catalog, version)
    rules.check_version_transition(draft.status, V.PUBLISHED)
    previous = (
        CatalogVersion.objects.select_for_update()
        .filter(region_id=draft.region_id, status=V.PUBLISHED)
        .order_by("-number")
        .first()
    )
    rules.check_effective_from(
        effective_from,
        today=selectors.today(),
        previous=previous.effective_from if previous else None,
        allow_past=actor is None,
    )
    if not CatalogItem.objects.filter(version=draft).exists():
        message = _("An empty catalog cannot be published; add items or import a spreadsheet first.")
        raise ValidationFailed(message, code="empty_catalog", fields={"items": [message]})
    refused = _negative_items(draft)
    if refused:
        raise ValidationFailed(
            _("Some items are on the negative list; remove or rename them before publishing."),
            code="negative_list",
            fields={"items": refused},
        )
    diff = selectors.diff_versions(previous, draft)
    now = timezone.now()
    draft.status = V.PUBLISHED
    draft.effective_from = effective_from
    draft.published_at = now
    draft.published_by = actor
    draft.diff = diff
    draft.diff_against = previous
    draft.version += 1
    draft.save()
    org = _acting_org(scope, draft.region_id)
    if previous is not None:
        rules.check_version_transition(previous.status, V.SUPERSEDED)
        previous.status = V.SUPERSEDED
        previous.superseded_at = now
        previous.version += 1
        previous.save(update_fields=["status", "superseded_at", "version", "updated_at"])
        record_event(
            actor=actor,
            action="catalog.version.superseded",
            obj=previous,
            organisation=org,
            region_id=previous.region_id,
            changes={"status": (V.PUBLISHED, V.SUPERSEDED)},
            data={"title": previous.title_zh, "number": previous.number, "by_number": draft.number},
        )
    record_event(
        actor=actor,
        action="catalog.version.published",
        obj=draft,
        organisation=org,
        region_id=draft.region_id,
        changes={"status": (V.DRAFT, V.PUBLISHED), "effective_from": (None, effective_from)},
        data={
            "title": draft.title_zh,
            "number": draft.number,
            "effective_from": effective_from.isoformat() if effective_from else "",
            "against": previous.number if previous else None,
            "counts": diff["counts"],
            "diff": diff,
        },
    )
    # Public search follows what is in effect: the new version's items appear, the replaced
    # version's items leave (in this transaction, so search never shows a half-published catalog).
    for item_id in CatalogItem.objects.filter(version=draft).values_list("pk", flat=True):
        announce("listed", obj_type=CatalogItem._meta.label_lower, obj_id=item_id, occurred_at=now)
    if previous is not None:
        for item_id in CatalogItem.objects.filter(version=previous).values_list("pk", flat=True):
            announce("delisted", obj_type=CatalogItem._meta.label_lower, obj_id=item_id, occurred_at=now)
    return draft


@transaction.atomic
def discard_draft(*, actor: Any, catalog: CatalogVersion | int, version: int, reason: str = "") -> CatalogVersion:
    """A draft that will not be published is kept, marked discarded, so its number stays taken."""
    scope = _scope(actor)
    draft = _lock_draft(scope, catalog, version)
    rules.check_version_transition(draft.status, V.DISCARDED)
    draft.status = V.DISCARDED
    draft.version += 1
    draft.save(update_fields=["status", "version", "updated_at"])
    record_event(
        actor=actor,
        action="catalog.version.discarded",
        obj=draft,
        organisation=_acting_org(scope, draft.region_id),
        region_id=draft.region_id,
        changes={"status": (V.DRAFT, V.DISCARDED)},
        data={"title": draft.title_zh, "number": draft.number, "reason": (reason or "").strip()},
    )
    return draft


# --- Items -----------------------------------------------------------------------------------


def _refuse_negative(name_zh: str, name_en: str) -> None:
    matter = selectors.negative_match_for([name_zh, name_en])
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
    scope = _scope(actor)
    draft = _lock_draft(scope, catalog, version)
    code = (code or "").strip()
    problem = rules.check_code(code)
    if problem:
        raise ValidationFailed(problem, code="bad_code", fields={"code": [problem]})
    if CatalogItem.objects.filter(version=draft, code=code).exists():
        message = _("This version already has an item with the code %(code)s.") % {"code": code}
        raise ValidationFailed(message, code="duplicate_code", fields={"code": [message]})
    name_zh = _required(name_zh, "name_zh", _("Enter the Chinese name."))
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
    _bump(draft)
    record_event(
        actor=actor,
        action="catalog.item.added",
        obj=item,
        organisation=_acting_org(scope, draft.region_id),
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
    draft = _lock_draft(scope, version_id, version)
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
    scope = _scope(actor)
    draft, locked = _lock_item(scope, item, version)
    before = _item_snapshot(locked)
    if name_zh is not UNCHANGED:
        locked.name_zh = _required(name_zh, "name_zh", _("Enter the Chinese name."))
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
    _bump(draft)
    record_event(
        actor=actor,
        action="catalog.item.changed",
        obj=locked,
        organisation=_acting_org(scope, draft.region_id),
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
    scope = _scope(actor)
    draft, locked = _lock_item(scope, item, version)
    if CatalogItem.objects.filter(parent=locked).exists():
        message = _("Remove or move its sub-items first.")
        raise ValidationFailed(message, code="has_children", fields={"code": [message]})
    snapshot = _item_snapshot(locked)
    code, name = locked.code, locked.name_zh
    locked.delete()
    _bump(draft)
    record_event(
        actor=actor,
        action="catalog.item.removed",
        object_type="catalog.catalogitem",
        object_id=item.pk if isinstance(item, CatalogItem) else item,
        organisation=_acting_org(scope, draft.region_id),
        region_id=draft.region_id,
        changes={k: (v, None) for k, v in snapshot.items()},
        data={"code": code, "name": name, "number": draft.number},
    )
    return draft


# --- Comments --------------------------------------------------------------------------------


@transaction.atomic
def comment_on_draft(*, actor: Any, catalog: CatalogVersion | int, body: str, item_code: str = "") -> DraftComment:
    """The staffing office comments on the city's draft (§四.二); the owner may answer."""
    scope = _scope(actor)
    pk = catalog.pk if isinstance(catalog, CatalogVersion) else catalog
    draft = CatalogVersion.objects.select_for_update().select_related("region").filter(pk=pk).first()
    if draft is None or not (
        scope is SYSTEM_SCOPE or rules.sees_drafts(scope, region_id=draft.region_id, region_level=draft.region.level)
    ):
        raise NotFound()
    if scope is not SYSTEM_SCOPE and not rules.may_comment(
        scope, region_id=draft.region_id, region_level=draft.region.level
    ):
        raise PermissionRefused(_("You may not comment on this draft."))
    if draft.status != V.DRAFT:
        raise TransitionRefused(_("Comments are taken while the version is a draft."))
    body = _required(body, "body", _("Write the comment."))
    if len(body) > 4000:
        message = _("At most %(n)d characters.") % {"n": 4000}
        raise ValidationFailed(message, fields={"body": [message]})
    item_code = (item_code or "").strip()
    if item_code and not CatalogItem.objects.filter(version=draft, code=item_code).exists():
        message = _("No item of this version has the code %(code)s.") % {"code": item_code}
        raise ValidationFailed(message, fields={"item_code": [message]})
    kind = rules.FINANCE if rules.owns_region_catalog(scope, draft.region_id, write=False) else rules.STAFFING
    org = _acting_org(scope, draft.region_id, kind) or _acting_org(scope, draft.region_id)
    if org is None:
        raise PermissionRefused(_("You may not comment on this draft."))
    comment = DraftComment.objects.create(catalog=draft, author=actor, organisation=org, item_code=item_code, body=body)
    record_event(
        actor=actor,
        action="catalog.comment.added",
        obj=comment,
        organisation=org,
        region_id=draft.region_id,
        data={"title": draft.title_zh, "number": draft.number, "item": item_code, "body": body[:500]},
    )
    return comment


# --- Negative list ---------------------------------------------------------------------------


def _clean_terms(terms: Any) -> list[str]:
    if isinstance(terms, str):
        terms = terms.replace("，", ",").replace("、", ",").replace("\n", ",").split(",")
    cleaned = []
    for term in terms or []:
        term = str(term).strip()
        if term and term not in cleaned:
            if len(term) < 2:
                message = _("An identifying phrase has at least 2 characters, so it does not match every name.")
                raise ValidationFailed(message, fields={"terms_zh": [message]})
            cleaned.append(term[:50])
    return cleaned[:50]


def _may_maintain(scope: Scope) -> None:
    if scope is not SYSTEM_SCOPE and not rules.may_maintain_negative_list(scope):
        raise PermissionRefused(_("Only the city finance bureau maintains the negative list."))


def _matter_snapshot(m: NegativeListMatter) -> dict[str, Any]:
    return {
        "code": m.code,
        "name_zh": m.name_zh,
        "name_en": m.name_en,
        "legal_basis_zh": m.legal_basis_zh,
        "legal_basis_en": m.legal_basis_en,
        "terms_zh": list(m.terms_zh),
        "is_active": m.is_active,
    }


@transaction.atomic
def add_matter(
    *,
    actor: Any,
    code: str,
    name_zh: str,
    legal_basis_zh: str,
    name_en: str = "",
    legal_basis_en: str = "",
    terms_zh: Any = (),
) -> NegativeListMatter:
    scope = _scope(actor)
    _may_maintain(scope)
    code = (code or "").strip()
    problem = rules.check_code(code)
    if problem:
        raise ValidationFailed(problem, fields={"code": [problem]})
    if NegativeListMatter.objects.filter(code=code).exists():
        message = _("A matter with the code %(code)s already exists.") % {"code": code}
        raise ValidationFailed(message, fields={"code": [message]})
    last = NegativeListMatter.objects.aggregate(p=Max("position"))["p"] or 0
    matter = NegativeListMatter.objects.create(
        code=code,
        name_zh=_required(name_zh, "name_zh", _("Enter the Chinese name.")),
        name_en=(name_en or "").strip(),
        legal_basis_zh=_required(legal_basis_zh, "legal_basis_zh", _("Give the legal basis.")),
        legal_basis_en=(legal_basis_en or "").strip(),
        terms_zh=_clean_terms(terms_zh),
        position=last + 1,
    )
    city = Region.objects.filter(level=Region.Level.CITY).first()
    record_event(
        actor=actor,
        action="catalog.negative_matter.added",
        obj=matter,
        organisation=_acting_org(scope, city.pk) if city and scope is not SYSTEM_SCOPE else None,
        region_id=city.pk if city else None,
        changes={k: (None, v) for k, v in _matter_snapshot(matter).items()},
        data={"code": code, "name": matter.name_zh, "basis": matter.legal_basis_zh},
    )
    return matter


@transaction.atomic
def update_matter(
    *,
    actor: Any,
    matter: NegativeListMatter | int,
    version: int,
    name_zh: Any = UNCHANGED,
    name_en: Any = UNCHANGED,
    legal_basis_zh: Any = UNCHANGED,
    legal_basis_en: Any = UNCHANGED,
    terms_zh: Any = UNCHANGED,
    is_active: Any = UNCHANGED,
) -> NegativeListMatter:
    scope = _scope(actor)
    _may_maintain(scope)
    pk = matter.pk if isinstance(matter, NegativeListMatter) else matter
    locked = NegativeListMatter.objects.select_for_update().filter(pk=pk).first()
    if locked is None:
        raise NotFound()
    if locked.version != version:
        raise Conflict(
            fields={"version": [_("Reload the matter: it is now at version %(v)d.") % {"v": locked.version}]}
        )
    before = _matter_snapshot(locked)
    if name_zh is not UNCHANGED:
        locked.name_zh = _required(name_zh, "name_zh", _("Enter the Chinese name."))
    if name_en is not UNCHANGED:
        locked.name_en = (name_en or "").strip()
    if legal_basis_zh is not UNCHANGED:
        locked.legal_basis_zh = _required(legal_basis_zh, "legal_basis_zh", _("Give the legal basis."))
    if legal_basis_en is not UNCHANGED:
        locked.legal_basis_en = (legal_basis_en or "").strip()
    if terms_zh is not UNCHANGED:
        locked.terms_zh = _clean_terms(terms_zh)
    if is_active is not UNCHANGED:
        locked.is_active = bool(is_active)
    changes = field_diff(before, _matter_snapshot(locked))
    if not changes:
        return locked
    locked.version += 1
    locked.save()
    city = Region.objects.filter(level=Region.Level.CITY).first()
    record_event(
        actor=actor,
        action="catalog.negative_matter.changed",
        obj=locked,
        organisation=_acting_org(scope, city.pk) if city and scope is not SYSTEM_SCOPE else None,
        region_id=city.pk if city else None,
        changes=dict(changes),
        data={"code": locked.code, "name": locked.name_zh, "fields": ", ".join(sorted(changes))},
    )
    return locked
