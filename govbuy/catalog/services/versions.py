"""Catalog versions: drafts, publication (with the diff against the version it replaces), discarding,
and staffing-office comments on drafts."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import diff as field_diff
from govbuy.audit.services import record_event
from govbuy.catalog import rules, selectors
from govbuy.catalog.models import (
    CatalogItem,
    CatalogVersion,
    DraftComment,
)
from govbuy.catalog.services.common import (
    SYSTEM_SCOPE,
    UNCHANGED,
    V,
    acting_org,
    copy_items,
    draft_exists_error,
    existing_draft,
    lock_draft,
    may_own,
    next_number,
    required_text,
    scope_of,
)
from govbuy.core import pagecache
from govbuy.core.errors import NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.core.publication import announce
from govbuy.organizations.models import Region

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
    scope = scope_of(actor)
    if not may_own(scope, region.pk):
        raise PermissionRefused(_("Only the region's finance bureau drafts its catalog."))
    title_zh = required_text(title_zh, "title_zh", _("Enter the title."))
    if based_on is not None and (not based_on.is_public or based_on.region_id not in (region.pk, region.parent_id)):
        message = _("A draft can start from a published version of this region or of the city.")
        raise ValidationFailed(message, fields={"based_on": [message]})
    try:
        with transaction.atomic():
            Region.objects.select_for_update().filter(pk=region.pk).first()
            if existing_draft(region) is not None:
                raise draft_exists_error()
            source = None
            if not empty:
                source = based_on or selectors.latest_published(region) or selectors.effective_version(region)
            draft = CatalogVersion.objects.create(
                region=region,
                number=next_number(region),
                title_zh=title_zh,
                title_en=(title_en or "").strip(),
                notes=(notes or "").strip(),
                based_on=source,
                created_by=actor,
            )
            copied = copy_items(source, draft) if source is not None else 0
            record_event(
                actor=actor,
                action="catalog.version.drafted",
                obj=draft,
                organisation=acting_org(scope, region.pk),
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
        raise draft_exists_error() from exc
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
    scope = scope_of(actor)
    draft = lock_draft(scope, catalog, version)
    before = {"title_zh": draft.title_zh, "title_en": draft.title_en, "notes": draft.notes}
    if title_zh is not UNCHANGED:
        draft.title_zh = required_text(title_zh, "title_zh", _("Enter the title."))
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
        organisation=acting_org(scope, draft.region_id),
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
    scope = scope_of(actor)
    draft = lock_draft(scope, catalog, version)
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
    # The public catalog pages change with the commit (govbuy.core.pagecache).
    pagecache.bump()
    org = acting_org(scope, draft.region_id)
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
    scope = scope_of(actor)
    draft = lock_draft(scope, catalog, version)
    rules.check_version_transition(draft.status, V.DISCARDED)
    draft.status = V.DISCARDED
    draft.version += 1
    draft.save(update_fields=["status", "version", "updated_at"])
    record_event(
        actor=actor,
        action="catalog.version.discarded",
        obj=draft,
        organisation=acting_org(scope, draft.region_id),
        region_id=draft.region_id,
        changes={"status": (V.DRAFT, V.DISCARDED)},
        data={"title": draft.title_zh, "number": draft.number, "reason": (reason or "").strip()},
    )
    return draft


# --- Comments --------------------------------------------------------------------------------


@transaction.atomic
def comment_on_draft(*, actor: Any, catalog: CatalogVersion | int, body: str, item_code: str = "") -> DraftComment:
    """The staffing office comments on the city's draft (§四.二); the owner may answer."""
    scope = scope_of(actor)
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
    body = required_text(body, "body", _("Write the comment."))
    if len(body) > 4000:
        message = _("At most %(n)d characters.") % {"n": 4000}
        raise ValidationFailed(message, fields={"body": [message]})
    item_code = (item_code or "").strip()
    if item_code and not CatalogItem.objects.filter(version=draft, code=item_code).exists():
        message = _("No item of this version has the code %(code)s.") % {"code": item_code}
        raise ValidationFailed(message, fields={"item_code": [message]})
    kind = rules.FINANCE if rules.owns_region_catalog(scope, draft.region_id, write=False) else rules.STAFFING
    org = acting_org(scope, draft.region_id, kind) or acting_org(scope, draft.region_id)
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
