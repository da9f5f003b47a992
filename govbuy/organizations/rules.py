"""Pure decisions about organisations: which kinds are purchasers, providers or oversight
bodies, and which are excluded by Order 102 Art. 8. No queries here."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from govbuy.core.errors import ValidationFailed
from govbuy.organizations.models import OrganisationKind as K


class Family(StrEnum):
    PURCHASER = "purchaser"
    PROVIDER = "provider"
    OVERSIGHT = "oversight"
    EXCLUDED = "excluded"


PURCHASER_KINDS = frozenset(
    {K.ADMINISTRATIVE_AGENCY, K.PUBLIC_INSTITUTION_ADMINISTRATIVE, K.MASS_ORGANISATION_BUDGET_FUNDED}
)
PROVIDER_KINDS = frozenset(
    {
        K.SOCIAL_GROUP,
        K.SOCIAL_SERVICE_ORGANISATION,
        K.FOUNDATION,
        K.ENTERPRISE,
        K.INDIVIDUAL_BUSINESS,
        K.PUBLIC_INSTITUTION_CLASS2,
        K.PUBLIC_INSTITUTION_BUSINESS,
        K.RURAL_COLLECTIVE,
        K.GRASSROOTS_SELF_GOVERNING,
        K.INDIVIDUAL,
    }
)
OVERSIGHT_KINDS = frozenset(
    {
        K.FINANCE_BUREAU,
        K.STAFFING_OFFICE,
        K.CIVIL_AFFAIRS,
        K.MARKET_REGULATION,
        K.SUPERVISION,
        K.AUDIT_OFFICE,
        K.THIRD_PARTY_EVALUATOR,
    }
)
EXCLUDED_KINDS = frozenset({K.PUBLIC_INSTITUTION_CLASS1, K.MASS_ORGANISATION_INSTITUTIONAL_STAFFING})

# Oversight bodies that read across their whole region (the city's read across all districts).
# A third-party evaluator sees only what it is commissioned for, so it is not here.
REGION_WIDE_KINDS = frozenset(
    {K.FINANCE_BUREAU, K.STAFFING_OFFICE, K.CIVIL_AFFAIRS, K.MARKET_REGULATION, K.SUPERVISION, K.AUDIT_OFFICE}
)

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
