"""Pure decisions of the statistics: how provider kinds group, when a payment is late, how rates
and savings are computed, and which year a request names. No queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from govbuy.core.errors import ValidationFailed
from govbuy.organizations.models import OrganisationKind as K
from govbuy.organizations.models import Region
from govbuy.organizations.scope import Scope
from govbuy.oversight.rules import MONITORING_KINDS

# The seed wants diverse providers (§三.三): social organisations, enterprises and public
# institutions are the three families the statistics compare.
SOCIAL = "social_organisation"
ENTERPRISE = "enterprise"
INSTITUTION = "public_institution"
OTHER = "other"
KIND_GROUPS: dict[str, str] = {
    K.SOCIAL_GROUP: SOCIAL,
    K.SOCIAL_SERVICE_ORGANISATION: SOCIAL,
    K.FOUNDATION: SOCIAL,
    K.ENTERPRISE: ENTERPRISE,
    K.INDIVIDUAL_BUSINESS: ENTERPRISE,
    K.PUBLIC_INSTITUTION_CLASS2: INSTITUTION,
    K.PUBLIC_INSTITUTION_BUSINESS: INSTITUTION,
}
GROUP_LABELS = {
    SOCIAL: _("social organisations"),
    ENTERPRISE: _("enterprises"),
    INSTITUTION: _("public institutions"),
    OTHER: _("other providers"),
}
GROUPS = (SOCIAL, ENTERPRISE, INSTITUTION, OTHER)

# Regulations on Ensuring Payments to Small and Medium-sized Enterprises (2020) Art. 8: organs
# and public institutions pay for services within 30 days of their delivery (here: of the
# milestone's acceptance).
PAYMENT_DAYS = 30
# Law Art. 46: the contract is signed within 30 days of the award notice.
SIGNING_DAYS = 30
ON_TIME, LATE, OVERDUE = "on_time", "late", "overdue"
# Keys of the competition and savings measures.
TENDERS, BIDS, SINGLE = "tenders", "bids", "single"
BUDGET, AWARDED = "budget", "awarded"
ANSWERS, SATISFIED = "answers", "satisfied"
SATISFIED_FROM = 4  # the performance app's threshold: an answer's average of 4 of 5 or more
# The public sees a satisfaction rate only from this many answers (performance's own minimum).
PUBLIC_MIN_ANSWERS = 5
OUTSIDE_CATALOG = "-"
YEAR_MIN, YEAR_MAX = 2000, 2100
CITY = Region.Level.CITY

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def kind_group(kind: str) -> str:
    return KIND_GROUPS.get(kind, OTHER)


def payment_due(accepted_on: dt.date) -> dt.date:
    return accepted_on + dt.timedelta(days=PAYMENT_DAYS)


def payment_key(accepted_on: dt.date, paid_on: dt.date | None, today: dt.date) -> str | None:
    """A payment against an accepted milestone is on time or late; an unpaid one past its due
    day is overdue; an unpaid one still within the limit counts nowhere yet."""
    due = payment_due(accepted_on)
    if paid_on is None:
        return OVERDUE if today > due else None
    return ON_TIME if paid_on <= due else LATE


def answer_satisfied(ratings: Iterable[Any]) -> bool:
    values = [int(v) for v in ratings]
    return bool(values) and sum(values) / len(values) >= SATISFIED_FROM


def rate(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """A percentage with two decimals; None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, ROUND_HALF_UP)


def ratio(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(CENT, ROUND_HALF_UP)


def parse_year(value: Any) -> int | None:
    """The fiscal year a request names: blank is every year; anything but a year is refused."""
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    if not text.isdigit() or not YEAR_MIN <= int(text) <= YEAR_MAX:
        message = _("“%(value)s” is not a year; give a fiscal year such as 2026.") % {"value": text[:20]}
        raise ValidationFailed(message, code="invalid_year", fields={"year": [message]})
    return int(text)


def reach(scope: Scope) -> frozenset[int] | None:
    """The regions whose figures the user reads: None for every region (the platform
    administrator and the city's finance, audit and supervision bodies, which guide and supervise
    the districts), a district body's own district, or an empty set for anyone else."""
    monitors = [m for m in scope.memberships if m.kind in MONITORING_KINDS]
    if scope.is_platform_admin or any(m.region_level == CITY for m in monitors):
        return None
    return frozenset(m.region_id for m in monitors)


def may_refresh(scope: Scope) -> bool:
    """A finance bureau's staff (or the platform administrator) queue a rebuild; audit and
    supervision staff read the figures and change nothing."""
    return scope.is_platform_admin or any(m.kind == K.FINANCE_BUREAU and m.writes for m in scope.memberships)
