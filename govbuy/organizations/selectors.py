"""Every read of organisations, scoped to the user: outside the scope an object does not exist."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from govbuy.organizations import rules, uscc
from govbuy.organizations.kinds import EXCLUDED_KINDS, OVERSIGHT_KINDS, PROVIDER_KINDS, PURCHASER_KINDS
from govbuy.organizations.models import Membership, Organisation, OrganisationKind, Region
from govbuy.organizations.scope import scope_for

FILTER_KEYS = ("family", "kind", "region", "status", "q", "review")


def clean_filters(raw: Mapping[str, Any]) -> dict[str, str]:
    """Keep only known, well-formed filters so a bad query string narrows nothing by accident."""
    out: dict[str, str] = {}
    family = str(raw.get("family") or "")
    if family in rules.FAMILY_KINDS:
        out["family"] = family
    kind = str(raw.get("kind") or "")
    if kind in PURCHASER_KINDS | PROVIDER_KINDS | OVERSIGHT_KINDS:
        out["kind"] = kind
    region = str(raw.get("region") or "")
    if region.isdigit():
        out["region"] = region
    status = str(raw.get("status") or "")
    if status in Organisation.Status.values:
        out["status"] = status
    q = str(raw.get("q") or "").strip()
    if q:
        out["q"] = q[:100]
    if str(raw.get("review") or "") in {"1", "true", "yes"}:
        out["review"] = "1"
    return out


def visible_organisations(user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[Organisation]:
    """The organisations the user may see: providers and purchasers themselves, a district's
    oversight bodies their district, the city's all of them."""
    scope = scope_for(user)
    if scope.is_anonymous:
        return Organisation.objects.none()
    qs = Organisation.objects.filter(scope.organisations_q()).select_related("region")
    f = clean_filters(filters or {})
    if "family" in f:
        qs = qs.filter(kind__in=sorted(rules.FAMILY_KINDS[f["family"]]))
    if "kind" in f:
        qs = qs.filter(kind=f["kind"])
    if "region" in f:
        qs = qs.filter(region_id=int(f["region"]))
    if "status" in f:
        qs = qs.filter(status=f["status"])
    if "review" in f:
        qs = qs.filter(uscc_review_pending=True)
    if "q" in f:
        term = f["q"]
        code = uscc.normalise(term)
        match = Q(name_zh__icontains=term) | Q(name_en__icontains=term)
        if code:
            match |= Q(uscc__contains=code)
        qs = qs.filter(match)
    return qs.order_by("region__code", "name_zh", "pk")


def organisation_for(user: Any, pk: Any) -> Organisation:
    """One organisation the user may see, or 404 (never 403: existence is not disclosed)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    org = visible_organisations(user).filter(pk=pk).first()
    if org is None:
        raise Http404
    return org


def members_of(user: Any, organisation: Organisation) -> QuerySet[Membership]:
    """Active members, for anyone who may see the organisation; ended memberships are in the audit trail."""
    if not scope_for(user).sees_organisation(organisation):
        raise Http404
    return (
        Membership.objects.filter(organisation=organisation, is_active=True)
        .select_related("user")
        .order_by("user__username", "pk")
    )


def membership_for(user: Any, organisation: Organisation, pk: Any) -> Membership:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    membership = members_of(user, organisation).filter(pk=pk).first()
    if membership is None:
        raise Http404
    return membership


def regions(user: Any) -> QuerySet[Region]:
    """Division codes are public facts, but this staff list is for people with a role."""
    scope = scope_for(user)
    if not (scope.is_platform_admin or scope.memberships):
        return Region.objects.none()
    return Region.objects.select_related("parent").order_by("code")


def region_for(user: Any, pk: Any) -> Region:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    region = regions(user).filter(pk=pk).first()
    if region is None:
        raise Http404
    return region


def regions_for_registration(user: Any) -> QuerySet[Region]:
    """Regions in which the user may register at least one kind of organisation."""
    scope = scope_for(user)
    if scope.is_platform_admin:
        return regions(user)
    if scope.is_anonymous:
        return Region.objects.none()
    ids = [
        r.pk
        for r in Region.objects.all()
        if any(
            rules.may_register(scope, kind=kind, region_id=r.pk, region_level=r.level)
            for kind in PURCHASER_KINDS | OVERSIGHT_KINDS
        )
    ]
    return Region.objects.filter(pk__in=ids).order_by("code")


def registrable_kinds(user: Any) -> list[str]:
    """Kinds the user may register somewhere, in the order of OrganisationKind."""
    scope = scope_for(user)
    regions_list = list(Region.objects.all())
    return [
        kind
        for kind in OrganisationKind.values
        if kind not in EXCLUDED_KINDS
        and any(rules.may_register(scope, kind=kind, region_id=r.pk, region_level=r.level) for r in regions_list)
    ]


def uscc_review_queue(user: Any, limit: int = 20) -> tuple[list[Organisation], int]:
    """Organisations whose code raised doubts that this verifier has not yet looked at."""
    scope = scope_for(user)
    if scope.is_anonymous:
        return [], 0
    if scope.is_platform_admin:
        match = Q()
    else:
        by_reach: dict[tuple[bool, frozenset[int]], list[str]] = {}
        for kind, reach in rules.review_kinds(scope).items():
            by_reach.setdefault(reach, []).append(kind)
        if not by_reach:
            return [], 0
        match = Q(pk__in=[])
        for (everywhere, region_ids), kinds in by_reach.items():
            part = Q(kind__in=sorted(kinds))
            if not everywhere:
                part &= Q(region_id__in=sorted(region_ids))
            match |= part
    qs = (
        Organisation.objects.filter(match, uscc_review_pending=True)
        .select_related("region")
        .order_by("created_at", "pk")
    )
    return list(qs[:limit]), qs.count()
