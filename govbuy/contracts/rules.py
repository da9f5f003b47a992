"""Pure decisions of contracts: the status transitions, the term (Order 102 Art. 24), the
performance bond (Reg. Art. 48), amendments (Law Art. 49), the statutory clocks of signing,
publication and filing (Law Art. 46–47, Reg. Art. 50), milestones and payments. No queries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from govbuy.core.calendar.rules import TimeLimit, WorkingCalendar, local_date
from govbuy.core.errors import TransitionRefused, ValidationFailed
from govbuy.core.present import yuan
from govbuy.organizations.kinds import PURCHASER_KINDS
from govbuy.organizations.scope import Scope

BOND_SHARE = Decimal("0.10")  # Reg. Art. 48
AMENDMENT_SHARE = Decimal("0.10")  # Law Art. 49
SIGNING_LIMIT = TimeLimit.days(30)  # Law Art. 46: after the award notice
PUBLICATION_LIMIT = TimeLimit.working_days(2)  # Reg. Art. 50: after signing
FILING_LIMIT = TimeLimit.working_days(7)  # Law Art. 47: after signing
CASH = "cash"
HUNDRED = Decimal("100")

TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"provider_signed", "cancelled"}),
    "provider_signed": frozenset({"signed", "cancelled"}),
    "signed": frozenset({"published", "suspended", "terminated"}),
    "published": frozenset({"suspended", "terminated", "completed"}),
    "suspended": frozenset({"signed", "published", "terminated"}),
    "terminated": frozenset(),
    "completed": frozenset(),
    "cancelled": frozenset(),
}
# States in which the work is delivered, accepted and paid.
DELIVERY_STATES = frozenset({"signed", "published"})
# States in which a contract binds the parties (amendments, suspension, termination apply).
IN_FORCE_STATES = frozenset({"signed", "published", "suspended"})


def check_transition(before: str, after: str) -> None:
    if after not in TRANSITIONS.get(before, frozenset()):
        raise TransitionRefused(
            _("A contract cannot move from “%(before)s” to “%(after)s”.") % {"before": before, "after": after}
        )


# --- Who may do what ------------------------------------------------------------------------------


def purchaser_staff(scope: Scope, organisation_id: int) -> bool:
    """A member with a writing role of the purchaser organisation."""
    return any(
        m.organisation_id == organisation_id and m.kind in PURCHASER_KINDS and m.writes for m in scope.memberships
    )


def sees(scope: Scope, *, purchaser_id: int, provider_id: int, region_id: int) -> bool:
    """The parties, and oversight bodies whose region covers the purchaser (finance, audit…)."""
    if scope.is_platform_admin or purchaser_id in scope.organisation_ids or provider_id in scope.organisation_ids:
        return True
    return scope.sees_region(region_id)


def _refuse(field: str, message: Any) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


# --- Term (Order 102 Art. 24) --------------------------------------------------------------------


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def last_day_of_term(start: date, years: int) -> date:
    """The last day of a term of `years` whole years that begins on `start` (inclusive)."""
    return add_years(start, years) - timedelta(days=1)


@dataclass(frozen=True)
class TermConditions:
    recurring: bool
    stable_content: bool
    budget_secured: bool

    @property
    def all_met(self) -> bool:
        return self.recurring and self.stable_content and self.budget_secured


def check_term(start: date, end: date, conditions: TermConditions) -> None:
    """At most one year; up to three only for a recurring service of stable content whose budget
    is secured for the whole term (Order 102 Art. 24)."""
    if end < start:
        raise _refuse("period_end", _("The contract period must end on or after its first day."))
    if end <= last_day_of_term(start, 1):
        return
    if end > last_day_of_term(start, 3):
        raise _refuse(
            "period_end",
            _("A contract term may be at most three years (Order 102 Art. 24); it must end by %(day)s.")
            % {"day": last_day_of_term(start, 3).isoformat()},
        )
    if not conditions.all_met:
        raise _refuse(
            "period_end",
            _(
                "A term over one year (to %(day)s at most) is allowed only for a recurring service of stable "
                "content with its budget secured for the whole term (Order 102 Art. 24)."
            )
            % {"day": last_day_of_term(start, 1).isoformat()},
        )


def check_commission_value(value: Decimal, estimate: Decimal) -> None:
    """以事定費: a commission costs at most the project's approved estimate."""
    if value > estimate:
        raise _refuse(
            "value",
            _("The value may not exceed the project's approved estimate (%(estimate)s yuan).")
            % {"estimate": yuan(estimate)},
        )


# --- Performance bond (Reg. Art. 48) ----------------------------------------------------------------


def check_bond(amount: Decimal, form: str, value: Decimal) -> None:
    if amount < 0:
        raise _refuse("bond_amount", _("The performance bond cannot be negative."))
    if form == CASH:
        raise _refuse(
            "bond_form",
            _("A performance bond must be given in a non-cash form such as a bank guarantee (Reg. Art. 48)."),
        )
    limit = (value * BOND_SHARE).quantize(Decimal("0.01"))
    if amount > limit:
        raise _refuse(
            "bond_amount",
            _("The performance bond may be at most 10%% of the contract value (%(limit)s yuan, Reg. Art. 48).")
            % {"limit": yuan(limit)},
        )
    if amount > 0 and form == "none":
        raise _refuse("bond_form", _("Name the form of the performance bond."))


def check_no_financing_guarantee(declared: bool) -> None:
    if not declared:
        raise _refuse(
            "no_financing_guarantee",
            _(
                "The purchaser must declare that it gives no guarantee for the provider's financing "
                "(Order 102 Art. 29)."
            ),
        )


# --- Statutory clocks -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    due: date  # the last day, Asia/Shanghai
    done: date | None

    @property
    def late(self) -> bool:
        return self.done is not None and self.done > self.due

    def overdue(self, today: date) -> bool:
        return self.done is None and today > self.due


def signing_due(award_notice_at: datetime, calendar: WorkingCalendar) -> date:
    """Law Art. 46: within 30 days of the award notice."""
    return calendar.last_day(award_notice_at, SIGNING_LIMIT)


def publication_due(signed_at: datetime, calendar: WorkingCalendar) -> date:
    """Reg. Art. 50: within 2 working days of signing."""
    return calendar.last_day(signed_at, PUBLICATION_LIMIT)


def filing_due(signed_at: datetime, calendar: WorkingCalendar) -> date:
    """Law Art. 47: within 7 working days of signing."""
    return calendar.last_day(signed_at, FILING_LIMIT)


def is_late(done_at: datetime, due: date) -> bool:
    return local_date(done_at) > due


# --- Four eyes --------------------------------------------------------------------------------------


def needs_second_user(value: Decimal, threshold: Decimal) -> bool:
    """Above the award threshold, a purchaser act is done by one user and confirmed by another."""
    return Decimal(value) > Decimal(threshold)


# --- Amendments (Law Art. 49) -------------------------------------------------------------------------


def check_amendment_increase(original: Decimal, earlier_increases: Iterable[Decimal], change: Decimal) -> None:
    """The value increases of all supplementary agreements together stay within 10 % of the
    original amount; reductions do not make room for later increases."""
    if change <= 0:
        return
    limit = (original * AMENDMENT_SHARE).quantize(Decimal("0.01"))
    total = sum((c for c in earlier_increases if c > 0), Decimal("0")) + change
    if total > limit:
        raise _refuse(
            "value_change",
            _(
                "Supplementary agreements may add at most 10%% of the original amount in total (%(limit)s yuan, "
                "Law Art. 49); with this one they would add %(total)s yuan."
            )
            % {"limit": yuan(limit), "total": yuan(total)},
        )


def check_reduction(value: Decimal, paid: Decimal, change: Decimal) -> None:
    if change < 0 and value + change < max(paid, Decimal("0.01")):
        raise _refuse(
            "value_change",
            _("The value cannot be reduced below the amount already paid (%(paid)s yuan).") % {"paid": yuan(paid)},
        )


# --- Milestones and payments ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MilestoneInput:
    title: str
    due_date: date
    percentage: Decimal
    quantity_target: str
    quality_target: str
    kind: str = "delivery"
    needs_evaluation: bool = False


def check_milestones(rows: Sequence[MilestoneInput], start: date, end: date) -> None:
    """A schedule: at least one milestone, each due within the period, in order, shares summing to 100."""
    if not rows:
        raise _refuse("milestones", _("Give at least one milestone."))
    previous: date | None = None
    for index, row in enumerate(rows, start=1):
        if not row.title.strip() or not row.quantity_target.strip() or not row.quality_target.strip():
            raise _refuse(
                "milestones", _("Milestone %(n)d needs a title and its quantity and quality targets.") % {"n": index}
            )
        if not start <= row.due_date <= end:
            raise _refuse("milestones", _("Milestone %(n)d must fall due within the contract period.") % {"n": index})
        if previous is not None and row.due_date < previous:
            raise _refuse("milestones", _("Milestones must be listed in the order they fall due."))
        if not Decimal("0") < row.percentage <= HUNDRED:
            raise _refuse("milestones", _("Milestone %(n)d needs a share above 0 and at most 100%%.") % {"n": index})
        previous = row.due_date
    total = sum((row.percentage for row in rows), Decimal("0"))
    if total != HUNDRED:
        raise _refuse(
            "milestones", _("The milestones' shares must sum to 100%%; they sum to %(total)s%%.") % {"total": total}
        )


def check_payment(
    *,
    amount: Decimal,
    value: Decimal,
    paid: Decimal,
    milestone_accepted: bool,
    payee_org: int,
    provider_org: int,
    evaluation_pending: bool = False,
) -> None:
    if amount <= 0:
        raise _refuse("amount", _("A payment must be above zero."))
    if not milestone_accepted:
        raise _refuse("milestone", _("A payment is made only against an accepted milestone."))
    if evaluation_pending:
        raise _refuse(
            "milestone",
            _(
                "This milestone is paid after its performance evaluation, which is not finalised yet; "
                "record the payment once the evaluation round tied to it is finalised."
            ),
        )
    if payee_org != provider_org:
        raise _refuse(
            "payee",
            _("Payments go only to the contracting provider's own account; a payment to anyone else is refused."),
        )
    remaining = value - paid
    if amount > remaining:
        raise _refuse(
            "amount",
            _("The payment exceeds the remaining contract value (%(remaining)s yuan).")
            % {"remaining": yuan(remaining)},
        )


def may_complete(milestone_statuses: Iterable[str], value: Decimal, paid: Decimal) -> bool:
    statuses = list(milestone_statuses)
    return bool(statuses) and all(s == "accepted" for s in statuses) and paid == value


def check_reason(text: str, field: str = "reason") -> str:
    cleaned = str(text or "").strip()
    if not cleaned:
        raise _refuse(field, _("Give the reason."))
    if len(cleaned) > 2000:
        raise _refuse(field, _("Give at most %(n)d characters.") % {"n": 2000})
    return cleaned


# Sections of the contract the purchaser may mark as commercial secrets in the public notice.
WITHHOLDABLE = ("settlement", "quantity_quality", "rights_duties", "liability")


def clean_withheld(raw: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    """Each withheld section with its reason (Reg. Art. 50: the notice shows that and why)."""
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for row in raw:
        section = str(row.get("section") or "")
        if section not in WITHHOLDABLE or section in seen:
            raise _refuse("withheld", _("Only the listed sections may be withheld, each once."))
        reason = str(row.get("reason") or "").strip()
        if not reason or len(reason) > 500:
            raise _refuse("withheld", _("Give the reason each withheld section is a commercial secret."))
        seen.add(section)
        out.append({"section": section, "reason": reason})
    return out
