"""What a signed-in user may see on the staff side.

The city's finance bureau (and other city-level oversight bodies) sees every district; a
district's sees its own; a purchaser, provider or evaluator sees its own organisation. Every
staff-side selector starts from a Scope, and anything outside it is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db.models import Q

from govbuy.organizations.kinds import PROVIDER_KINDS, PURCHASER_KINDS, REGION_WIDE_KINDS, WRITE_ROLES
from govbuy.organizations.models import Membership, Organisation, OrganisationKind, Region

FINANCE = OrganisationKind.FINANCE_BUREAU
CITY = Region.Level.CITY
# "Every row", as a condition that survives an OR: Django drops an empty Q() from `Q() | other`,
# which turned the city's reach into nothing as soon as a selector added another way in.
EVERYTHING = Q(pk__isnull=False)


class MembershipRow(NamedTuple):
    """One active membership of the user, with what scoping needs of its organisation."""

    organisation_id: int
    kind: str
    role: str
    region_id: int
    region_level: str

    @property
    def writes(self) -> bool:
        return self.role in WRITE_ROLES


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    is_platform_admin: bool = False
    all_regions: bool = False
    region_ids: frozenset[int] = frozenset()
    organisation_ids: frozenset[int] = frozenset()
    memberships: tuple[MembershipRow, ...] = field(default_factory=tuple)

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    def kinds(self) -> frozenset[str]:
        return frozenset(m.kind for m in self.memberships)

    def has_kind(self, *kinds: str) -> bool:
        return any(m.kind in kinds for m in self.memberships)

    def has_role(self, kind: str, *roles: str) -> bool:
        return any(m.kind == kind and m.role in roles for m in self.memberships)

    @property
    def is_purchaser(self) -> bool:
        return any(m.kind in PURCHASER_KINDS for m in self.memberships)

    @property
    def is_provider(self) -> bool:
        return any(m.kind in PROVIDER_KINDS for m in self.memberships)

    @property
    def is_oversight(self) -> bool:
        return any(m.kind in REGION_WIDE_KINDS for m in self.memberships)

    def is_city_finance(self) -> bool:
        return any(m.kind == FINANCE and m.region_level == CITY for m in self.memberships)

    # --- Acting for an organisation ---------------------------------------------------------------

    def writes_for(self, organisation_id: int | None) -> bool:
        """The user acts for this organisation (a write role in it), whatever its kind."""
        return any(m.organisation_id == organisation_id and m.writes for m in self.memberships)

    def written_organisations(self, kinds: frozenset[str] | None = None) -> list[int]:
        """Ids of the organisations the user acts for, optionally only of these kinds, in id order."""
        return [m.organisation_id for m in self.memberships if m.writes and (kinds is None or m.kind in kinds)]

    def acting_providers(self) -> list[int]:
        """The providers the user may bid, ask or deliver for: a write role in a provider kind."""
        return self.written_organisations(PROVIDER_KINDS)

    def acting_provider(self, requested: int | None = None) -> int | None:
        """The provider the user acts for: the one requested, if the user may act for it, or the
        user's first provider when none is requested. None when the user acts for no provider (or
        not for the one requested), which callers answer with a 404."""
        own = self.acting_providers()
        if requested is None:
            return own[0] if own else None
        return requested if requested in own else None

    def finance_memberships(self, *, write: bool = False) -> list[MembershipRow]:
        """The user's memberships of finance bureaus (only those with a write role when `write`)."""
        return [m for m in self.memberships if m.kind == FINANCE and (m.writes or not write)]

    def is_finance(self, *, write: bool = False) -> bool:
        return bool(self.finance_memberships(write=write))

    def finance_of(self, region_id: int, *, write: bool = True) -> MembershipRow | None:
        """The finance-bureau membership through which the user acts on a matter of `region_id`:
        that region's own bureau first, else the city's (which guides every district)."""
        rows = self.finance_memberships(write=write)
        own = next((m for m in rows if m.region_id == region_id), None)
        return own or next((m for m in rows if m.region_level == CITY), None)

    def sees_region(self, region_id: int) -> bool:
        return self.all_regions or region_id in self.region_ids

    def sees_organisation(self, organisation: Organisation) -> bool:
        return organisation.pk in self.organisation_ids or self.sees_region(organisation.region_id)

    def organisations_q(self) -> Q:
        """Filter for the Organisation table: own organisations, or any in a visible region."""
        if self.all_regions:
            return EVERYTHING
        return Q(pk__in=list(self.organisation_ids)) | Q(region_id__in=list(self.region_ids))

    def owned_q(self, organisation_path: str = "organisation") -> Q:
        """Filter for rows that belong to an organisation through `organisation_path` (a FK)."""
        if self.all_regions:
            return EVERYTHING
        return Q(**{f"{organisation_path}_id__in": list(self.organisation_ids)}) | Q(
            **{f"{organisation_path}__region_id__in": list(self.region_ids)}
        )


ANONYMOUS = Scope(user_id=None)
# The system itself (data loaders, jobs acting for a recorded requester): sees and may do everything.
SYSTEM_SCOPE = Scope(user_id=None, is_platform_admin=True, all_regions=True)


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
        MembershipRow(
            m.organisation_id, m.organisation.kind, m.role, m.organisation.region_id, m.organisation.region.level
        )
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
        organisation_ids=frozenset(m.organisation_id for m in memberships),
        memberships=memberships,
    )
    user._govbuy_scope = scope
    return scope


def forget_scope(user: Any) -> None:
    """Drop the cached scope after the user's memberships changed within the same request."""
    if user is not None and hasattr(user, "_govbuy_scope"):
        del user._govbuy_scope
