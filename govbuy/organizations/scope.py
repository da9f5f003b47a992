"""What a signed-in user may see on the staff side.

The city's finance bureau (and other city-level oversight bodies) sees every district; a
district's sees its own; a purchaser, provider or evaluator sees its own organisation. Every
staff-side selector starts from a Scope, and anything outside it is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from govbuy.organizations.models import Membership, Organisation, Region
from govbuy.organizations.rules import PROVIDER_KINDS, PURCHASER_KINDS, REGION_WIDE_KINDS


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    is_platform_admin: bool = False
    all_regions: bool = False
    region_ids: frozenset[int] = frozenset()
    organisation_ids: frozenset[int] = frozenset()
    # (organisation_id, kind, role, region_id, region_level) for each active membership
    memberships: tuple[tuple[int, str, str, int, str], ...] = field(default_factory=tuple)

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    def kinds(self) -> frozenset[str]:
        return frozenset(m[1] for m in self.memberships)

    def has_kind(self, *kinds: str) -> bool:
        return any(m[1] in kinds for m in self.memberships)

    def has_role(self, kind: str, *roles: str) -> bool:
        return any(m[1] == kind and m[2] in roles for m in self.memberships)

    @property
    def is_purchaser(self) -> bool:
        return any(m[1] in PURCHASER_KINDS for m in self.memberships)

    @property
    def is_provider(self) -> bool:
        return any(m[1] in PROVIDER_KINDS for m in self.memberships)

    @property
    def is_oversight(self) -> bool:
        return any(m[1] in REGION_WIDE_KINDS for m in self.memberships)

    def is_city_finance(self) -> bool:
        return any(m[1] == "finance_bureau" and m[4] == "city" for m in self.memberships)

    def sees_region(self, region_id: int) -> bool:
        return self.all_regions or region_id in self.region_ids

    def sees_organisation(self, organisation: Organisation) -> bool:
        return organisation.pk in self.organisation_ids or self.sees_region(organisation.region_id)

    def organisations_q(self) -> Q:
        """Filter for the Organisation table: own organisations, or any in a visible region."""
        if self.all_regions:
            return Q()
        return Q(pk__in=list(self.organisation_ids)) | Q(region_id__in=list(self.region_ids))

    def owned_q(self, organisation_path: str = "organisation") -> Q:
        """Filter for rows that belong to an organisation through `organisation_path` (a FK)."""
        if self.all_regions:
            return Q()
        return Q(**{f"{organisation_path}_id__in": list(self.organisation_ids)}) | Q(
            **{f"{organisation_path}__region_id__in": list(self.region_ids)}
        )


ANONYMOUS = Scope(user_id=None)


def scope_for(user: Any) -> Scope:
    """Build the scope once per request (cached on the user object)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_govbuy_scope", None)
    if cached is not None:
        return cached
    rows = (
        Membership.objects.filter(user_id=user.pk, is_active=True, organisation__status=Organisation.Status.ACTIVE)
        .select_related("organisation__region")
        .order_by("organisation_id")
    )
    memberships = tuple(
        (m.organisation_id, m.organisation.kind, m.role, m.organisation.region_id, m.organisation.region.level)
        for m in rows
    )
    all_regions = bool(getattr(user, "is_superuser", False))
    region_ids: set[int] = set()
    for _org, kind, _role, region_id, level in memberships:
        if kind in REGION_WIDE_KINDS:
            if level == Region.Level.CITY:
                all_regions = True
            else:
                region_ids.add(region_id)
    scope = Scope(
        user_id=user.pk,
        is_platform_admin=bool(getattr(user, "is_superuser", False)),
        all_regions=all_regions,
        region_ids=frozenset(region_ids),
        organisation_ids=frozenset(m[0] for m in memberships),
        memberships=memberships,
    )
    user._govbuy_scope = scope
    return scope


def forget_scope(user: Any) -> None:
    """Drop the cached scope after the user's memberships changed within the same request."""
    if user is not None and hasattr(user, "_govbuy_scope"):
        del user._govbuy_scope
