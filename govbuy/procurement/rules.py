"""Pure decisions of procurement: the transitions of tenders, bids, awards, challenges and
complaints, criteria weights, the statutory bid period, the bid bond, bid prices and the opening
quorum. No queries."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from govbuy.core.calendar.rules import SHANGHAI, TimeLimit, Unit, WorkingCalendar, local_date
from govbuy.core.errors import Conflict, TransitionRefused, ValidationFailed
from govbuy.core.money import parse_decimal
from govbuy.organizations.kinds import PURCHASER_KINDS
from govbuy.organizations.scope import Scope

BOND_SHARE = Decimal("0.02")  # Reg. Art. 33
CURRENCY = "CNY"

TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"published", "cancelled"}),
    "published": frozenset({"opened", "failed", "cancelled"}),
    "opened": frozenset({"evaluated"}),
    "evaluated": frozenset({"awarded"}),
    "awarded": frozenset(),
    "failed": frozenset(),
    "cancelled": frozenset(),
}
# States in which the project is taken: another tender of it cannot start.
LIVE_STATES = frozenset({"draft", "published", "opened", "evaluated", "awarded"})


def check_transition(before: str, after: str) -> None:
    if after not in TRANSITIONS.get(before, frozenset()):
        raise TransitionRefused(
            _("A tender cannot move from “%(before)s” to “%(after)s”.") % {"before": before, "after": after}
        )


# The statuses of a tender's parts. A refused move is a Conflict (409): the row was moved by
# another request first (withdrawn, confirmed, answered, decided), so the message says so.
BID_TRANSITIONS: dict[str, frozenset[str]] = {
    "sealed": frozenset({"withdrawn", "replaced", "opened"}),
    "withdrawn": frozenset(),
    "replaced": frozenset(),
    "opened": frozenset(),
}
AWARD_TRANSITIONS: dict[str, frozenset[str]] = {
    "proposed": frozenset({"active"}),
    # Reg. Art. 49: the winner's refusal to sign is recorded, then confirmed by a second user;
    # the refused award stays on record and a new award of the lot replaces it. A refusal recorded
    # by mistake is withdrawn before its confirmation: the award is active again.
    "active": frozenset({"refusal_recorded"}),
    "refusal_recorded": frozenset({"refused", "active"}),
    "refused": frozenset(),
}
CHALLENGE_TRANSITIONS: dict[str, frozenset[str]] = {
    "lodged": frozenset({"answered"}),
    "answered": frozenset(),
}
COMPLAINT_TRANSITIONS: dict[str, frozenset[str]] = {
    "lodged": frozenset({"decided"}),
    "decided": frozenset(),
}


def _check_move(table: dict[str, frozenset[str]], before: str, after: str, refusal: Any) -> None:
    if after not in table.get(before, frozenset()):
        raise Conflict(refusal)


def check_bid_transition(before: str, after: str) -> None:
    _check_move(BID_TRANSITIONS, before, after, _("This bid was already withdrawn or replaced."))


def check_award_transition(before: str, after: str) -> None:
    if after == "active":
        refusal = _("This award has already been confirmed, or its refusal to sign withdrawn or confirmed.")
    elif after == "refusal_recorded":
        refusal = _("A refusal to sign is recorded on a confirmed award, once.")
    else:
        refusal = _("This refusal to sign has already been confirmed, or was never recorded.")
    _check_move(AWARD_TRANSITIONS, before, after, refusal)


def check_challenge_transition(before: str, after: str) -> None:
    _check_move(CHALLENGE_TRANSITIONS, before, after, _("This challenge has already been answered."))


def check_complaint_transition(before: str, after: str) -> None:
    _check_move(COMPLAINT_TRANSITIONS, before, after, _("This complaint has already been decided."))


@dataclass(frozen=True)
class MethodParams:
    code: str
    min_period: int
    min_period_unit: str
    min_suppliers: int
    price_weight_min: int
    price_weight_max: int
    evaluation_method: str
    requires_reason: bool

    @property
    def limit(self) -> TimeLimit:
        return TimeLimit(self.min_period, Unit(self.min_period_unit))


@dataclass(frozen=True)
class CriterionInput:
    name: str
    weight: int
    is_price: bool


def clean_criteria(raw: list[dict[str, Any]], method: MethodParams) -> list[CriterionInput]:
    """Weights are whole numbers summing to 100, with exactly one price criterion whose weight
    lies within the method's bounds (Reg. Art. 34; services ≥ 10 %)."""
    message: Any
    if not raw:
        raise ValidationFailed(
            _("Give the scoring criteria."), fields={"criteria": [_("Give at least the price criterion.")]}
        )
    out: list[CriterionInput] = []
    for index, row in enumerate(raw, start=1):
        name = str(row.get("name") or "").strip()
        if not name or len(name) > 200:
            raise ValidationFailed(
                _("Criterion %(n)d needs a name of at most 200 characters.") % {"n": index},
                fields={"criteria": [_("Criterion %(n)d needs a name of at most 200 characters.") % {"n": index}]},
            )
        try:
            weight = int(str(row.get("weight", "")).strip())
        except ValueError:
            weight = -1
        if weight < 1 or weight > 100:
            message = _("The weight of “%(name)s” must be a whole number from 1 to 100.") % {"name": name}
            raise ValidationFailed(message, fields={"criteria": [message]})
        out.append(CriterionInput(name=name, weight=weight, is_price=bool(row.get("is_price"))))
    total = sum(c.weight for c in out)
    if total != 100:
        message = _("The weights of the criteria must sum to 100; they sum to %(total)d.") % {"total": total}
        raise ValidationFailed(message, fields={"criteria": [message]})
    prices = [c for c in out if c.is_price]
    if len(prices) != 1:
        message = _("Exactly one criterion must be the price.")
        raise ValidationFailed(message, fields={"criteria": [message]})
    weight = prices[0].weight
    if not method.price_weight_min <= weight <= method.price_weight_max:
        message = _("This method needs a price weight from %(low)d to %(high)d; it is %(weight)d.") % {
            "low": method.price_weight_min,
            "high": method.price_weight_max,
            "weight": weight,
        }
        raise ValidationFailed(message, fields={"criteria": [message]})
    return out


def earliest_deadline_day(start: date | datetime, method: MethodParams, calendar: WorkingCalendar) -> date:
    """The first day the bid deadline may fall on: the last day of the method's minimum period
    counted from the day after `start` (the notice)."""
    return calendar.last_day(start, method.limit)


# The furthest a bid deadline may lie ahead: the law sets minimum periods only, but a deadline
# years away (9999-12-31) is a typing mistake or an attempt to keep a tender open for ever.
MAX_DEADLINE_DAYS = 365


def check_deadline_bound(*, start: datetime, deadline: datetime, field: str = "bid_deadline") -> None:
    if deadline - start > timedelta(days=MAX_DEADLINE_DAYS):
        message = _("The bid deadline may be at most %(days)d days ahead.") % {"days": MAX_DEADLINE_DAYS}
        raise ValidationFailed(message, fields={field: [message]})


def check_deadline(*, start: datetime, deadline: datetime, method: MethodParams, calendar: WorkingCalendar) -> None:
    message: Any
    if deadline.tzinfo is None:
        raise ValidationFailed(_("The bid deadline needs a time zone."), fields={"bid_deadline": [_("Invalid time.")]})
    if deadline <= start:
        message = _("The bid deadline must be in the future.")
        raise ValidationFailed(message, fields={"bid_deadline": [message]})
    check_deadline_bound(start=start, deadline=deadline)
    earliest = earliest_deadline_day(start, method, calendar)
    if local_date(deadline) < earliest:
        unit = _("working days") if method.min_period_unit == Unit.WORKING_DAYS else _("calendar days")
        message = _(
            "The law requires at least %(n)d %(unit)s between the notice and the bid deadline: "
            "the deadline may be no earlier than %(day)s."
        ) % {"n": method.min_period, "unit": unit, "day": earliest.isoformat()}
        raise ValidationFailed(message, fields={"bid_deadline": [message]})


def check_bond(bond: Decimal, budget: Decimal) -> None:
    message: Any
    if bond < 0:
        message = _("The bid bond cannot be negative.")
        raise ValidationFailed(message, fields={"bid_bond": [message]})
    limit = (budget * BOND_SHARE).quantize(Decimal("0.01"))
    if bond > limit:
        message = _("The bid bond may be at most 2%% of the budget (%(limit)s yuan).") % {"limit": limit}
        raise ValidationFailed(message, fields={"bid_bond": [message]})


def clean_lots(raw: list[dict[str, Any]], budget: Decimal, title: str) -> list[tuple[int, str, Decimal]]:
    """Lots as (number, title, budget); none given means one lot holding the whole budget."""
    message: Any
    if not raw:
        return [(1, title, budget)]
    lots: list[tuple[int, str, Decimal]] = []
    for number, row in enumerate(raw, start=1):
        name = str(row.get("title") or "").strip()
        if not name or len(name) > 200:
            message = _("Lot %(n)d needs a title of at most 200 characters.") % {"n": number}
            raise ValidationFailed(message, fields={"lots": [message]})
        amount = parse_decimal(row.get("budget", ""), field="lots")
        if amount <= 0:
            message = _("Lot %(n)d needs a budget above zero.") % {"n": number}
            raise ValidationFailed(message, fields={"lots": [message]})
        lots.append((number, name, amount))
    total = sum((lot[2] for lot in lots), Decimal("0"))
    if total != budget:
        message = _(
            "The lots' budgets must add up to the tender's budget (%(budget)s yuan); they add up to %(total)s."
        ) % {
            "budget": budget,
            "total": total,
        }
        raise ValidationFailed(message, fields={"lots": [message]})
    return lots


def clean_price(value: Any, currency: Any) -> Decimal:
    """A bid price: yuan (CNY) only, exact, above zero."""
    message: Any
    if str(currency or "").strip().upper() != CURRENCY:
        message = _("Bids are made in Chinese yuan (CNY) only.")
        raise ValidationFailed(message, fields={"currency": [message]})
    price = parse_decimal(value, field="price")
    if price <= 0:
        message = _("The price must be above zero.")
        raise ValidationFailed(message, fields={"price": [message]})
    return price


def price_above_budget(price: Decimal, budget: Decimal) -> bool:
    """A bid above the lot's budget is invalid (the budget is the ceiling the purchaser may pay)."""
    return price > budget


def check_price_within_budget(price: Decimal, budget: Decimal) -> None:
    if price_above_budget(price, budget):
        message = _("The price is above this lot's budget of %(budget)s yuan; such a bid is invalid.") % {
            "budget": budget
        }
        raise ValidationFailed(message, code="above_budget", fields={"price": [message]})


def purchaser_staff_of(scope: Scope, organisation_id: int) -> bool:
    """A member with a writing role of the purchaser organisation."""
    return any(
        m.organisation_id == organisation_id and m.kind in PURCHASER_KINDS and m.writes for m in scope.memberships
    )


def provider_member_of(scope: Scope, organisation_id: int) -> bool:
    return any(m.organisation_id == organisation_id and m.writes for m in scope.memberships)


def quorum_met(bids_per_lot: dict[int, int], min_suppliers: int) -> bool:
    """Every lot has at least the method's minimum of bids (Law Art. 36: fewer than three → failed)."""
    return bool(bids_per_lot) and all(count >= min_suppliers for count in bids_per_lot.values())


# --- Receipt of bids and the start of the opening (docs/decisions/0011) ------------------------

# A bid is in time when it was received before the deadline (the receipt moment is taken by the
# database clock when the request reaches the service, before it waits for the tender's lock).
# Under a burst of bids the lock queues them, so a bid received in time may be recorded after
# the deadline; the opening therefore starts no earlier than the deadline plus this settle period,
# and a bid still waiting for the lock when it ends is refused. Recording one bid takes about a
# tenth of a second and a queued burst a few seconds (docs/benchmarks.md, the bid storm); a
# minute is far beyond that and invisible to an opening that is held in person.
BID_SETTLE = timedelta(seconds=60)


def check_bid_in_time(*, received_at: datetime, recorded_at: datetime, deadline: datetime) -> None:
    """`received_at`: when the bid reached the service; `recorded_at`: now, under the tender's lock."""
    if received_at >= deadline:
        raise TransitionRefused(_("The bid deadline has passed; the bid was not accepted."))
    if recorded_at >= deadline + BID_SETTLE:
        raise TransitionRefused(
            _(
                "The bid arrived before the deadline but could not be recorded within %(n)d seconds after it, "
                "when the opening may start; it was not accepted."
            )
            % {"n": int(BID_SETTLE.total_seconds())}
        )


def opening_starts_at(deadline: datetime) -> datetime:
    return deadline + BID_SETTLE


def check_opening_time(*, now: datetime, deadline: datetime) -> None:
    """The opening starts at or after the deadline, and only once the settle period has ended, so
    every bid received in time has been recorded (or refused) before the bids are read."""
    if now < deadline:
        raise TransitionRefused(_("Bids are opened at or after the deadline."))
    if now < opening_starts_at(deadline):
        raise TransitionRefused(
            _(
                "Bids received just before the deadline may still be being recorded: "
                "the opening starts %(n)d seconds after the deadline, from %(time)s."
            )
            % {"n": int(BID_SETTLE.total_seconds()), "time": local_time(opening_starts_at(deadline))}
        )


# --- Evaluation ----------------------------------------------------------------------------------

POINTS = Decimal("0.01")


def panel_size(method_panel_size: int) -> int:
    """The panel of a procurement method: its minimum size, at least three and odd (Law Art. 38).
    Every seat is drawn from the expert pool, so the panel always meets the method's minimum
    expert share (a share below 100 % would allow purchaser representatives; none are seated)."""
    size = max(method_panel_size, 3)
    return size if size % 2 else size + 1


def draw_order(candidates: Sequence[int], seed: str) -> list[int]:
    """The candidates in the order of the draw: a permutation fixed by the seed, so that the
    recorded seed and candidate list reproduce the panel (and every replacement) exactly."""
    ordered = sorted(candidates)
    return random.Random(seed).sample(ordered, len(ordered))


def clean_points(value: Any, weight: int, name: str) -> Decimal:
    message: Any
    try:
        points = Decimal(str(value).strip())
    except ArithmeticError:
        points = Decimal("-1")
    if not points.is_finite() or points < 0 or points > weight or points != points.quantize(POINTS):
        message = _("The score for “%(name)s” must be from 0 to %(weight)d, with at most two decimals.") % {
            "name": name,
            "weight": weight,
        }
        raise ValidationFailed(message, fields={"scores": [message]})
    return points


@dataclass(frozen=True)
class BidForRanking:
    bid_id: int
    lot_id: int
    price: Decimal
    received_at: datetime
    quality: Decimal  # the members' average of the non-price points


@dataclass(frozen=True)
class Ranked:
    bid_id: int
    lot_id: int
    price_score: Decimal
    quality_score: Decimal
    total: Decimal
    rank: int


def price_score(price: Decimal, lowest: Decimal, weight: int) -> Decimal:
    """Reg. Art. 34 / Order 87 Art. 55: the lowest valid price gets the full price weight, the
    others lowest / price × weight."""
    if price <= 0:
        raise ValueError("price must be positive")
    return (lowest / price * weight).quantize(POINTS)


def rank(bids: Sequence[BidForRanking], *, price_weight: int, lowest_price_method: bool) -> list[Ranked]:
    """Per lot: totals, then rank by total (comprehensive) or by price (lowest evaluated price);
    ties go to the lower price, then the earlier receipt."""
    out: list[Ranked] = []
    for lot_id in sorted({b.lot_id for b in bids}):
        lot = [b for b in bids if b.lot_id == lot_id]
        lowest = min(b.price for b in lot)
        scored = []
        for b in lot:
            p = price_score(b.price, lowest, price_weight)
            q = b.quality.quantize(POINTS)
            scored.append((b, p, q, (p + q).quantize(POINTS)))
        if lowest_price_method:
            scored.sort(key=lambda row: (row[0].price, row[0].received_at, row[0].bid_id))
        else:
            scored.sort(key=lambda row: (-row[3], row[0].price, row[0].received_at, row[0].bid_id))
        out += [
            Ranked(bid_id=b.bid_id, lot_id=lot_id, price_score=p, quality_score=q, total=t, rank=i)
            for i, (b, p, q, t) in enumerate(scored, start=1)
        ]
    return out


# --- Award (Reg. Art. 43) ------------------------------------------------------------------------

AWARD_LIMIT = TimeLimit.working_days(5)


def award_deadline(reported_at: datetime, calendar: WorkingCalendar) -> datetime:
    """The last instant the purchaser may confirm the winner: 5 working days after the report."""
    return calendar.deadline_at(reported_at, AWARD_LIMIT)


def needs_second_user(amount: Decimal, threshold: Decimal) -> bool:
    """Awards above the threshold are proposed by one user and confirmed by another."""
    return Decimal(amount) > Decimal(threshold)


def top_ranked(rankings: Sequence[tuple[int, int, bool]]) -> int | None:
    """The bid id of the best (lowest) rank among (bid id, rank, qualified) rows, or None."""
    qualified = sorted((rank, bid_id) for bid_id, rank, ok in rankings if ok)
    return qualified[0][1] if qualified else None


# --- Challenges and complaints (Law Art. 52–56) -------------------------------------------------

CHALLENGE_LIMIT = TimeLimit.working_days(7)
ANSWER_LIMIT = TimeLimit.working_days(7)
COMPLAINT_LIMIT = TimeLimit.working_days(15)
DECISION_LIMIT = TimeLimit.working_days(30)


def challenge_deadline(award_notice_at: datetime, calendar: WorkingCalendar) -> datetime:
    return calendar.deadline_at(award_notice_at, CHALLENGE_LIMIT)


def answer_deadline(lodged_at: datetime, calendar: WorkingCalendar) -> datetime:
    return calendar.deadline_at(lodged_at, ANSWER_LIMIT)


def complaint_deadline(answered_at: datetime | None, lodged_at: datetime, calendar: WorkingCalendar) -> datetime:
    """15 working days after the answer; when none came in time, after the day it was due."""
    start = answered_at if answered_at is not None else answer_deadline(lodged_at, calendar)
    return calendar.deadline_at(start, COMPLAINT_LIMIT)


def decision_deadline(lodged_at: datetime, calendar: WorkingCalendar) -> datetime:
    return calendar.deadline_at(lodged_at, DECISION_LIMIT)


def finance_reviewer_of(scope: Scope, region_id: int) -> bool:
    """A writing member of a finance bureau whose reach covers the region."""
    return scope.sees_region(region_id) and any(m.kind == "finance_bureau" and m.writes for m in scope.memberships)


# --- Clarifications (Reg. Art. 31) ---------------------------------------------------------------

# A clarification or change that may affect the preparation of bids reaches every potential bidder
# at least 15 (calendar) days before the bid deadline; otherwise the deadline is moved.
CLARIFICATION_NOTICE = timedelta(days=15)


def earliest_deadline_after_change(published_at: datetime) -> datetime:
    return published_at + CLARIFICATION_NOTICE


def check_deadline_after_change(
    *, published_at: datetime, deadline: datetime, new_deadline: datetime | None, affects_bids: bool
) -> datetime | None:
    """The bid deadline a clarification leaves: None when it stays, else the new one. A change
    that affects bids published less than 15 days before the deadline needs a new deadline at
    least 15 days after the publication; the service never picks one on the purchaser's behalf
    (the purchaser plans the opening around it). A later deadline may always be given."""
    message: Any
    earliest = earliest_deadline_after_change(published_at)
    if new_deadline is not None:
        if new_deadline.tzinfo is None:
            raise ValidationFailed(
                _("The bid deadline needs a time zone."), fields={"new_deadline": [_("Invalid time.")]}
            )
        if new_deadline <= deadline:
            message = _("A new bid deadline must be later than the current one.")
            raise ValidationFailed(message, fields={"new_deadline": [message]})
        check_deadline_bound(start=published_at, deadline=new_deadline, field="new_deadline")
        if affects_bids and new_deadline < earliest:
            message = _(
                "A change that affects bids must be published at least 15 days before the bid deadline: "
                "the new deadline may be no earlier than %(earliest)s."
            ) % {"earliest": local_time(earliest)}
            raise ValidationFailed(message, fields={"new_deadline": [message]})
        return new_deadline
    if affects_bids and deadline < earliest:
        message = _(
            "This change affects bids and comes less than 15 days before the bid deadline: "
            "give a new deadline no earlier than %(earliest)s."
        ) % {"earliest": local_time(earliest)}
        raise ValidationFailed(message, fields={"new_deadline": [message]})
    return None


def local_time(moment: datetime) -> str:
    """Beijing time, to the minute, rounded up so that the time shown is itself allowed."""
    beijing = (moment + timedelta(seconds=59)).astimezone(timezone(timedelta(hours=8)))
    return beijing.strftime("%Y-%m-%d %H:%M")


# --- Rate limits (design/reliability.md R15; docs/operations.md) --------------------------------


@dataclass(frozen=True)
class RateLimit:
    count: int
    window: timedelta


BID_SUBMISSIONS = RateLimit(30, timedelta(hours=1))  # per provider and tender
QUESTIONS = RateLimit(10, timedelta(days=1))  # per provider and tender


def within_limit(recent: int, limit: RateLimit) -> bool:
    """`recent` rows already made inside the window: one more is allowed below the count."""
    return recent < limit.count


# --- Invitation tender (Law Art. 34) -------------------------------------------------------------


def invitations_needed(random_invitations: int, min_suppliers: int) -> int:
    """How many providers the draw invites: the method's number, never below its minimum."""
    if random_invitations <= 0:
        return 0
    return max(random_invitations, min_suppliers)


def draw_invitations(candidates: Sequence[int], seed: str, size: int) -> list[int]:
    """The invited providers in draw order: the first `size` of the seed's permutation."""
    return draw_order(candidates, seed)[:size]


def parse_moment(value: Any, *, field: str, message: Any) -> datetime:
    """A date and time from a form or the API (ISO 8601); without a zone it is Beijing time."""
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationFailed(message, fields={field: [message]}) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=SHANGHAI)
