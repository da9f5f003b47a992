"""Pure decisions about organisations: which kinds are purchasers, providers or oversight
bodies, and which are excluded by Order 102 Art. 8. No queries here."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from govbuy.core.errors import TransitionRefused, ValidationFailed
from govbuy.organizations.kinds import (
    EXCLUDED_KINDS,
    OVERSIGHT_KINDS,
    PROVIDER_KINDS,
    PURCHASER_KINDS,
    WRITE_ROLES,
    Family,
)
from govbuy.organizations.models import Membership, Organisation
from govbuy.organizations.models import OrganisationKind as K

if TYPE_CHECKING:
    from govbuy.organizations.scope import Scope


ART8_REFUSAL = _(
    "Under Order 102 Art. 8, first-class public-welfare institutions and fully budget-funded mass "
    "organisations under institutional staffing may be neither purchaser nor provider of "
    "government-purchased services."
)


def family_of(kind: str) -> Family:
    if kind in PURCHASER_KINDS:
        return Family.PURCHASER
    if kind in PROVIDER_KINDS:
        return Family.PROVIDER
    if kind in OVERSIGHT_KINDS:
        return Family.OVERSIGHT
    if kind in EXCLUDED_KINDS:
        return Family.EXCLUDED
    raise ValidationFailed(
        _("Unknown organisation kind “%(kind)s”.") % {"kind": kind}, fields={"kind": [_("Unknown kind.")]}
    )


def check_kind_allowed(kind: str) -> Family:
    """Refuse the Art. 8 exclusions with the reason; return the kind's family otherwise."""
    family = family_of(kind)
    if family is Family.EXCLUDED:
        raise ValidationFailed(ART8_REFUSAL, code="excluded_by_art8", fields={"kind": [ART8_REFUSAL]})
    return family


def family_label(family: Family) -> object:
    return {
        Family.PURCHASER: _("purchaser"),
        Family.PROVIDER: _("provider"),
        Family.OVERSIGHT: _("oversight body"),
        Family.EXCLUDED: _("excluded by Order 102 Art. 8"),
    }[family]


FAMILY_KINDS: dict[str, frozenset[str]] = {
    Family.PURCHASER: PURCHASER_KINDS,
    Family.PROVIDER: PROVIDER_KINDS,
    Family.OVERSIGHT: OVERSIGHT_KINDS,
}


def check_uscc_presence(kind: str, has_code: bool) -> None:
    """Individuals are identified by other means and hold no code; every other kind needs one."""
    if kind == K.INDIVIDUAL and has_code:
        message = _("An individual has no unified social credit code; leave the field empty.")
        raise ValidationFailed(message, code="uscc_not_for_individual", fields={"uscc": [message]})
    if kind != K.INDIVIDUAL and not has_code:
        message = _("Enter the unified social credit code.")
        raise ValidationFailed(message, code="uscc_required", fields={"uscc": [message]})


# --- Regions ---------------------------------------------------------------------------------

_DIVISION_CODE = re.compile(r"^[1-9][0-9]{5}$")


def division_prefix(city_code: str) -> str:
    """The part of a city's division code its districts share: 110000 → 11, 350100 → 3501."""
    prefix = city_code
    while prefix.endswith("00") and len(prefix) > 2:
        prefix = prefix[:-2]
    return prefix


def check_region(*, code: str, level: str, city_code: str | None) -> None:
    """A city has no parent and is the only one; a district's code lies inside the city's."""
    if not _DIVISION_CODE.match(code):
        message: Any = _("An administrative division code has six digits, for example 110105.")
        raise ValidationFailed(message, code="region_code", fields={"code": [message]})
    if level == "city":
        if city_code is not None:
            message = _("This installation already has its city (%(code)s); add districts to it.") % {"code": city_code}
            raise ValidationFailed(message, code="region_city_exists", fields={"level": [message]})
        if not code.endswith("00"):
            message = _("A city's division code ends in 00.")
            raise ValidationFailed(message, code="region_code", fields={"code": [message]})
        return
    if level != "district":
        message = _("Choose city or district.")
        raise ValidationFailed(message, code="region_level", fields={"level": [message]})
    if city_code is None:
        message = _("Create the city first; every district belongs to it.")
        raise ValidationFailed(message, code="region_no_city", fields={"level": [message]})
    prefix = division_prefix(city_code)
    if not code.startswith(prefix) or code == city_code:
        message = _("A district of %(city)s has a code starting with %(prefix)s and different from the city's.") % {
            "city": city_code,
            "prefix": prefix,
        }
        raise ValidationFailed(message, code="region_code", fields={"code": [message]})


# --- Who may do what ---------------------------------------------------------------------------
# Decisions take the actor's Scope (built once per request) and plain facts about the target, so
# they stay pure and each can be tested as a table.

# Which registration authority looks at the USCC doubts of which kinds (seed §四.二): civil
# affairs registers social organisations, market regulation registers businesses, and the finance
# bureau, which registers the purchasers and oversight bodies, looks at the rest.
VERIFIER_FOR_KIND: dict[str, str] = {
    K.SOCIAL_GROUP: K.CIVIL_AFFAIRS,
    K.SOCIAL_SERVICE_ORGANISATION: K.CIVIL_AFFAIRS,
    K.FOUNDATION: K.CIVIL_AFFAIRS,
    K.GRASSROOTS_SELF_GOVERNING: K.CIVIL_AFFAIRS,
    K.ENTERPRISE: K.MARKET_REGULATION,
    K.INDIVIDUAL_BUSINESS: K.MARKET_REGULATION,
    K.THIRD_PARTY_EVALUATOR: K.MARKET_REGULATION,
}
VERIFIER_KINDS = frozenset({K.CIVIL_AFFAIRS, K.MARKET_REGULATION, K.FINANCE_BUREAU})


def verifier_kind_for(kind: str) -> str:
    return VERIFIER_FOR_KIND.get(kind, K.FINANCE_BUREAU)


def kinds_verified_by(verifier_kind: str) -> frozenset[str]:
    every = PURCHASER_KINDS | PROVIDER_KINDS | OVERSIGHT_KINDS
    return frozenset(k for k in every if verifier_kind_for(k) == verifier_kind)


def _reach(scope: Scope, kind: str, roles: frozenset[str]) -> tuple[bool, frozenset[int]]:
    """(whole city, district ids) over which the actor acts for an organisation of `kind`."""
    everywhere = False
    regions: set[int] = set()
    for _org, member_kind, role, region_id, level in scope.memberships:
        if member_kind == kind and role in roles:
            if level == "city":
                everywhere = True
            else:
                regions.add(region_id)
    return everywhere, frozenset(regions)


def _reaches(scope: Scope, kind: str, region_id: int, roles: frozenset[str] = WRITE_ROLES) -> bool:
    everywhere, regions = _reach(scope, kind, roles)
    return everywhere or region_id in regions


def may_register(scope: Scope, *, kind: str, region_id: int, region_level: str) -> bool:
    """Platform admins register anything; a finance bureau registers purchasers and oversight
    bodies in its own region (the city's anywhere). A district finance bureau is registered by the
    city's. Providers register themselves (a later feature) or through a platform admin."""
    if scope.is_platform_admin:
        return True
    if kind in EXCLUDED_KINDS or kind in PROVIDER_KINDS:
        return False
    if kind == K.FINANCE_BUREAU:
        return region_level == "district" and _reaches(scope, K.FINANCE_BUREAU, region_id) and scope.is_city_finance()
    return _reaches(scope, K.FINANCE_BUREAU, region_id)


def may_manage(scope: Scope, *, kind: str, region_id: int, region_level: str) -> bool:
    """Change kind or region, deactivate or reactivate: whoever could register it."""
    return may_register(scope, kind=kind, region_id=region_id, region_level=region_level)


def is_admin_of(scope: Scope, organisation_id: int) -> bool:
    return any(m.organisation_id == organisation_id and m.role == Membership.Role.ADMIN for m in scope.memberships)


def may_edit(scope: Scope, *, organisation_id: int, kind: str, region_id: int, region_level: str) -> bool:
    """Names and code: the organisation's own administrator, or whoever manages it."""
    return is_admin_of(scope, organisation_id) or may_manage(
        scope, kind=kind, region_id=region_id, region_level=region_level
    )


def may_manage_members(scope: Scope, *, organisation_id: int, kind: str, region_id: int, region_level: str) -> bool:
    """The organisation's administrator, a platform admin, or the finance bureau that registers
    organisations of this kind in this region (so a new purchaser gets its first administrator)."""
    return is_admin_of(scope, organisation_id) or may_manage(
        scope, kind=kind, region_id=region_id, region_level=region_level
    )


def may_review_uscc(scope: Scope, *, kind: str, region_id: int) -> bool:
    if scope.is_platform_admin:
        return True
    return _reaches(scope, verifier_kind_for(kind), region_id)


def is_uscc_verifier(scope: Scope) -> bool:
    return scope.is_platform_admin or any(m.kind in VERIFIER_KINDS and m.writes for m in scope.memberships)


def sees_uscc_warnings(scope: Scope) -> bool:
    """The doubts about a code are for oversight roles, who verify and follow them."""
    return scope.is_platform_admin or scope.is_oversight


def review_kinds(scope: Scope) -> dict[str, tuple[bool, frozenset[int]]]:
    """For the verifier's to-do list: per organisation kind, where the actor reviews it."""
    out: dict[str, tuple[bool, frozenset[int]]] = {}
    for verifier in VERIFIER_KINDS:
        everywhere, regions = _reach(scope, verifier, WRITE_ROLES)
        if everywhere or regions:
            for kind in kinds_verified_by(verifier):
                out[kind] = (everywhere, regions)
    return out


def check_last_admin(*, remaining_admins: int, actor_is_platform_admin: bool) -> None:
    """An organisation keeps at least one administrator, or nobody could manage its members."""
    if remaining_admins < 1 and not actor_is_platform_admin:
        raise ValidationFailed(
            _("An organisation must keep at least one administrator. Make someone else administrator first."),
            code="last_admin",
            fields={"role": [_("This is the last administrator.")]},
        )


# --- Status ------------------------------------------------------------------------------------

STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    "active": frozenset({"inactive"}),
    "inactive": frozenset({"active"}),
}


def check_status_transition(before: str, after: str) -> None:
    if after not in STATUS_TRANSITIONS.get(before, frozenset()):
        labels = dict(Organisation.Status.choices)
        raise TransitionRefused(
            _("An organisation that is %(before)s cannot become %(after)s.")
            % {"before": labels.get(before, before), "after": labels.get(after, after)}
        )


# --- Address and contacts (printed in public notices) ----------------------------------------

CONTACT_FIELDS = ("address", "postcode", "contact_person", "phone", "email")
POSTCODE = re.compile(r"[0-9]{6}")
# A landline with area code ("010-6512 3456"), a mobile ("138 0013 8000"), with an extension
# ("010-65123456转801") or an international prefix.
PHONE = re.compile(r"\+?[0-9][0-9 ()\-]{5,30}(转[0-9]{1,6})?")


def contact_errors(*, postcode: str, phone: str, email: str) -> dict[str, list[Any]]:
    """The fields of an address-and-contacts entry that are malformed (blank is allowed: an
    organisation may not have filled them in yet), with the reason for each."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    errors: dict[str, list[Any]] = {}
    if postcode and not POSTCODE.fullmatch(postcode):
        errors["postcode"] = [_("A postcode is six digits.")]
    if phone and not PHONE.fullmatch(phone):
        errors["phone"] = [_("Enter a telephone number of digits, with the area code (e.g. 010-6512 3456).")]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Enter a valid e-mail address.")]
    return errors
