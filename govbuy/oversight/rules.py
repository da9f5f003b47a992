"""Pure decisions of monitoring: the case transitions, who acts for the body and for the
purchaser, the reach of a body, and the working-day deadlines. No queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from govbuy.core.calendar.rules import WorkingCalendar
from govbuy.core.errors import TransitionRefused, ValidationFailed
from govbuy.organizations.models import OrganisationKind as K
from govbuy.organizations.scope import MembershipRow, Scope

# The bodies the seed makes responsible for supervising purchases of services (§四.一, §四.二).
MONITORING_KINDS = frozenset({K.FINANCE_BUREAU, K.AUDIT_OFFICE, K.SUPERVISION})

TRANSITIONS: dict[str, frozenset[str]] = {
    "active": frozenset({"no_violation", "violation"}),
    "no_violation": frozenset({"closed"}),
    "violation": frozenset({"remedy_reported"}),
    "remedy_reported": frozenset({"closed"}),
    "closed": frozenset(),
}
# Each service → the transition it makes (None: no change of status).
ACTIONS: dict[str, tuple[str, str] | None] = {
    "conclude_no_violation": ("active", "no_violation"),
    "conclude_violation": ("active", "violation"),
    "report_remedy": ("violation", "remedy_reported"),
    "close_after_no_violation": ("no_violation", "closed"),
    "close_after_remedy": ("remedy_reported", "closed"),
}
ANSWER_DAYS_MIN, ANSWER_DAYS_MAX = 3, 15  # Prozorro gives the buyer a few working days to answer
REMEDY_DAYS_MIN, REMEDY_DAYS_MAX = 5, 60
TEXT_LIMIT = 4000


def check_transition(before: str, after: str) -> None:
    if after not in TRANSITIONS.get(before, frozenset()):
        raise TransitionRefused(
            _("A monitoring case cannot move from “%(before)s” to “%(after)s”.") % {"before": before, "after": after}
        )


def body_membership(scope: Scope, region_id: int) -> MembershipRow | None:
    """The membership through which the user monitors a matter of `region_id`: a monitoring body of
    that region first, else the city's (which supervises every district); None outside its reach.
    Audit and supervision staff hold read-only roles in the processes they watch; the case is
    their body's own work, so any role in the body acts on it."""
    rows = [m for m in scope.memberships if m.kind in MONITORING_KINDS]
    own = next((m for m in rows if m.region_id == region_id), None)
    return own or next((m for m in rows if m.region_level == "city"), None)


def acts_for_body(scope: Scope, body_id: int) -> bool:
    return any(m.organisation_id == body_id and m.kind in MONITORING_KINDS for m in scope.memberships)


def acts_for_purchaser(scope: Scope, purchaser_id: int) -> bool:
    return scope.writes_for(purchaser_id)


def text(value: Any, field: str, message: Any) -> str:
    """A required text of at most TEXT_LIMIT characters (the reasons of every decision)."""
    cleaned = str(value or "").strip()
    if not cleaned or len(cleaned) > TEXT_LIMIT:
        raise ValidationFailed(message, fields={field: [message]})
    return cleaned


def days(value: Any, field: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not low <= number <= high:
        message = _("Give between %(low)s and %(high)s working days.") % {"low": low, "high": high}
        raise ValidationFailed(message, fields={field: [message]})
    return number


def due_on(start: dt.datetime, working_days: int, calendar: WorkingCalendar) -> dt.date:
    return calendar.add_working_days(start, working_days)


def make_reference(year: int, pk: int) -> str:
    return f"JD-{year}-{pk:06d}"
