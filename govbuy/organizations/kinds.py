"""The families of organisation kinds and the roles that write, in one place: the scope, the
rules of every app and the pages read them from here (no app defines its own copy)."""

from __future__ import annotations

from enum import StrEnum

from govbuy.organizations.models import Membership
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

# Roles that act for their organisation; `read_only` members (audit and supervision staff, a
# purchaser's observer) read what their organisation reads and change nothing.
WRITE_ROLES = frozenset({Membership.Role.ADMIN, Membership.Role.STAFF, Membership.Role.APPROVER})
