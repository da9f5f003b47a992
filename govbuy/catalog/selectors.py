"""Every read of the catalog. Published versions are public; drafts, filings and import jobs are
scoped to the user, and anything outside the scope is a 404."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from govbuy.audit.models import AuditEvent
from govbuy.catalog import rules
from govbuy.catalog.chinese import to_simplified
from govbuy.catalog.models import CatalogItem, CatalogVersion, DraftComment, Filing, ImportJob, NegativeListMatter
from govbuy.organizations.models import Region
from govbuy.organizations.scope import scope_for

V = CatalogVersion.Status
PUBLIC_STATUSES = (V.PUBLISHED, V.SUPERSEDED)


def today() -> date:
    return timezone.localdate()


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


# --- Regions and versions --------------------------------------------------------------------


def regions() -> QuerySet[Region]:
    return Region.objects.select_related("parent").order_by("level", "code")


def region_by_code(code: str) -> Region:
    region = Region.objects.filter(code=str(code)[:12]).first()
    if region is None:
        raise Http404
    return region


def _visible_q(user: Any) -> Q:
    """Public versions for everyone; drafts and discarded drafts for the owner (and the city's
    drafts for the staffing office)."""
    scope = scope_for(user)
    visible = Q(status__in=PUBLIC_STATUSES)
    if scope.is_anonymous:
        return visible
    own, city_staffing = rules.draft_region_ids(scope)
    if own:
        visible |= Q(region_id__in=sorted(own))
    if city_staffing:
        visible |= Q(region__level="city", status=V.DRAFT)
    return visible


def visible_versions(user: Any, *, region: Region | None = None, status: str = "") -> QuerySet[CatalogVersion]:
    qs = CatalogVersion.objects.filter(_visible_q(user)).select_related("region")
    if region is not None:
        qs = qs.filter(region=region)
    if status in V.values:
        qs = qs.filter(status=status)
    return qs.order_by("region__level", "region__code", "-number")


def version_for(user: Any, pk: Any) -> CatalogVersion:
    version = visible_versions(user).filter(pk=_int(pk)).first()
    if version is None:
        raise Http404
    return version


def version_by_number(user: Any, region_code: str, number: Any) -> CatalogVersion:
    version = visible_versions(user).filter(region__code=str(region_code)[:12], number=_int(number)).first()
    if version is None:
        raise Http404
    return version


def workspace_versions(user: Any) -> QuerySet[CatalogVersion]:
    """What a finance bureau or the staffing office works on: its regions' versions, every state."""
    scope = scope_for(user)
    own, city_staffing = rules.draft_region_ids(scope)
    match = Q(region_id__in=sorted(own))
    if city_staffing:
        match |= Q(region__level="city")
    return (
        CatalogVersion.objects.filter(match)
        .filter(_visible_q(user))
        .select_related("region")
        .order_by("region__level", "region__code", "-number")
    )


def effective_version(region: Region, on_date: date | None = None) -> CatalogVersion | None:
    """The region's own version in effect on the date; a district without one follows the city."""
    on_date = on_date or today()
    found = (
        CatalogVersion.objects.filter(region=region, status__in=PUBLIC_STATUSES, effective_from__lte=on_date)
        .select_related("region")
        .order_by("-effective_from", "-number")
        .first()
    )
    if found is None and region.parent_id is not None:
        return effective_version(region.parent, on_date) if region.parent else None
    return found


def own_effective_version(region: Region, on_date: date | None = None) -> CatalogVersion | None:
    return (
        CatalogVersion.objects.filter(region=region, status__in=PUBLIC_STATUSES, effective_from__lte=on_date or today())
        .select_related("region")
        .order_by("-effective_from", "-number")
        .first()
    )


def latest_published(region: Region) -> CatalogVersion | None:
    return CatalogVersion.objects.filter(region=region, status=V.PUBLISHED).order_by("-number").first()


def upcoming_version(region: Region, on_date: date | None = None) -> CatalogVersion | None:
    """A published version that takes effect later, announced on the public page."""
    return (
        CatalogVersion.objects.filter(region=region, status=V.PUBLISHED, effective_from__gt=on_date or today())
        .order_by("effective_from")
        .first()
    )


def public_history(region: Region) -> QuerySet[CatalogVersion]:
    return (
        CatalogVersion.objects.filter(region=region, status__in=PUBLIC_STATUSES)
        .select_related("region", "diff_against")
        .order_by("-number")
    )


def public_index() -> list[dict[str, Any]]:
    """Each region with the version in effect today (a district may follow the city)."""
    on = today()
    current: dict[int, CatalogVersion] = {}
    for version in (
        CatalogVersion.objects.filter(status__in=PUBLIC_STATUSES, effective_from__lte=on)
        .select_related("region")
        .order_by("region_id", "-effective_from", "-number")
    ):
        current.setdefault(version.region_id, version)
    rows = []
    for region in regions():
        own = current.get(region.pk)
        follows = current.get(region.parent_id) if own is None and region.parent_id else None
        rows.append({"region": region, "version": own, "follows": follows})
    return rows


# --- Items and trees -------------------------------------------------------------------------


def items_of(version: CatalogVersion) -> list[CatalogItem]:
    return list(CatalogItem.objects.filter(version=version).order_by("position", "pk"))


def items_with_parent_codes(version: CatalogVersion) -> list[CatalogItem]:
    """Items with `parent_code` set, for exports and the API, in one query."""
    items = items_of(version)
    codes = {i.pk: i.code for i in items}
    for item in items:
        item.parent_code = codes.get(item.parent_id, "") if item.parent_id else ""  # type: ignore[attr-defined]
    return items


def item_facts(version: CatalogVersion | None) -> list[rules.ItemFacts]:
    if version is None:
        return []
    rows = CatalogItem.objects.filter(version=version).values_list(
        "code", "parent__code", "level", "name_zh", "name_en", "is_priority", "procurement_code", "description"
    )
    return [
        rules.ItemFacts(
            code=code,
            parent_code=parent or "",
            level=level,
            name_zh=name_zh,
            name_en=name_en,
            is_priority=is_priority,
            procurement_code=procurement_code,
            description=description,
        )
        for code, parent, level, name_zh, name_en, is_priority, procurement_code, description in rows
    ]


def diff_versions(old: CatalogVersion | None, new: CatalogVersion) -> dict[str, Any]:
    return rules.diff_items(item_facts(old), item_facts(new))


@dataclass
class Node:
    item: CatalogItem
    parent_code: str = ""
    children: list[Node] = field(default_factory=list)
    matched: bool = False


def _matches(item: CatalogItem, term: str, simplified: str) -> bool:
    lowered = term.lower()
    return (
        item.code.lower() == lowered
        or item.code.lower().startswith(lowered)
        or (bool(simplified) and simplified in item.name_zh)
        or term in item.name_zh_hant
        or term in item.name_zh
        or lowered in item.name_en.lower()
        or (bool(item.description) and (simplified in item.description or term in item.description))
    )


def tree(items: Sequence[CatalogItem], q: str = "") -> tuple[list[Node], int]:
    """The item tree; with a query, only matching items and their ancestors. Returns the roots
    and the number of matches. A query in Traditional Chinese finds Simplified names too."""
    nodes = {item.pk: Node(item=item) for item in items}
    roots: list[Node] = []
    for item in items:
        node = nodes[item.pk]
        parent = nodes.get(item.parent_id) if item.parent_id else None
        if parent is None:
            roots.append(node)
        else:
            node.parent_code = parent.item.code
            parent.children.append(node)
    term = q.strip()[:100]
    if not term:
        return roots, len(items)
    simplified = to_simplified(term)
    matches = 0
    for node in nodes.values():
        node.matched = _matches(node.item, term, simplified)
        matches += node.matched

    def prune(branch: list[Node]) -> list[Node]:
        kept = []
        for node in branch:
            node.children = prune(node.children)
            if node.matched or node.children:
                kept.append(node)
        return kept

    return prune(roots), matches


def item_in(version: CatalogVersion, code: str) -> CatalogItem:
    item = CatalogItem.objects.filter(version=version, code=str(code)[:32]).select_related("parent").first()
    if item is None:
        raise Http404
    return item


def item_for(user: Any, pk: Any) -> CatalogItem:
    item = (
        CatalogItem.objects.filter(pk=_int(pk), version__in=visible_versions(user))
        .select_related("parent", "version__region")
        .first()
    )
    if item is None:
        raise Http404
    return item


def ancestors(item: CatalogItem) -> list[CatalogItem]:
    chain: list[CatalogItem] = []
    parent_id = item.parent_id
    by_id = {i.pk: i for i in CatalogItem.objects.filter(version_id=item.version_id, level__lt=item.level)}
    while parent_id is not None and parent_id in by_id:
        chain.insert(0, by_id[parent_id])
        parent_id = by_id[parent_id].parent_id
    return chain


def versions_with_item(region: Region, code: str) -> QuerySet[CatalogVersion]:
    return public_history(region).filter(items__code=code)


# --- Negative list and purchasability --------------------------------------------------------


def negative_matters(*, active_only: bool = False) -> QuerySet[NegativeListMatter]:
    qs = NegativeListMatter.objects.all()
    return qs.filter(is_active=True) if active_only else qs


def matter_facts() -> list[rules.MatterFacts]:
    return [
        rules.MatterFacts(code=m.code, name_zh=m.name_zh, legal_basis_zh=m.legal_basis_zh, terms=tuple(m.terms_zh))
        for m in negative_matters(active_only=True)
    ]


def matter_for(user: Any, pk: Any) -> NegativeListMatter:
    matter = NegativeListMatter.objects.filter(pk=_int(pk)).first()
    if matter is None:
        raise Http404
    return matter


def negative_match_for(
    names: Iterable[str], matters: Sequence[rules.MatterFacts] | None = None
) -> rules.MatterFacts | None:
    """The matter whose term appears in one of the names, normalised (NFKC, invisible characters
    removed, Traditional as Simplified), or None."""
    return rules.negative_match(list(names), matter_facts() if matters is None else matters, simplify=to_simplified)


def negative_findings_for(fields: dict[str, str]) -> list[rules.NegativeFinding]:
    """Matches and near-misses of the negative list in the named fields (see rules.negative_findings)."""
    return rules.negative_findings(fields, matter_facts(), simplify=to_simplified)


def is_purchasable(
    item: CatalogItem, region: Region, on_date: date | None = None, *, approved_outside_catalog: bool = False
) -> rules.Purchasability:
    """May a purchaser of `region` buy `item` on `on_date`? Yes when the item (matched by code) is
    in the catalog in effect there and then and is not a negative-list matter. Outside the
    catalog only with the finance bureau's approval (Beijing 2014); a negative-list matter never."""
    version = effective_version(region, on_date)
    current = None
    if version is not None:
        current = (
            item
            if item.version_id == version.pk
            else CatalogItem.objects.filter(version=version, code=item.code).first()
        )
    names = [item.name_zh, item.name_en] if current is None else [current.name_zh, current.name_en]
    return rules.decide_purchasable(
        item_code=item.code,
        version_id=version.pk if version is not None else None,
        in_catalog=current is not None,
        matter=negative_match_for(names),
        approved_outside_catalog=approved_outside_catalog,
    )


# --- Filings, comments, imports --------------------------------------------------------------


def _filings_q(user: Any) -> Q | None:
    scope = scope_for(user)
    if scope.is_anonymous:
        return None
    if rules.is_city_finance(scope):
        return Q()
    own = frozenset(m.region_id for m in scope.memberships if m.kind == rules.FINANCE)
    return Q(region_id__in=sorted(own)) if own else None


def visible_filings(user: Any, *, status: str = "") -> QuerySet[Filing]:
    match = _filings_q(user)
    if match is None:
        return Filing.objects.none()
    qs = Filing.objects.filter(match).select_related("region", "catalog", "submitted_by_org", "submitted_by")
    if status in Filing.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("-submitted_at", "-pk")


def filing_for(user: Any, pk: Any) -> Filing:
    filing = visible_filings(user).select_related("city_version", "decided_by").filter(pk=_int(pk)).first()
    if filing is None:
        raise Http404
    return filing


def filings_of_version(user: Any, version: CatalogVersion) -> QuerySet[Filing]:
    return visible_filings(user).filter(catalog=version)


def filing_history(filing: Filing) -> list[AuditEvent]:
    """The audit events of one filing, each with its sentence: both sides see every step."""
    from govbuy.audit.describe import describe
    from govbuy.audit.selectors import actor_names

    events = list(
        AuditEvent.objects.filter(object_type="catalog.filing", object_id=str(filing.pk)).order_by("position")
    )
    names = actor_names(events)
    for event in events:
        event.description = describe(event, names)  # type: ignore[attr-defined]
    return events


def filings_waiting(user: Any, limit: int = 20) -> tuple[list[Filing], int]:
    if not rules.is_city_finance(scope_for(user)):
        return [], 0
    qs = visible_filings(user, status=Filing.Status.SUBMITTED).order_by("submitted_at", "pk")
    return list(qs[:limit]), qs.count()


def returned_filings(user: Any, limit: int = 20) -> tuple[list[Filing], int]:
    """Returned filings of the user's district whose version has not been filed again since."""
    scope = scope_for(user)
    own = frozenset(m.region_id for m in scope.memberships if m.kind == rules.FINANCE and m.region_level == "district")
    if not own:
        return [], 0
    refiled = Filing.objects.filter(region_id=OuterRef("region_id"), submitted_at__gt=OuterRef("submitted_at"))
    qs = (
        Filing.objects.filter(region_id__in=sorted(own), status=Filing.Status.RETURNED)
        .exclude(Exists(refiled))
        .select_related("region", "catalog")
        .order_by("-decided_at", "-pk")
    )
    return list(qs[:limit]), qs.count()


def drafts_awaiting_comment(user: Any, limit: int = 20) -> list[CatalogVersion]:
    if not rules.is_city_staffing(scope_for(user)):
        return []
    return list(
        CatalogVersion.objects.filter(region__level="city", status=V.DRAFT)
        .select_related("region")
        .annotate(comment_count=Count("comments"))
        .order_by("-updated_at")[:limit]
    )


def comments_of(user: Any, version: CatalogVersion) -> QuerySet[DraftComment]:
    """Comments are part of the compiling work: the owner and the staffing office see them."""
    scope = scope_for(user)
    if not rules.sees_drafts(scope, region_id=version.region_id, region_level=version.region.level):
        return DraftComment.objects.none()
    return (
        DraftComment.objects.filter(catalog=version)
        .select_related("author", "organisation")
        .order_by("created_at", "pk")
    )


def import_job_for(user: Any, pk: Any) -> ImportJob:
    scope = scope_for(user)
    job = ImportJob.objects.select_related("region", "catalog").filter(pk=_int(pk)).first()
    if job is None or not (
        job.requested_by_id == scope.user_id or rules.owns_region_catalog(scope, job.region_id, write=False)
    ):
        raise Http404
    return job
