"""Reads of the pre-aggregated statistics, from the user's reach: a handful of grouped queries
over `StatisticsCell`, however many projects the figures describe. A region outside the reach
or unknown, or a year without figures, is a clear 404; a year that is not a year a 400."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Max, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from govbuy.core.errors import NotFound
from govbuy.organizations.models import Region
from govbuy.organizations.scope import scope_for
from govbuy.oversight.models import Audience, Grain, Measure, StatisticsCell, StatisticsRefresh
from govbuy.oversight.statistics import rules
from govbuy.planning.models import Method

M = Measure
ZERO = Decimal(0)


@dataclass
class Figures:
    """The sums of one slice (everything, a year, a region…): measure → key → [number, amount]."""

    label: str = ""
    value: Any = None
    audience: str = Audience.STAFF
    sums: dict[str, dict[str, list[Any]]] = field(default_factory=lambda: defaultdict(dict))

    def add(self, measure: str, key: str, number: int, amount: Any) -> None:
        cell = self.sums[measure].setdefault(key, [0, ZERO])
        cell[0] += int(number or 0)
        cell[1] += Decimal(amount or 0)

    def n(self, measure: str, key: str = "") -> int:
        return int(self.sums.get(measure, {}).get(key, [0, ZERO])[0])

    def a(self, measure: str, key: str = "") -> Decimal:
        return Decimal(self.sums.get(measure, {}).get(key, [0, ZERO])[1])

    # Spending (yuan)
    @property
    def planned_count(self) -> int:
        return self.n(M.PLANNED)

    @property
    def planned_amount(self) -> Decimal:
        return self.a(M.PLANNED)

    @property
    def awarded_count(self) -> int:
        return self.n(M.AWARDED)

    @property
    def awarded_amount(self) -> Decimal:
        return self.a(M.AWARDED)

    @property
    def contracted_count(self) -> int:
        return self.n(M.CONTRACTED)

    @property
    def contracted_amount(self) -> Decimal:
        return self.a(M.CONTRACTED)

    @property
    def paid_amount(self) -> Decimal:
        return self.a(M.PAID)

    # Competition
    @property
    def tenders(self) -> int:
        return self.n(M.COMPETITION, rules.TENDERS)

    @property
    def bids(self) -> int:
        return self.n(M.COMPETITION, rules.BIDS)

    @property
    def bids_per_tender(self) -> Decimal | None:
        return rules.ratio(self.bids, self.tenders)

    @property
    def single_bid(self) -> int:
        return self.n(M.COMPETITION, rules.SINGLE)

    @property
    def single_bid_rate(self) -> Decimal | None:
        return rules.rate(self.single_bid, self.tenders)

    # Savings against budgets
    @property
    def budget(self) -> Decimal:
        return self.a(M.SAVINGS, rules.BUDGET)

    @property
    def savings(self) -> Decimal:
        return self.budget - self.a(M.SAVINGS, rules.AWARDED)

    @property
    def savings_rate(self) -> Decimal | None:
        return rules.rate(self.savings, self.budget)

    # Timeliness
    def _on_time(self, measure: str) -> Decimal | None:
        total = self.n(measure, rules.ON_TIME) + self.n(measure, rules.LATE) + self.n(measure, rules.OVERDUE)
        return rules.rate(self.n(measure, rules.ON_TIME), total)

    @property
    def signing_rate(self) -> Decimal | None:
        return self._on_time(M.SIGNING)

    @property
    def publication_rate(self) -> Decimal | None:
        return self._on_time(M.PUBLICATION)

    @property
    def payment_rate(self) -> Decimal | None:
        return self._on_time(M.PAYMENT)

    def timeliness(self) -> list[dict[str, Any]]:
        rows = []
        for measure, label in ((M.SIGNING, _("Contract signing")), (M.PUBLICATION, _("Contract publication"))):
            rows.append(self._step(measure, label))
        rows.append(self._step(M.PAYMENT, _("Payment")))
        return rows

    def _step(self, measure: str, label: str) -> dict[str, Any]:
        return {
            "label": label,
            "on_time": self.n(measure, rules.ON_TIME),
            "late": self.n(measure, rules.LATE),
            "overdue": self.n(measure, rules.OVERDUE),
            "rate": self._on_time(measure),
        }

    # Kinds of providers
    def kinds(self) -> list[dict[str, Any]]:
        wins = sum(self.n(M.WINS_BY_KIND, g) for g in rules.GROUPS)
        won = sum((self.a(M.WINS_BY_KIND, g) for g in rules.GROUPS), ZERO)
        bids = sum(self.n(M.BIDS_BY_KIND, g) for g in rules.GROUPS)
        registered = sum(self.n(M.PROVIDERS_BY_KIND, g) for g in rules.GROUPS)
        return [
            {
                "key": group,
                "label": rules.GROUP_LABELS[group],
                "registered": self.n(M.PROVIDERS_BY_KIND, group),
                "registered_share": rules.rate(self.n(M.PROVIDERS_BY_KIND, group), registered),
                "bids": self.n(M.BIDS_BY_KIND, group),
                "bids_share": rules.rate(self.n(M.BIDS_BY_KIND, group), bids),
                "wins": self.n(M.WINS_BY_KIND, group),
                "wins_share": rules.rate(self.n(M.WINS_BY_KIND, group), wins),
                "won": self.a(M.WINS_BY_KIND, group),
                "won_share": rules.rate(self.a(M.WINS_BY_KIND, group), won),
            }
            for group in rules.GROUPS
        ]

    @property
    def social_share(self) -> Decimal | None:
        wins = sum(self.n(M.WINS_BY_KIND, g) for g in rules.GROUPS)
        return rules.rate(self.n(M.WINS_BY_KIND, rules.SOCIAL), wins)

    # Performance
    @property
    def graded(self) -> int:
        return sum(self.n(M.GRADES, k) for k in self.sums.get(M.GRADES, {}))

    @property
    def average_score(self) -> Decimal | None:
        total = sum((self.a(M.GRADES, k) for k in self.sums.get(M.GRADES, {})), ZERO)
        return rules.ratio(total, self.graded)

    def grades(self) -> list[dict[str, Any]]:
        from govbuy.performance.models import Grade

        return [{"label": label, "count": self.n(M.GRADES, value)} for value, label in Grade.choices]

    @property
    def answers(self) -> int:
        return self.n(M.SATISFACTION, rules.ANSWERS)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        if self.audience == Audience.PUBLIC and self.answers < rules.PUBLIC_MIN_ANSWERS:
            return None  # too few answers to publish a rate that could tell one answer
        return rules.rate(self.n(M.SATISFACTION, rules.SATISFIED), self.answers)

    # 費隨事轉
    @property
    def conversions(self) -> int:
        return self.n(M.CONVERSIONS)

    @property
    def converted_amount(self) -> Decimal:
        return self.a(M.CONVERSIONS)

    def as_dict(self) -> dict[str, Any]:
        """The figures of the slice, for the API and the exports."""
        return {
            "planned_count": self.planned_count,
            "planned_amount": self.planned_amount,
            "awarded_count": self.awarded_count,
            "awarded_amount": self.awarded_amount,
            "contracted_count": self.contracted_count,
            "contracted_amount": self.contracted_amount,
            "paid_amount": self.paid_amount,
            "tenders_opened": self.tenders,
            "bids_opened": self.bids,
            "bids_per_tender": self.bids_per_tender,
            "single_bid_tenders": self.single_bid,
            "single_bid_rate": self.single_bid_rate,
            "budget_of_awarded_lots": self.budget,
            "savings": self.savings,
            "savings_rate": self.savings_rate,
            "signing_on_time_rate": self.signing_rate,
            "publication_on_time_rate": self.publication_rate,
            "payment_on_time_rate": self.payment_rate,
            "social_organisation_win_share": self.social_share,
            "evaluations_graded": self.graded,
            "average_score": self.average_score,
            "survey_answers": self.answers,
            "satisfaction_rate": self.satisfaction_rate,
            "conversions": self.conversions,
            "converted_amount": self.converted_amount,
        }


@dataclass
class Filters:
    year: int | None
    region: Region | None


@dataclass
class Statistics:
    audience: str
    filters: Filters
    years: list[int]
    regions: list[Region]
    total: Figures
    by_year: list[Figures]
    by_region: list[Figures]
    by_category: list[Figures]
    by_method: list[Figures]
    refreshed: StatisticsRefresh | None
    running: StatisticsRefresh | None


# --- Reach and filters -------------------------------------------------------------------------


def regions_in_reach(user: Any) -> list[Region]:
    """The regions whose figures the user reads (the city's bodies: all); none is a 404."""
    reach = rules.reach(scope_for(user))
    qs = Region.objects.order_by("level", "code")
    if reach is not None:
        if not reach:
            raise Http404
        qs = qs.filter(pk__in=sorted(reach))
    return list(qs)


def public_regions() -> list[Region]:
    return list(Region.objects.order_by("level", "code"))


def years_with_figures(audience: str) -> list[int]:
    return list(
        StatisticsCell.objects.filter(audience=audience, grain=Grain.REGION, year__gt=0)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


def parse_filters(*, regions: list[Region], years: list[int], year: Any, region: Any) -> Filters:
    """The year and region a request names (the region by its Chinese name or its code)."""
    chosen_year = rules.parse_year(year)
    if chosen_year is not None and chosen_year not in years:
        raise NotFound(_("There are no statistics for %(year)s.") % {"year": chosen_year}, code="unknown_year")
    text = str(region or "").strip()
    chosen = None
    if text:
        chosen = next((r for r in regions if text in (r.code, r.name_zh)), None)
        if chosen is None:
            raise NotFound(
                _("There is no region “%(region)s” in the statistics you may read.") % {"region": text[:60]},
                code="unknown_region",
            )
    return Filters(year=chosen_year, region=chosen)


# --- The figures --------------------------------------------------------------------------------


def _cells(
    audience: str, filters: Filters, region_ids: list[int] | None, grain: str = Grain.REGION
) -> QuerySet[StatisticsCell]:
    qs = StatisticsCell.objects.filter(audience=audience, grain=grain)
    if region_ids is not None:
        qs = qs.filter(region_id__in=region_ids)
    if filters.region is not None:
        qs = qs.filter(region=filters.region)
    if filters.year is not None:
        # Year 0 holds the snapshot of registered providers: it belongs to every year's view.
        qs = qs.filter(year__in=[0, filters.year])
    return qs


def _grouped(qs: QuerySet[StatisticsCell], *dims: str) -> QuerySet[Any]:
    return qs.values("measure", "key", *dims).annotate(n=Sum("number"), a=Sum("amount")).order_by(*dims)


def _slices(qs: QuerySet[StatisticsCell], dim: str, audience: str, label: Any) -> list[Figures]:
    out: dict[Any, Figures] = {}
    rows = _grouped(qs, dim)
    if dim == "category":
        # A category's name as the latest catalog version gives it (a code keeps its meaning).
        rows = rows.annotate(name=Max("category_name"))
    for row in rows:
        value = row[dim]
        if value not in out:
            out[value] = Figures(label=label(row), value=value, audience=audience)
        elif row.get("name") and not out[value].label.endswith(row["name"]):
            out[value].label = label(row)
        out[value].add(row["measure"], row["key"], row["n"], row["a"])
    return list(out.values())


METHOD_LABELS = dict(Method.choices)


def figures(*, audience: str, filters: Filters, regions: list[Region], years: list[int]) -> Statistics:
    """Everything a statistics page shows: the totals and the slices by year, region, category
    and method (five grouped queries over the roll-ups, whose size depends on the years, regions,
    categories and methods, not on the number of projects), with the last refresh."""
    region_ids = [r.pk for r in regions] if audience == Audience.STAFF else None
    qs = _cells(audience, filters, region_ids)  # the roll-up by year and region
    total = Figures(label=_("Total"), audience=audience)
    for row in _grouped(qs):
        total.add(row["measure"], row["key"], row["n"], row["a"])
    # The city's own row holds the city-level purchasers' figures, not the whole city's.
    names = {
        r.pk: r.name_zh if r.level != Region.Level.CITY else _("%(city)s (city level)") % {"city": r.name_zh}
        for r in regions
    }
    by_year = [f for f in _slices(qs, "year", audience, lambda row: str(row["year"])) if f.value]
    by_region = _slices(qs, "region", audience, lambda row: names.get(row["region"], ""))
    by_category = [
        f
        for f in _slices(
            _cells(audience, filters, region_ids, Grain.CATEGORY),
            "category",
            audience,
            lambda row: (
                f"{row['category']} {row['name']}".strip()
                if row["category"] != rules.OUTSIDE_CATALOG
                else _("outside the catalog")
            ),
        )
        if f.value
    ]
    by_method = [
        f
        for f in _slices(
            _cells(audience, filters, region_ids, Grain.METHOD),
            "method",
            audience,
            lambda row: str(METHOD_LABELS.get(row["method"], row["method"])),
        )
        if f.value
    ]
    refreshes = list(StatisticsRefresh.objects.order_by("-created_at", "-pk")[:1])
    done = StatisticsRefresh.objects.filter(status=StatisticsRefresh.Status.DONE).order_by("-finished_at", "-pk")
    return Statistics(
        audience=audience,
        filters=filters,
        years=years,
        regions=regions,
        total=total,
        by_year=by_year,
        by_region=by_region,
        by_category=by_category,
        by_method=by_method,
        refreshed=done.first(),
        running=refreshes[0] if refreshes and refreshes[0].is_active else None,
    )


@dataclass
class Headline:
    total: Figures
    refreshed: StatisticsRefresh | None


def headline(*, audience: str, regions: list[Region]) -> Headline:
    """The totals of the reach and the last refresh (the home page's line): two queries."""
    total = Figures(label=_("Total"), audience=audience)
    for row in _grouped(_cells(audience, Filters(year=None, region=None), [r.pk for r in regions])):
        total.add(row["measure"], row["key"], row["n"], row["a"])
    done = StatisticsRefresh.objects.filter(status=StatisticsRefresh.Status.DONE).order_by("-finished_at", "-pk")
    return Headline(total=total, refreshed=done.first())


def refresh_for(user: Any, pk: Any) -> StatisticsRefresh:
    """A rebuild's progress, for whoever reads statistics."""
    regions_in_reach(user)
    try:
        return StatisticsRefresh.objects.get(pk=int(str(pk)))
    except (ValueError, StatisticsRefresh.DoesNotExist):
        raise Http404 from None


def export_cells(*, audience: str, filters: Filters, regions: list[Region]) -> QuerySet[Any]:
    """Every figure of the reach and filters, one row each, read as a stream (the xlsx export
    and the API's list of figures)."""
    region_ids = [r.pk for r in regions] if audience == Audience.STAFF else None
    return (
        _cells(audience, filters, region_ids, Grain.CELL)
        .order_by("year", "region__code", "measure", "key", "category", "method", "pk")
        .values_list(
            "year", "region__name_zh", "measure", "key", "category", "category_name", "method", "number", "amount"
        )
    )
