"""The worker's aggregation: each measure is one grouped query over a lower app (a few thousand
groups at most, whatever the number of projects), mapped to the top-level catalog category and
summed into cells. Every record is placed by its purchase project: fiscal year, region, catalog
item and method (the tender's method once there is one, else the project's suggested method).

Each measure is computed twice: for oversight bodies (every record) and for the public (only
what the law has made public: plans, opened tenders, announced awards, published contracts and
evaluations)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from govbuy.catalog.models import CatalogItem
from govbuy.contracts.models import Contract, ContractStatus, Milestone, Payment
from govbuy.core.calendar.rules import local_date, start_of_day
from govbuy.organizations.models import Organisation
from govbuy.oversight.models import Audience, Measure
from govbuy.oversight.statistics import rules
from govbuy.performance.models import Answer, EvaluationRound, RoundStatus
from govbuy.planning.models import Project, ProjectStatus, Transfer
from govbuy.procurement.models import Award, AwardStatus, Bid, BidStatus, Opening
from govbuy.providers.models import ProviderProfile

STAFF, PUBLIC = Audience.STAFF.value, Audience.PUBLIC.value
ZERO = Decimal(0)


@dataclass(frozen=True)
class Dims:
    """Where a record belongs: the paths from a model to its project's fields and its method."""

    project: str  # "" when the model is the project itself

    def path(self, name: str) -> str:
        return f"{self.project}__{name}" if self.project else name

    def values(self, method: Any) -> dict[str, Any]:
        return {
            "y": F(self.path("fiscal_year")),
            "r": F(self.path("region_id")),
            "i": F(self.path("catalog_item_id")),
            "m": method,
        }


Key = tuple[str, str, str, int, int, int | None, str]  # measure, key, audience, year, region, item, method


class Tally:
    """Cells being summed: (measure, key, audience, year, region, catalog item, method) → [number, amount]."""

    def __init__(self) -> None:
        self.cells: dict[Key, list[Any]] = defaultdict(lambda: [0, ZERO])

    def add(self, measure: str, key: str, audience: str, row: Mapping[str, Any], number: int, amount: Any) -> None:
        cell = self.cells[(measure, key, audience, int(row["y"]), int(row["r"]), row["i"], str(row["m"] or ""))]
        cell[0] += int(number or 0)
        cell[1] += Decimal(amount or 0)

    def grouped(
        self, measure: str, qs: QuerySet[Any], dims: dict[str, Any], audience: str, *, key: str = "", amount: Any = None
    ) -> None:
        annotations: dict[str, Any] = {"n": Count("pk")}
        if amount is not None:
            annotations["a"] = Sum(amount)
        for row in qs.values(**dims).annotate(**annotations).order_by():
            self.add(measure, key, audience, row, row["n"], row.get("a"))


def both(public: Q) -> Iterator[tuple[str, Q]]:
    """The staff audience sees every record, the public those matching `public`."""
    yield STAFF, Q()
    yield PUBLIC, public


PROJECT = Dims("")
TENDER = Dims("tender__project")
CONTRACT = Dims("project")


def tender_method(prefix: str) -> Any:
    return F(f"{prefix}method__code")


def contract_method(prefix: str = "") -> Any:
    return Coalesce(F(f"{prefix}award__tender__method__code"), F(f"{prefix}project__suggested_method"))


def planned(tally: Tally) -> None:
    qs = Project.objects.filter(status__in=[ProjectStatus.APPROVED, ProjectStatus.IN_PLAN])
    for audience, public in both(Q(status=ProjectStatus.IN_PLAN)):
        tally.grouped(
            Measure.PLANNED,
            qs.filter(public),
            PROJECT.values(F("suggested_method")),
            audience,
            amount="estimate",
        )


def awards(tally: Tally) -> None:
    qs = Award.objects.filter(status=AwardStatus.ACTIVE)
    dims = TENDER.values(tender_method("tender__"))
    for audience in (STAFF, PUBLIC):  # an announced award is public
        tally.grouped(Measure.AWARDED, qs, dims, audience, amount="amount")
        tally.grouped(Measure.SAVINGS, qs, dims, audience, key=rules.BUDGET, amount="lot__budget")
        tally.grouped(Measure.SAVINGS, qs, dims, audience, key=rules.AWARDED, amount="amount")
        rows = qs.values(**dims, k=F("provider__kind")).annotate(n=Count("pk"), a=Sum("amount")).order_by()
        for row in rows:
            tally.add(Measure.WINS_BY_KIND, rules.kind_group(row["k"]), audience, row, row["n"], row["a"])


def competition(tally: Tally) -> None:
    """Tenders whose bids were opened: how many bids each had, and how many had only one."""
    qs = Opening.objects.filter(confirmed_at__isnull=False)
    dims = TENDER.values(tender_method("tender__"))
    for audience in (STAFF, PUBLIC):  # the opening record is public
        rows = (
            qs.values(**dims)
            .annotate(n=Count("pk"), bids=Sum("bid_count"), single=Count("pk", filter=Q(bid_count=1)))
            .order_by()
        )
        for row in rows:
            tally.add(Measure.COMPETITION, rules.TENDERS, audience, row, row["n"], 0)
            tally.add(Measure.COMPETITION, rules.BIDS, audience, row, row["bids"], 0)
            tally.add(Measure.COMPETITION, rules.SINGLE, audience, row, row["single"], 0)
    bids = Bid.objects.filter(status=BidStatus.OPENED)
    bid_dims = TENDER.values(tender_method("tender__"))
    for audience in (STAFF, PUBLIC):
        for bid_row in bids.values(**bid_dims, k=F("provider__kind")).annotate(n=Count("pk")).order_by():
            tally.add(Measure.BIDS_BY_KIND, rules.kind_group(bid_row["k"]), audience, bid_row, bid_row["n"], 0)


def contracts(tally: Tally) -> None:
    signed = Contract.objects.filter(signed_at__isnull=False).exclude(status=ContractStatus.CANCELLED)
    dims = CONTRACT.values(contract_method())
    for audience, public in both(Q(published_at__isnull=False)):
        qs = signed.filter(public)
        tally.grouped(Measure.CONTRACTED, qs, dims, audience, amount="value")
        for late, key in ((False, rules.ON_TIME), (True, rules.LATE)):
            tally.grouped(Measure.SIGNING, qs.filter(signed_late=late), dims, audience, key=key)
            tally.grouped(
                Measure.PUBLICATION,
                qs.filter(published_at__isnull=False, published_late=late),
                dims,
                audience,
                key=key,
            )
    payments = Payment.objects.all()
    pay_dims = Dims("contract__project").values(contract_method("contract__"))
    for audience, public in both(Q(contract__published_at__isnull=False)):
        tally.grouped(Measure.PAID, payments.filter(public), pay_dims, audience, amount="amount")


def signing_overdue(tally: Tally, today: dt.date) -> None:
    """Announced awards whose contract is still unsigned past the 30 days (Law Art. 46)."""
    # Overdue once today is past the 30th day after the notice's (Beijing) date.
    since = start_of_day(today - dt.timedelta(days=rules.SIGNING_DAYS))
    qs = Award.objects.filter(status=AwardStatus.ACTIVE, confirmed_at__lt=since).exclude(
        contract__signed_at__isnull=False
    )
    for audience in (STAFF, PUBLIC):  # the award notice is public, and so is a missing contract
        tally.grouped(Measure.SIGNING, qs, TENDER.values(tender_method("tender__")), audience, key=rules.OVERDUE)


def payment_timeliness(tally: Tally, today: dt.date) -> None:
    """Each accepted milestone: its first payment on time or late, or unpaid past the limit."""
    rows = (
        Milestone.objects.filter(accepted_at__isnull=False)
        .values(
            "pk",
            "accepted_at",
            published=F("contract__published_at"),
            **Dims("contract__project").values(contract_method("contract__")),
        )
        .annotate(first_paid=Min("payments__paid_on"))
        .order_by()
    )
    for row in rows.iterator(chunk_size=2000):
        accepted: Any = row["accepted_at"]  # never None: filtered above
        key = rules.payment_key(local_date(accepted), row["first_paid"], today)
        if key is None:
            continue
        tally.add(Measure.PAYMENT, key, STAFF, row, 1, 0)
        if row["published"] is not None:
            tally.add(Measure.PAYMENT, key, PUBLIC, row, 1, 0)


def performance(tally: Tally) -> None:
    graded = EvaluationRound.objects.exclude(grade="").exclude(status=RoundStatus.CANCELLED)
    dims = Dims("contract__project").values(contract_method("contract__"))
    for audience, public in both(Q(status=RoundStatus.PUBLISHED)):
        rows = graded.filter(public).values(**dims, k=F("grade")).annotate(n=Count("pk"), a=Sum("total")).order_by()
        for row in rows:
            tally.add(Measure.GRADES, row["k"], audience, row, row["n"], row["a"])
    answers = Answer.objects.values(
        "ratings",
        published=F("survey__contract__published_at"),
        **Dims("survey__contract__project").values(contract_method("survey__contract__")),
    ).order_by()
    for answer in answers.iterator(chunk_size=2000):
        satisfied = 1 if rules.answer_satisfied(answer["ratings"]) else 0
        # The public's figures: answers about published contracts, and a rate shown only from
        # PUBLIC_MIN_ANSWERS answers (selectors.Figures.satisfaction_rate).
        audiences = (STAFF, PUBLIC) if answer["published"] is not None else (STAFF,)
        for audience in audiences:
            tally.add(Measure.SATISFACTION, rules.ANSWERS, audience, answer, 1, 0)
            tally.add(Measure.SATISFACTION, rules.SATISFIED, audience, answer, satisfied, 0)


def conversions(tally: Tally) -> None:
    """費隨事轉: the transfers still standing, with the budget they moved."""
    qs = Transfer.objects.filter(reversed_at__isnull=True)
    dims = Dims("project").values(F("project__suggested_method"))
    for audience, public in both(Q(project__status=ProjectStatus.IN_PLAN)):
        tally.grouped(Measure.CONVERSIONS, qs.filter(public), dims, audience, amount="amount")


def providers(tally: Tally) -> None:
    """The providers registered now (year 0: a snapshot), by kind and region."""
    qs = ProviderProfile.objects.filter(organisation__status=Organisation.Status.ACTIVE)
    for audience, public in both(Q(state=ProviderProfile.State.VERIFIED)):
        rows = qs.filter(public).values("organisation__region_id", "organisation__kind").annotate(n=Count("pk"))
        for row in rows.order_by():
            place = {"y": 0, "r": row["organisation__region_id"], "i": None, "m": ""}
            kind = rules.kind_group(row["organisation__kind"])
            tally.add(Measure.PROVIDERS_BY_KIND, kind, audience, place, row["n"], 0)


def steps(today: dt.date) -> list[Callable[[Tally], None]]:
    return [
        planned,
        awards,
        competition,
        contracts,
        lambda tally: signing_overdue(tally, today),
        lambda tally: payment_timeliness(tally, today),
        performance,
        conversions,
        providers,
    ]


def categories(item_ids: Iterable[int | None]) -> dict[int, tuple[str, str]]:
    """Catalog item → its top-level category (code, name), by walking up at most four levels."""
    wanted = sorted({pk for pk in item_ids if pk is not None})
    chain = ["", "parent__", "parent__parent__", "parent__parent__parent__"]
    fields = ["pk", "level"] + [f"{p}{f}" for p in chain for f in ("code", "name_zh")]
    out: dict[int, tuple[str, str]] = {}
    for start in range(0, len(wanted), 1000):
        for row in CatalogItem.objects.filter(pk__in=wanted[start : start + 1000]).values(*fields):
            prefix = chain[max(0, min(int(row["level"]), 4) - 1)]
            out[row["pk"]] = (row[f"{prefix}code"] or "", row[f"{prefix}name_zh"] or "")
    return out
