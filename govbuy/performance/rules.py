"""Pure decisions of performance evaluation (design/rules.md "Performance"; Order 102 Art. 20–21;
財綜〔2018〕42號; Beijing 2014): template weights, the scoring rules, the total and its grade, the
key-project threshold, evaluator refusals, the round transitions, survey aggregates and their
confidence interval, suspicious survey patterns and the publication date. No queries: the services
read the rows and pass what these rules need.

Every number a local practice may change (bands, thresholds, look-back periods, minimum answers,
hours) is a default here that the services take from a data row when one exists.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from govbuy.core.calendar.rules import SHANGHAI, TimeLimit, WorkingCalendar
from govbuy.core.errors import RateLimited, TransitionRefused, ValidationFailed
from govbuy.organizations.scope import CITY, FINANCE, Scope

HUNDRED = Decimal(100)
CENT = Decimal("0.01")

# --- indicators and templates --------------------------------------------------------------------

FAMILIES = (
    "output_quantity",
    "output_quality",
    "output_timeliness",
    "output_cost",
    "benefit_social",
    "benefit_sustainability",
    "satisfaction",
)
RATIO, YES_NO, GRADED = "ratio", "yes_no", "graded"
SCORING_RULES = (RATIO, YES_NO, GRADED)
HIGHER_IS_BETTER, LOWER_IS_BETTER = "higher", "lower"


@dataclass(frozen=True)
class IndicatorInput:
    name: str
    family: str
    weight: Decimal
    rule: str


def check_template(indicators: Sequence[IndicatorInput]) -> None:
    """A template has at least one indicator, each with a name, a known family and rule and a
    positive weight, and the weights sum to exactly 100. Each refusal names its field by path
    (`indicators.<index from 0>.<field>`); the sum is said on every weight."""
    if not indicators:
        raise ValidationFailed(_("A template needs at least one indicator."), code="template_empty")
    for index, row in enumerate(indicators):
        n, path = index + 1, f"indicators.{index}"
        if not row.name.strip():
            message = _("Indicator %(n)d needs a name.") % {"n": n}
            raise ValidationFailed(message, code="indicator_name", fields={f"{path}.name": [message]})
        if row.family not in FAMILIES or row.rule not in SCORING_RULES:
            message = _("Indicator %(n)d has an unknown family or scoring rule.") % {"n": n}
            field = "family" if row.family not in FAMILIES else "rule"
            raise ValidationFailed(message, code="indicator_kind", fields={f"{path}.{field}": [message]})
        if row.weight <= 0:
            message = _("Indicator %(n)d needs a weight above zero.") % {"n": n}
            raise ValidationFailed(message, code="indicator_weight", fields={f"{path}.weight": [message]})
    total = sum((row.weight for row in indicators), Decimal(0))
    if total != HUNDRED:
        message = _("The weights of a template must sum to 100; these sum to %(total)s.") % {"total": total}
        raise ValidationFailed(
            message,
            code="weights_not_100",
            fields={f"indicators.{index}.weight": [message] for index in range(len(indicators))},
        )


# --- scoring ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatioBand:
    """Ratios at or above `floor` (and below the next band's) earn weight × factor, times the
    ratio itself when `proportional`."""

    floor: Decimal
    factor: Decimal
    proportional: bool = False


# Default bands (design/rules.md): ≥ 100 % full marks; 80–100 % and 60–80 % in proportion to the
# ratio (the lower band at half rate); < 60 % zero. Highest floor first.
DEFAULT_BANDS: tuple[RatioBand, ...] = (
    RatioBand(Decimal("1.00"), Decimal(1)),
    RatioBand(Decimal("0.80"), Decimal(1), proportional=True),
    RatioBand(Decimal("0.60"), Decimal("0.5"), proportional=True),
    RatioBand(Decimal(0), Decimal(0)),
)


def completion_ratio(actual: Decimal, target: Decimal, direction: str = HIGHER_IS_BETTER) -> Decimal:
    """Achievement against the target: actual/target, or target/actual when less is better (a
    cost); a zero cost against a positive target counts as fully achieved."""
    if target <= 0:
        raise ValidationFailed(_("The target of a ratio indicator must be above zero."), code="target_not_positive")
    if actual < 0:
        raise ValidationFailed(_("A measured value cannot be negative."), code="value_negative")
    if direction == LOWER_IS_BETTER:
        return Decimal(1) if actual == 0 else target / actual
    return actual / target


def ratio_points(weight: Decimal, ratio: Decimal, bands: Sequence[RatioBand] = DEFAULT_BANDS) -> Decimal:
    for band in sorted(bands, key=lambda b: b.floor, reverse=True):
        if ratio >= band.floor:
            factor = band.factor * (min(ratio, Decimal(1)) if band.proportional else Decimal(1))
            return (weight * factor).quantize(CENT, ROUND_HALF_UP)
    return Decimal("0.00")


@dataclass(frozen=True)
class ScoreInput:
    """One indicator's score as entered: the measured value (ratio), yes/no, or the points the
    evaluator gives (graded)."""

    rule: str
    weight: Decimal
    value: Decimal | None = None
    target: Decimal | None = None
    achieved: bool | None = None
    direction: str = HIGHER_IS_BETTER


def points(score: ScoreInput, bands: Sequence[RatioBand] = DEFAULT_BANDS) -> Decimal:
    """The points an indicator earns under its scoring rule; a value the rule cannot take is refused."""
    if score.rule == YES_NO:
        if score.achieved is None:
            raise ValidationFailed(_("Say whether the indicator was achieved."), code="score_missing")
        return score.weight.quantize(CENT) if score.achieved else Decimal("0.00")
    if score.value is None:
        raise ValidationFailed(_("Give a value for the indicator."), code="score_missing")
    if score.rule == GRADED:
        if not Decimal(0) <= score.value <= score.weight:
            raise ValidationFailed(
                _("A graded score must lie between 0 and the indicator's weight %(weight)s.")
                % {"weight": score.weight},
                code="score_out_of_range",
                fields={"value": [_("Out of range.")]},
            )
        return score.value.quantize(CENT, ROUND_HALF_UP)
    if score.rule == RATIO:
        if score.target is None:
            raise ValidationFailed(_("The indicator has no target to compare with."), code="target_missing")
        return ratio_points(score.weight, completion_ratio(score.value, score.target, score.direction), bands)
    raise ValidationFailed(_("Unknown scoring rule."), code="indicator_kind")


def total_score(earned: Iterable[Decimal]) -> Decimal:
    total = sum(earned, Decimal(0)).quantize(CENT, ROUND_HALF_UP)
    return min(max(total, Decimal(0)), HUNDRED)


EXCELLENT, GOOD, FAIR, POOR = "excellent", "good", "fair", "poor"
# Highest floor first: 優 90–100, 良 80–89, 中 60–79, 差 0–59 (design/rules.md). A score between
# two whole numbers (89.5) belongs to the band whose floor it has reached.
GRADE_BANDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal(90), EXCELLENT),
    (Decimal(80), GOOD),
    (Decimal(60), FAIR),
    (Decimal(0), POOR),
)
GRADE_LABELS = {EXCELLENT: _("Excellent (优)"), GOOD: _("Good (良)"), FAIR: _("Fair (中)"), POOR: _("Poor (差)")}


def grade_for(total: Decimal, bands: Sequence[tuple[Decimal, str]] = GRADE_BANDS) -> str:
    """The grade is computed from the total, never entered."""
    for floor, grade in sorted(bands, key=lambda b: b[0], reverse=True):
        if total >= floor:
            return grade
    return POOR


# --- key projects (Beijing 2014) ------------------------------------------------------------------


@dataclass(frozen=True)
class KeyThreshold:
    effective_from: date
    amount: Decimal  # yuan; a contract above it is a key project


DEFAULT_KEY_THRESHOLD = KeyThreshold(date(2014, 1, 1), Decimal("2000000"))


def threshold_on(day: date, rows: Sequence[KeyThreshold]) -> KeyThreshold:
    """The threshold in force on `day`: the latest row effective on or before it."""
    current = [row for row in rows if row.effective_from <= day]
    return max(current, key=lambda r: r.effective_from) if current else DEFAULT_KEY_THRESHOLD


def requires_reevaluation(*, city_level: bool, value: Decimal, day: date, rows: Sequence[KeyThreshold]) -> bool:
    """City-level contracts over the threshold must be re-evaluated by the finance bureau; any
    other may be selected for it."""
    return city_level and value > threshold_on(day, rows).amount


# --- third-party evaluators (財綜〔2018〕42號) ----------------------------------------------------

DEFAULT_LOOKBACK_YEARS = 2


@dataclass(frozen=True)
class PastEvaluation:
    evaluator_id: int
    provider_id: int
    purchaser_id: int
    on: date


@dataclass(frozen=True)
class CommissionFacts:
    evaluator_id: int
    provider_id: int
    purchaser_id: int
    related_to_provider: frozenset[int] = frozenset()  # organisations linked to the provider
    bidders: frozenset[int] = frozenset()  # organisations that bid in the contract's tender
    history: tuple[PastEvaluation, ...] = ()


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


RELATED, BID, REPEAT = "related_party", "bid_in_tender", "recent_repeat"
REFUSAL_MESSAGES = {
    RELATED: _("The evaluator is related to the provider."),
    BID: _("The evaluator bid in the same tender."),
    REPEAT: _("The evaluator evaluated this provider's contracts for this purchaser in the last %(years)d years."),
}


def evaluator_refusals(
    facts: CommissionFacts, *, today: date, lookback_years: int = DEFAULT_LOOKBACK_YEARS
) -> list[str]:
    reasons = []
    if facts.evaluator_id == facts.provider_id or facts.evaluator_id in facts.related_to_provider:
        reasons.append(RELATED)
    if facts.evaluator_id in facts.bidders:
        reasons.append(BID)
    since = years_before(today, lookback_years)
    if any(
        past.evaluator_id == facts.evaluator_id
        and past.provider_id == facts.provider_id
        and past.purchaser_id == facts.purchaser_id
        and past.on > since
        for past in facts.history
    ):
        reasons.append(REPEAT)
    return reasons


def check_evaluator(facts: CommissionFacts, *, today: date, lookback_years: int = DEFAULT_LOOKBACK_YEARS) -> None:
    reasons = evaluator_refusals(facts, today=today, lookback_years=lookback_years)
    if reasons:
        messages = [str(REFUSAL_MESSAGES[r]) % {"years": lookback_years} for r in reasons]
        raise ValidationFailed(" ".join(messages), code="evaluator_refused", fields={"evaluator": messages})


# --- evaluation rounds -------------------------------------------------------------------------------

SELF_ASSESSMENT = "self_assessment"
PURCHASER_EVALUATION = "purchaser_evaluation"
AWAITING_APPROVAL = "awaiting_approval"
FINANCE_REVIEW = "finance_review"
PROVIDER_RESPONSE = "provider_response"
PUBLISHED = "published"
CANCELLED = "cancelled"

ROUND_TRANSITIONS: dict[str, frozenset[str]] = {
    SELF_ASSESSMENT: frozenset({PURCHASER_EVALUATION, CANCELLED}),
    PURCHASER_EVALUATION: frozenset({AWAITING_APPROVAL, CANCELLED}),
    AWAITING_APPROVAL: frozenset({PURCHASER_EVALUATION, FINANCE_REVIEW, PROVIDER_RESPONSE}),
    FINANCE_REVIEW: frozenset({PROVIDER_RESPONSE}),
    PROVIDER_RESPONSE: frozenset({PUBLISHED}),
    PUBLISHED: frozenset(),
    CANCELLED: frozenset(),
}


def check_round_transition(before: str, after: str) -> None:
    if after not in ROUND_TRANSITIONS.get(before, frozenset()):
        raise TransitionRefused(
            _("An evaluation round cannot move from “%(before)s” to “%(after)s”.") % {"before": before, "after": after}
        )


def after_approval(*, reevaluate: bool) -> str:
    """Where a finalised evaluation goes: to the finance bureau when it is to re-evaluate."""
    return FINANCE_REVIEW if reevaluate else PROVIDER_RESPONSE


def check_four_eyes(*, submitted_by: int | None, approver: int) -> None:
    """The person who submitted the purchaser's evaluation cannot also finalise it."""
    if submitted_by is not None and submitted_by == approver:
        raise ValidationFailed(_("Another person must finalise the evaluation you submitted."), code="four_eyes")


RESPONSE_PERIOD = TimeLimit.working_days(5)


def response_deadline(notified_at: datetime, calendar: WorkingCalendar, limit: TimeLimit = RESPONSE_PERIOD) -> datetime:
    return calendar.deadline_at(notified_at, limit)


def may_publish(
    *,
    now: datetime,
    notified_at: datetime,
    responded: bool,
    calendar: WorkingCalendar,
    limit: TimeLimit = RESPONSE_PERIOD,
) -> bool:
    """Results are published once the provider has responded or its response period has ended."""
    return responded or now > response_deadline(notified_at, calendar, limit)


# --- surveys --------------------------------------------------------------------------------------

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud from a paper sheet
CODE_LENGTH = 12  # 31**12 ≈ 7.9e17: guessing one of a few thousand live codes is hopeless
DEFAULT_MIN_ANSWERS = 5
SATISFIED_FROM = 4  # on the 5-point scale, 4 and 5 count as satisfied


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    """What a person types: spaces, dashes and lower case are forgiven."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def hash_code(code: str, key: str) -> str:
    """Only this keyed hash is stored: a database copy does not reveal or let anyone test codes."""
    return hmac.new(key.encode(), normalise_code(code).encode(), hashlib.sha256).hexdigest()


def aggregates_visible(count: int, minimum: int = DEFAULT_MIN_ANSWERS) -> bool:
    """Aggregates are shown only from a minimum number of answers, so that no one answer can be
    told from the figures."""
    return count >= minimum


def wilson_interval(successes: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95 % by default); (0, 1) with no answers."""
    if total <= 0:
        return 0.0, 1.0
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    margin = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return max(0.0, centre - margin), min(1.0, centre + margin)


def satisfied_count(ratings: Iterable[int]) -> int:
    return sum(1 for r in ratings if r >= SATISFIED_FROM)


@dataclass(frozen=True)
class FlagPolicy:
    burst_count: int = 5  # this many answers from one address …
    burst_seconds: int = 600  # … within this many seconds
    identical_count: int = 5  # this many answers with the same set of ratings
    min_seconds_after_issue: int = 60
    hours_from: time = time(7, 0)  # the service area's hours, local time
    hours_to: time = time(22, 0)


@dataclass(frozen=True)
class AnswerFacts:
    answer_id: int
    submitted_at: datetime
    issued_at: datetime
    address_hash: str
    ratings: tuple[int, ...]


BURST, IDENTICAL, TOO_FAST, OUT_OF_HOURS = "burst", "identical", "too_fast", "out_of_hours"
FLAG_KINDS = (BURST, IDENTICAL, TOO_FAST, OUT_OF_HOURS)


def suspicious(answers: Sequence[AnswerFacts], policy: FlagPolicy = FlagPolicy()) -> dict[int, set[str]]:
    """Answer id → the patterns it shows. Flags are for a person to look at; nothing is dropped."""
    flags: dict[int, set[str]] = defaultdict(set)
    by_address: dict[str, list[AnswerFacts]] = defaultdict(list)
    for answer in answers:
        by_address[answer.address_hash].append(answer)
        if (answer.submitted_at - answer.issued_at).total_seconds() < policy.min_seconds_after_issue:
            flags[answer.answer_id].add(TOO_FAST)
        local = answer.submitted_at.astimezone(SHANGHAI).time()
        if not policy.hours_from <= local < policy.hours_to:
            flags[answer.answer_id].add(OUT_OF_HOURS)
    window = timedelta(seconds=policy.burst_seconds)
    for group in by_address.values():
        group.sort(key=lambda a: a.submitted_at)
        start = 0
        for end, answer in enumerate(group):
            while answer.submitted_at - group[start].submitted_at > window:
                start += 1
            if end - start + 1 >= policy.burst_count:
                for member in group[start : end + 1]:
                    flags[member.answer_id].add(BURST)
    sets = Counter(a.ratings for a in answers)
    for answer in answers:
        if sets[answer.ratings] >= policy.identical_count:
            flags[answer.answer_id].add(IDENTICAL)
    return {key: value for key, value in flags.items() if value}


@dataclass(frozen=True)
class SurveySummary:
    invitations: int
    answers: int
    satisfied: int
    distribution: dict[int, int] = field(default_factory=dict)

    @property
    def response_rate(self) -> Decimal:
        if not self.invitations:
            return Decimal("0.00")
        return (Decimal(self.answers) * HUNDRED / Decimal(self.invitations)).quantize(CENT, ROUND_HALF_UP)

    @property
    def satisfaction_rate(self) -> Decimal:
        if not self.answers:
            return Decimal("0.00")
        return (Decimal(self.satisfied) * HUNDRED / Decimal(self.answers)).quantize(CENT, ROUND_HALF_UP)

    def interval(self) -> tuple[Decimal, Decimal]:
        low, high = wilson_interval(self.satisfied, self.answers)
        return (
            (Decimal(str(low)) * HUNDRED).quantize(CENT, ROUND_HALF_UP),
            (Decimal(str(high)) * HUNDRED).quantize(CENT, ROUND_HALF_UP),
        )


def check_rating(value: int, scale: int = 5) -> None:
    if not 1 <= value <= scale:
        raise ValidationFailed(_("Choose a rating from 1 to %(scale)d.") % {"scale": scale}, code="rating_out_of_range")


# --- who acts ---------------------------------------------------------------------------------------


def edits_templates(scope: Scope) -> bool:
    """Templates, thresholds and policy are the city finance bureau's (a write role in it)."""
    return any(m.kind == FINANCE and m.region_level == CITY and m.writes for m in scope.memberships)


def acts_for_purchaser(scope: Scope, purchaser_id: int) -> bool:
    return scope.writes_for(purchaser_id)


def acts_for_provider(scope: Scope, provider_id: int) -> bool:
    return scope.acting_provider(provider_id) is not None


def acts_as_finance(scope: Scope, region_id: int) -> bool:
    return scope.finance_of(region_id) is not None


# Failed code attempts per sender before every attempt is refused for the window (a guessed code).
DEFAULT_CODE_ATTEMPTS = 10
DEFAULT_CODE_WINDOW_SECONDS = 3600


def check_code_attempts(failed: int, *, limit: int = DEFAULT_CODE_ATTEMPTS) -> None:
    if failed >= limit:
        raise RateLimited(
            _("Too many wrong codes from this device. Please wait an hour and try again."), code="code_attempts"
        )


# --- public consultations (確定購買內容) -----------------------------------------------------------

# As a project's feedback: a published comment may still be taken down (it turned out abusive or
# personal); a rejected one stays rejected.
COMMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    "pending": frozenset({"published", "rejected"}),
    "published": frozenset({"rejected"}),
    "rejected": frozenset(),
}
DEFAULT_COMMENTS_PER_HOUR = 5


def check_comment_transition(before: str, after: str) -> None:
    if after not in COMMENT_TRANSITIONS.get(before, frozenset()):
        raise TransitionRefused(_("This comment has already been moderated."), code="comment_moderated")


def check_open_for_comment(*, now: datetime, opens_at: datetime, closes_at: datetime, status: str) -> None:
    if status != "open" or not opens_at <= now < closes_at:
        raise TransitionRefused(_("The consultation is not open for comment."), code="consultation_closed")


def check_summary_allowed(*, now: datetime, closes_at: datetime, pending: int) -> None:
    """The summary comes after the period has ended and every comment is moderated."""
    if now < closes_at:
        raise TransitionRefused(_("Publish the summary after the comment period has ended."), code="still_open")
    if pending:
        raise TransitionRefused(
            _("Moderate the %(n)d comments awaiting moderation first.") % {"n": pending}, code="comments_pending"
        )
