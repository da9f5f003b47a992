"""Pure decisions of the credit system: the explainable score (facts × points × decay, within a
floor and a ceiling), what would change it, objection and decision deadlines, ban lengths and
evidence requirements. No queries: callers pass the facts and the rules as plain values.

The score is information for the provider, purchasers and oversight. It never excludes a
provider by itself; only a ban (or a list the law names) does, through the participation gate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from django.utils.translation import gettext_lazy as _

from govbuy.core.calendar.rules import TimeLimit, WorkingCalendar, add_calendar_days, local_date
from govbuy.core.errors import TransitionRefused, ValidationFailed

CENT = Decimal("0.01")
# Law Art. 77 (and Reg. Art. 72–73, which refer to it): a ban of one to three years.
BAN_MIN_YEARS = 1
BAN_MAX_YEARS = 3
# The recording authority decides an objection within this many working days of its filing.
DECISION_WORKING_DAYS = 15
# Kinds whose fact an authority enters itself: evidence is required (Law Art. 77 facts).
EVIDENCE_REQUIRED = frozenset(
    {
        "credit.false_materials",
        "credit.defamation",
        "credit.collusion",
        "credit.bribery",
        "credit.refused_supervision",
        "credit.commendation",
    }
)


class RuleLike(Protocol):
    kind: str
    effective_from: dt.date
    points: Decimal
    half_life_days: int
    counts_for_days: int
    objection_working_days: int


class ScaleLike(Protocol):
    effective_from: dt.date
    base: Decimal
    floor: Decimal
    ceiling: Decimal


@dataclass(frozen=True)
class FactInput:
    fact_id: int
    kind: str
    occurred_on: dt.date
    under_objection: bool = False
    void: bool = False  # corrected by a later fact, or its objection was upheld


@dataclass(frozen=True)
class Line:
    """One fact's part in the score, as the provider's page shows it."""

    fact_id: int
    kind: str
    occurred_on: dt.date
    points: Decimal
    weight: Decimal
    contribution: Decimal
    counted: bool
    under_objection: bool
    note: str
    stops_counting_on: dt.date | None


@dataclass(frozen=True)
class Explanation:
    base: Decimal
    raw: Decimal
    score: Decimal
    floor: Decimal
    ceiling: Decimal
    lines: list[Line] = field(default_factory=list)

    @property
    def clamped(self) -> str:
        if self.raw < self.floor:
            return "floor"
        if self.raw > self.ceiling:
            return "ceiling"
        return ""


def rule_for(rules: Iterable[RuleLike], kind: str, on: dt.date) -> RuleLike | None:
    """The rule for `kind` in force on `on` (the fact's date: a later rule does not reach back)."""
    chosen: RuleLike | None = None
    for rule in rules:
        later = chosen is None or rule.effective_from > chosen.effective_from
        if rule.kind == kind and rule.effective_from <= on and later:
            chosen = rule
    return chosen


def scale_for(scales: Iterable[ScaleLike], on: dt.date) -> ScaleLike | None:
    chosen: ScaleLike | None = None
    for scale in scales:
        if scale.effective_from <= on and (chosen is None or scale.effective_from > chosen.effective_from):
            chosen = scale
    return chosen


def weight(age_days: int, half_life_days: int, counts_for_days: int) -> Decimal:
    """A fact counts fully when new, half after one half-life, and not at all once its period is
    over (credit repair: the record stays, the weight is gone)."""
    if age_days < 0:
        age_days = 0
    if age_days >= counts_for_days:
        return Decimal(0)
    return Decimal(str(0.5 ** (age_days / half_life_days))).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def explain(
    facts: Sequence[FactInput], rules: Sequence[RuleLike], scales: Sequence[ScaleLike], today: dt.date
) -> Explanation:
    scale = scale_for(scales, today)
    if scale is None:
        raise ValidationFailed(_("No score scale is in force; the platform administrator sets one."))
    lines: list[Line] = []
    raw = Decimal(scale.base)
    for fact in sorted(facts, key=lambda f: (f.occurred_on, f.fact_id), reverse=True):
        rule = rule_for(rules, fact.kind, fact.occurred_on)
        if rule is None:
            lines.append(_line(fact, Decimal(0), Decimal(0), False, str(_("no rule for this kind of fact")), None))
            continue
        stops = fact.occurred_on + dt.timedelta(days=rule.counts_for_days)
        if fact.void:
            lines.append(_line(fact, rule.points, Decimal(0), False, str(_("withdrawn or corrected")), None))
            continue
        w = weight((today - fact.occurred_on).days, rule.half_life_days, rule.counts_for_days)
        note = "" if w else str(_("its period is over (credit repair)"))
        contribution = (Decimal(rule.points) * w).quantize(CENT, ROUND_HALF_UP)
        lines.append(_line(fact, rule.points, w, bool(w), note, stops, contribution))
        raw += contribution
    score = min(max(raw, Decimal(scale.floor)), Decimal(scale.ceiling))
    return Explanation(
        base=Decimal(scale.base),
        raw=raw.quantize(CENT),
        score=score.quantize(CENT),
        floor=Decimal(scale.floor),
        ceiling=Decimal(scale.ceiling),
        lines=lines,
    )


def _line(
    fact: FactInput,
    points: Decimal,
    w: Decimal,
    counted: bool,
    note: str,
    stops: dt.date | None,
    contribution: Decimal = Decimal(0),
) -> Line:
    return Line(
        fact_id=fact.fact_id,
        kind=fact.kind,
        occurred_on=fact.occurred_on,
        points=Decimal(points),
        weight=w,
        contribution=contribution,
        counted=counted,
        under_objection=fact.under_objection,
        note=note,
        stops_counting_on=stops,
    )


@dataclass(frozen=True)
class Change:
    """One thing that would move the score: when or what, and by how much (after the clamp)."""

    code: str  # "expires", "objection", "add"
    fact_id: int | None
    kind: str
    on: dt.date | None
    delta: Decimal


def what_would_change(
    explanation: Explanation,
    facts: Sequence[FactInput],
    rules: Sequence[RuleLike],
    scales: Sequence[ScaleLike],
    today: dt.date,
    *,
    positive_kinds: Iterable[str] = (),
) -> list[Change]:
    """Each counted fact's end (the score when it stops counting, all else equal), an upheld
    objection for each fact under objection, and one more fact of each positive kind."""
    out: list[Change] = []

    def delta_without(fact_id: int) -> Decimal:
        rest = [f for f in facts if f.fact_id != fact_id]
        return explain(rest, rules, scales, today).score - explanation.score

    for line in explanation.lines:
        if line.counted and line.stops_counting_on:
            out.append(Change("expires", line.fact_id, line.kind, line.stops_counting_on, delta_without(line.fact_id)))
        if line.counted and line.under_objection:
            out.append(Change("objection", line.fact_id, line.kind, None, delta_without(line.fact_id)))
    for kind in sorted(set(positive_kinds)):
        extra = FactInput(fact_id=0, kind=kind, occurred_on=today)
        after = explain([*facts, extra], rules, scales, today).score
        if after != explanation.score:
            out.append(Change("add", None, kind, None, after - explanation.score))
    return out


# --- Objections ---------------------------------------------------------------------------------


def objection_deadline(notified_at: dt.datetime, working_days: int, calendar: WorkingCalendar) -> dt.datetime:
    """The provider may object until the end of the n-th working day after it was told."""
    return calendar.deadline_at(notified_at, TimeLimit.working_days(working_days))


def check_objection_in_time(now: dt.datetime, deadline: dt.datetime) -> None:
    if now > deadline:
        raise TransitionRefused(
            _("The period for objecting to this fact ended on %(day)s; the fact stands.")
            % {"day": local_date(deadline).isoformat()},
            code="objection_late",
        )


def decision_deadline(filed_at: dt.datetime, calendar: WorkingCalendar) -> dt.datetime:
    return calendar.deadline_at(filed_at, TimeLimit.working_days(DECISION_WORKING_DAYS))


OBJECTION_TRANSITIONS: Mapping[str, frozenset[str]] = {
    "pending": frozenset({"upheld", "rejected"}),
    "upheld": frozenset(),
    "rejected": frozenset(),
}


def check_objection_transition(before: str, after: str) -> None:
    if after not in OBJECTION_TRANSITIONS.get(before, frozenset()):
        raise TransitionRefused(_("This objection has already been decided."))


# --- Bans ---------------------------------------------------------------------------------------


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def check_ban_period(starts_on: dt.date, ends_on: dt.date) -> None:
    """A ban of one to three years (Law Art. 77): "until" is its last day, so a one-year ban
    from 2027-01-01 ends on 2027-12-31."""
    if ends_on <= starts_on:
        message = _("A ban must end after it starts.")
        raise ValidationFailed(message, code="ban_period_invalid", fields={"ends_on": [message]})
    shortest = add_calendar_days(_years_later(starts_on, BAN_MIN_YEARS), -1)
    longest = add_calendar_days(_years_later(starts_on, BAN_MAX_YEARS), -1)
    if ends_on < shortest or ends_on > longest:
        text = _(
            "A ban under Law Art. 77 lasts one to three years: from %(start)s it ends between %(min)s and %(max)s."
        ) % {"start": starts_on.isoformat(), "min": shortest.isoformat(), "max": longest.isoformat()}
        raise ValidationFailed(text, code="ban_period_out_of_range", fields={"ends_on": [text]})


def check_evidence(kind: str, documents: int) -> None:
    if kind in EVIDENCE_REQUIRED and documents == 0:
        message = _("A fact found by an authority needs at least one evidence document.")
        raise ValidationFailed(message, code="evidence_required", fields={"documents": [message]})


def direction_of(points: Decimal | None) -> str:
    if points is None or points == 0:
        return "neutral"
    return "positive" if points > 0 else "negative"
