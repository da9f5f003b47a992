"""Pure decisions for budgets and purchase projects: the transition table, who may do what, the
costing (以事定費), the contract-term check (Order 102 Art. 24) and the splitting check (Law
Art. 28, Reg. Art. 28). No queries here."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from govbuy.core import money
from govbuy.core.errors import TransitionRefused, ValidationFailed
from govbuy.core.money import CENT
from govbuy.organizations.kinds import PURCHASER_KINDS, WRITE_ROLES
from govbuy.organizations.scope import Scope
from govbuy.planning.models import CostCategory, IndicatorFamily, Method, ProjectStatus, StaffingReview

S = ProjectStatus

# Every allowed move; every pair not listed is refused (tests walk the whole matrix).
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.UNDER_REVIEW, S.RETURNED}),
    S.UNDER_REVIEW: frozenset({S.APPROVED, S.RETURNED}),
    S.RETURNED: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.APPROVED: frozenset({S.IN_PLAN, S.CANCELLED}),
    S.IN_PLAN: frozenset({S.CANCELLED}),
    S.WITHDRAWN: frozenset(),
    S.CANCELLED: frozenset(),
}

# The purchaser may change the project only while it is with the purchaser.
EDITABLE = frozenset({S.DRAFT, S.RETURNED})
# States whose estimate holds money on the budget line.
COMMITTING = frozenset({S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.RETURNED, S.APPROVED, S.IN_PLAN})
# States the reviewers and the oversight bodies see (a draft is the purchaser's alone).
VISIBLE_TO_OVERSIGHT = frozenset(set(S.values) - {S.DRAFT})
WAITING_FOR_FINANCE = frozenset({S.SUBMITTED, S.UNDER_REVIEW})

FINANCE = "finance_bureau"
STAFFING = "staffing_office"

MAX_TERM_DAYS_ONE_YEAR = 366
# Order 102 Art. 24 allows at most three years.
MAX_TERM_YEARS = 3
MIN_YEAR, MAX_YEAR = 2000, 2100


def check_transition(before: str, after: str) -> None:
    if after not in TRANSITIONS.get(before, frozenset()):
        raise TransitionRefused(
            _("A project cannot go from “%(before)s” to “%(after)s”.")
            % {"before": S(before).label if before in S.values else before, "after": S(after).label}
        )


# --- Who may do what ---------------------------------------------------------------------------


def _writes(scope: Scope, kinds: Iterable[str], *, region_id: int | None = None, org_id: int | None = None) -> bool:
    wanted = frozenset(kinds)
    for org, kind, role, member_region, _level in scope.memberships:
        if kind not in wanted or role not in WRITE_ROLES:
            continue
        if org_id is not None and org != org_id:
            continue
        if region_id is not None and member_region != region_id:
            continue
        return True
    return False


def purchaser_ids(scope: Scope, *, write: bool = False) -> frozenset[int]:
    return frozenset(
        org
        for org, kind, role, _r, _l in scope.memberships
        if kind in PURCHASER_KINDS and (not write or role in WRITE_ROLES)
    )


def may_act_for_purchaser(scope: Scope, purchaser_id: int) -> bool:
    return purchaser_id in purchaser_ids(scope, write=True)


def may_review_finance(scope: Scope, *, region_id: int) -> bool:
    """The finance bureau of the project's own region reviews it (a district's its district's, the
    city's the city-level purchasers')."""
    return _writes(scope, [FINANCE], region_id=region_id)


def may_review_staffing(scope: Scope, *, region_id: int, region_parent_id: int | None) -> bool:
    """The staffing office of the region, or the city's for every district."""
    for _org, kind, role, member_region, level in scope.memberships:
        if kind != STAFFING or role not in WRITE_ROLES:
            continue
        if member_region == region_id or (level == "city" and region_parent_id == member_region):
            return True
    return False


def may_edit_threshold(scope: Scope) -> bool:
    return any(
        kind == FINANCE and level == "city" and role in WRITE_ROLES for _o, kind, role, _r, level in scope.memberships
    )


def finance_region_ids(scope: Scope) -> frozenset[int]:
    return frozenset(r for _o, kind, role, r, _l in scope.memberships if kind == FINANCE and role in WRITE_ROLES)


def staffing_members(scope: Scope) -> list[tuple[int, str]]:
    return [(r, level) for _o, kind, role, r, level in scope.memberships if kind == STAFFING and role in WRITE_ROLES]


# --- Input --------------------------------------------------------------------------------------


def _invalid(field: str, message: Any, code: str = "invalid") -> ValidationFailed:
    return ValidationFailed(message, code=code, fields={field: [message]})


def check_year(year: Any, field: str = "fiscal_year") -> int:
    try:
        value = int(year)
    except (TypeError, ValueError):
        value = 0
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise _invalid(field, _("Enter a fiscal year between 2000 and 2100."), "fiscal_year")
    return value


def parse_decimal(value: Any, field: str, *, label: Any) -> Decimal:
    """The project's one number parser (`govbuy.core.money.parse_decimal`), with messages naming the field."""
    try:
        return money.parse_decimal(value)
    except ValidationFailed as exc:
        if exc.code == "too_precise":
            raise _invalid(field, _("%(label)s has at most two decimal places.") % {"label": label}, exc.code) from None
        if exc.code == "too_large":
            raise _invalid(field, _("The amount is too large."), "amount_too_large") from None
        if isinstance(value, float):
            message = _("%(label)s must be an exact decimal number.") % {"label": label}
            raise _invalid(field, message, exc.code) from None
        raise _invalid(field, _("%(label)s is not a number.") % {"label": label}, exc.code) from None


def check_amount(value: Any, field: str = "amount", *, allow_zero: bool = True) -> Decimal:
    amount = parse_decimal(value, field, label=_("The amount"))
    if amount < 0:
        raise _invalid(field, _("An amount cannot be negative."), "negative_amount")
    if not allow_zero and amount == 0:
        raise _invalid(field, _("The amount must be greater than zero."), "zero_amount")
    if amount >= Decimal("1e14"):
        raise _invalid(field, _("The amount is too large."), "amount_too_large")
    return amount


def check_period(start: date | None, end: date | None) -> None:
    if start is None or end is None:
        raise _invalid("period_start", _("Enter the first and the last day of the service period."), "period_required")
    if end < start:
        raise _invalid("period_end", _("The service period cannot end before it starts."), "period_reversed")


@dataclass(frozen=True)
class CostInput:
    description: str
    category: str
    unit: str
    quantity: Decimal
    unit_cost: Decimal

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_cost).quantize(CENT, rounding=ROUND_HALF_UP)


def clean_cost_lines(rows: Sequence[dict[str, Any]]) -> list[CostInput]:
    """The work to be done, line by line; every fault is reported with its line number."""
    if not rows:
        raise _invalid("cost_lines", _("Cost the project from the work: add at least one line."), "no_cost_lines")
    errors: list[Any] = []
    out: list[CostInput] = []
    categories = set(CostCategory.values)
    for index, row in enumerate(rows, start=1):
        description = str(row.get("description") or "").strip()
        unit = str(row.get("unit") or "").strip()
        category = str(row.get("category") or "other")
        try:
            quantity = parse_decimal(row.get("quantity"), "quantity", label=_("The quantity"))
            unit_cost = parse_decimal(row.get("unit_cost"), "unit_cost", label=_("The unit cost"))
        except ValidationFailed as exc:
            errors.append(_("Line %(n)d: %(message)s") % {"n": index, "message": exc.message})
            continue
        if not description:
            errors.append(_("Line %(n)d: describe the task.") % {"n": index})
        if not unit:
            errors.append(_("Line %(n)d: name the unit in which the quantity is counted.") % {"n": index})
        if category not in categories:
            errors.append(_("Line %(n)d: choose a cost category.") % {"n": index})
        if quantity <= 0:
            errors.append(_("Line %(n)d: the quantity must be greater than zero.") % {"n": index})
        if unit_cost < 0:
            errors.append(_("Line %(n)d: the unit cost cannot be negative.") % {"n": index})
        elif unit_cost == 0:
            errors.append(_("Line %(n)d: the unit cost must be greater than zero.") % {"n": index})
        out.append(CostInput(description[:200], category, unit[:30], quantity, unit_cost))
    if errors:
        raise ValidationFailed(errors[0], code="invalid_cost_lines", fields={"cost_lines": errors})
    return out


def estimate_of(lines: Iterable[CostInput]) -> Decimal:
    """以事定費: the estimate is the sum of quantity × unit cost, never a typed lump sum."""
    return sum((line.amount for line in lines), Decimal("0.00")).quantize(CENT)


@dataclass(frozen=True)
class TargetInput:
    family: str
    name: str
    direction: str
    target_value: Decimal
    unit: str


def clean_targets(rows: Sequence[dict[str, Any]]) -> list[TargetInput]:
    errors: list[Any] = []
    out: list[TargetInput] = []
    for index, row in enumerate(rows, start=1):
        family = str(row.get("family") or "")
        name = str(row.get("name") or "").strip()
        unit = str(row.get("unit") or "").strip()
        direction = str(row.get("direction") or "at_least")
        try:
            value = parse_decimal(row.get("target_value"), "target_value", label=_("The target value"))
        except ValidationFailed as exc:
            errors.append(_("Indicator %(n)d: %(message)s") % {"n": index, "message": exc.message})
            continue
        if family not in IndicatorFamily.values:
            errors.append(_("Indicator %(n)d: choose its family.") % {"n": index})
        if not name:
            errors.append(_("Indicator %(n)d: name the indicator.") % {"n": index})
        if direction not in ("at_least", "at_most"):
            errors.append(_("Indicator %(n)d: choose whether the target is a minimum or a maximum.") % {"n": index})
        if value < 0:
            errors.append(_("Indicator %(n)d: the target value cannot be negative.") % {"n": index})
        out.append(TargetInput(family, name[:200], direction, value, unit[:30]))
    if errors:
        raise ValidationFailed(errors[0], code="invalid_targets", fields={"targets": errors})
    return out


def missing_families(families: Iterable[str]) -> list[str]:
    have = set(families)
    return [f for f in IndicatorFamily.values if f not in have]


def check_targets_complete(families: Iterable[str]) -> None:
    """Before submission: an indicator for quantity, quality, timeliness, cost and satisfaction."""
    missing = missing_families(families)
    if missing:
        labels = "、".join(str(IndicatorFamily(f).label) for f in missing)
        raise _invalid(
            "targets",
            _("Set performance targets for every family before submitting; missing: %(families)s.")
            % {"families": labels},
            "targets_incomplete",
        )


def check_method(*, in_scope: bool, method: str) -> None:
    if method not in Method.values:
        raise _invalid("suggested_method", _("Choose a suggested method."), "method")
    outside_only = {Method.CONTRACT, Method.COMMISSION}
    if in_scope and method in outside_only:
        raise _invalid(
            "suggested_method",
            _("Inside the government-procurement scope a statutory procurement method is required."),
            "method_scope",
        )


# --- Contract term (Order 102 Art. 24) ---------------------------------------------------------


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def term_problem(*, start: date, end: date, recurring: bool, stable_content: bool, budget_secured: bool) -> Any:
    """None when the term is allowed; otherwise the reason. Over one year needs all three
    conditions; over three years never."""
    if end < start:
        return _("The service period cannot end before it starts.")
    if end >= add_years(start, MAX_TERM_YEARS):
        return _("A service contract may run for at most three years (Order 102 Art. 24).")
    if end >= add_years(start, 1) and not (recurring and stable_content and budget_secured):
        return _(
            "A service period over one year is allowed only for a recurring service with stable content "
            "whose budget is secured (Order 102 Art. 24); tick the conditions that hold or shorten the period."
        )
    return None


def check_term(**kwargs: Any) -> None:
    problem = term_problem(**kwargs)
    if problem is not None:
        raise _invalid("period_end", problem, "term")


# --- Splitting (Law Art. 28, Reg. Art. 28) -------------------------------------------------------


@dataclass(frozen=True)
class SplitFacts:
    project_id: int
    reference: str
    item_key: str  # catalog item code or procurement item code
    estimate: Decimal
    # Normalised (catalog.rules.strict_form and loose_form: NFKC, invisible characters, spaces and
    # punctuation removed, Simplified): the item's or outside-catalog name, the title, the description.
    names: tuple[str, ...] = ()
    description: str = ""


# Words that do not tell one service from another ("…服务", "…项目", "第二期", "2027年度"): removed
# before names are compared, so 社区文化活动组织 and 社区文化活动组织服务 are the same service.
_FILLER = re.compile(
    r"(政府购买|购买|采购|服务|项目|工作|委托|外包|"
    r"第?[0-9〇零一二三四五六七八九十百]+(期|批|批次|标段|包|年度|年|季度|月|次)|[0-9]+|[（）()【】\[\]])"
)
NAME_SIMILARITY = Decimal("0.75")
DESCRIPTION_SIMILARITY = Decimal("0.8")
MIN_CONTAINED = 4  # a core name this long inside another is the same service ("社区文化活动组织")
MIN_DESCRIPTION = 12


def core_name(name: str) -> str:
    return _FILLER.sub("", name)


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def similarity(a: str, b: str) -> Decimal:
    """Dice coefficient of the character pairs of two texts (0 to 1)."""
    x, y = _bigrams(a), _bigrams(b)
    if not x or not y:
        return Decimal(0)
    return Decimal(2 * len(x & y)) / Decimal(len(x) + len(y))


def same_service(a: SplitFacts, b: SplitFacts) -> str:
    """Why two projects buy the same service ("item", "name", "description"), or ""."""
    if a.item_key and a.item_key == b.item_key:
        return "item"
    for x in (core_name(n) for n in a.names if n):
        for y in (core_name(n) for n in b.names if n):
            if len(x) < 2 or len(y) < 2:
                continue
            if x == y or (min(len(x), len(y)) >= MIN_CONTAINED and (x in y or y in x)):
                return "name"
            if similarity(x, y) >= NAME_SIMILARITY:
                return "name"
    long_enough = min(len(a.description), len(b.description)) >= MIN_DESCRIPTION
    if long_enough and similarity(a.description, b.description) >= DESCRIPTION_SIMILARITY:
        return "description"
    return ""


def splitting_check(*, project: SplitFacts, others: Sequence[SplitFacts], threshold: Decimal) -> dict[str, Any]:
    """Projects of one purchaser in one fiscal year buying the same service — the same catalog or
    procurement item, or names or descriptions that are the same once normalised — whose sum
    reaches the public-tender threshold while the project alone stays under it: flagged for the
    finance bureau."""
    same = []
    bases: dict[str, str] = {}
    for other in others:
        if other.project_id == project.project_id:
            continue
        basis = same_service(project, other)
        if basis:
            same.append(other)
            bases[other.reference] = basis
    total = project.estimate + sum((o.estimate for o in same), Decimal("0.00"))
    flagged = bool(same) and project.estimate < threshold <= total
    return {
        "flagged": flagged,
        "item": project.item_key,
        "threshold": str(threshold),
        "total": str(total.quantize(CENT)),
        "projects": sorted([o.reference for o in same] + [project.reference]),
        "bases": bases,
    }


# --- Staffing ------------------------------------------------------------------------------------


def initial_staffing(is_conversion: bool) -> str:
    return StaffingReview.PENDING if is_conversion else StaffingReview.NOT_REQUIRED


def check_ready_for_approval(*, staffing: str, outside_catalog: bool, approve_outside: bool) -> None:
    if staffing in (StaffingReview.PENDING, StaffingReview.RETURNED):
        raise TransitionRefused(
            _(
                "This project converts an in-house service: the staffing office must confirm first that it "
                "adds no posts or bodies."
            ),
            code="staffing_pending",
        )
    if outside_catalog and not approve_outside:
        raise ValidationFailed(
            _(
                "The service is outside the catalog: approving the project also approves the purchase "
                "outside the catalog; confirm it."
            ),
            code="outside_catalog_unconfirmed",
            fields={"approve_outside_catalog": [_("Confirm the purchase outside the catalog.")]},
        )


def plan_changes(before: Sequence[dict[str, Any]], after: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """What a new plan version changes: projects added, removed (cancelled) and changed."""
    old = {e["reference"]: e for e in before}
    new = {e["reference"]: e for e in after}
    added = [new[r] for r in sorted(new.keys() - old.keys())]
    removed = [old[r] for r in sorted(old.keys() - new.keys())]
    changed = []
    for ref in sorted(old.keys() & new.keys()):
        diffs = {
            key: [old[ref].get(key), new[ref].get(key)]
            for key in ("title", "estimate", "method", "period_start", "period_end")
            if old[ref].get(key) != new[ref].get(key)
        }
        if diffs:
            changed.append({"reference": ref, "title": new[ref]["title"], "changes": diffs})
    return {
        "added": added,
        "removed": removed,
        "changed": changed,
        "counts": {"added": len(added), "removed": len(removed), "changed": len(changed)},
    }
