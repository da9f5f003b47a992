"""Every read of budgets, projects and plans, scoped to the user. A purchaser sees its own
projects; the reviewers and oversight bodies see the projects of their regions once submitted
(a draft is the purchaser's alone). Outside the scope is a 404."""

from __future__ import annotations

import contextlib
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404

from govbuy.audit.models import AuditEvent
from govbuy.organizations.models import Organisation, Region
from govbuy.organizations.scope import EVERYTHING, Scope, scope_for
from govbuy.planning import rules
from govbuy.planning.models import (
    AnnualPlan,
    Budget,
    BudgetLine,
    PlanEntry,
    Project,
    ProjectStatus,
    StaffingReview,
    TenderThreshold,
    Transfer,
)

S = ProjectStatus


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _oversight_region_q(scope: Scope, path: str) -> Q | None:
    """Rows of the regions an oversight body reads (all for the city's)."""
    if scope.all_regions:
        return EVERYTHING  # an empty Q() would vanish from `own | region`
    if scope.region_ids:
        return Q(**{f"{path}__in": list(scope.region_ids)})
    return None


def projects_q(scope: Scope) -> Q:
    if scope.is_anonymous:
        return Q(pk__in=[])
    own = Q(purchaser_id__in=list(rules.purchaser_ids(scope)))
    region = _oversight_region_q(scope, "region_id")
    if region is None:
        return own
    return own | (region & Q(status__in=list(rules.VISIBLE_TO_OVERSIGHT)))


def visible_projects(user: Any, *, status: str = "", year: Any = None, q: str = "") -> QuerySet[Project]:
    scope = scope_for(user)
    qs = Project.objects.filter(projects_q(scope))
    if status in S.values:
        qs = qs.filter(status=status)
    if year:
        with contextlib.suppress(TypeError, ValueError):
            qs = qs.filter(fiscal_year=int(year))
    if q:
        qs = qs.filter(Q(title__icontains=q[:100]) | Q(reference__icontains=q[:100]))
    return qs.select_related("purchaser", "region", "budget_line", "catalog_item").order_by("-fiscal_year", "-pk")


def project_for(user: Any, pk: Any) -> Project:
    project = (
        Project.objects.filter(projects_q(scope_for(user)), pk=_int(pk))
        .select_related("purchaser", "region", "budget_line__budget", "catalog_item__version__region")
        .first()
    )
    if project is None:
        raise Http404
    return project


def project_detail(project: Project) -> dict[str, Any]:
    return {
        "cost_lines": list(project.cost_lines.all()),
        "targets": list(project.targets.all()),
        "transfer": transfer_of(project),
        "reviews": list(project.reviews.select_related("organisation", "decided_by")),
    }


def transfer_of(project: Project) -> Transfer | None:
    return Transfer.objects.filter(project=project).select_related("source_line", "target_line").first()


def history(obj: Any, *related: Any) -> list[AuditEvent]:
    """The audit events of an object (and of related ones, e.g. a project's transfer), each with
    its sentence: every side sees every step."""
    from govbuy.audit.describe import describe
    from govbuy.audit.selectors import actor_names

    match = Q(pk__in=[])
    for item in (obj, *related):
        if item is not None:
            match |= Q(object_type=item._meta.label_lower, object_id=str(item.pk))
    events = list(AuditEvent.objects.filter(match).order_by("position"))
    names = actor_names(events)
    for event in events:
        event.description = describe(event, names)  # type: ignore[attr-defined]
    return events


# --- Budgets ---------------------------------------------------------------------------------------


def budgets_q(scope: Scope) -> Q:
    if scope.is_anonymous:
        return Q(pk__in=[])
    own = Q(purchaser_id__in=list(rules.purchaser_ids(scope)))
    region = _oversight_region_q(scope, "region_id")
    return own if region is None else own | region


def visible_budgets(user: Any, *, year: Any = None) -> QuerySet[Budget]:
    qs = Budget.objects.filter(budgets_q(scope_for(user))).select_related("purchaser", "region")
    if year:
        with contextlib.suppress(TypeError, ValueError):
            qs = qs.filter(fiscal_year=int(year))
    return qs.order_by("-fiscal_year", "purchaser__name_zh")


def budget_for(user: Any, pk: Any) -> Budget:
    budget = Budget.objects.filter(budgets_q(scope_for(user)), pk=_int(pk)).select_related("purchaser").first()
    if budget is None:
        raise Http404
    return budget


def lines_of(budget: Budget) -> list[BudgetLine]:
    return list(BudgetLine.objects.filter(budget=budget).order_by("code"))


def line_for(user: Any, pk: Any) -> BudgetLine:
    line = (
        BudgetLine.objects.filter(pk=_int(pk))
        .filter(budget__in=Budget.objects.filter(budgets_q(scope_for(user))))
        .select_related("budget__purchaser")
        .first()
    )
    if line is None:
        raise Http404
    return line


def writable_purchasers(user: Any) -> list[Organisation]:
    ids = rules.purchaser_ids(scope_for(user), write=True)
    return list(Organisation.objects.filter(pk__in=sorted(ids)).order_by("name_zh"))


def lines_for_purchasers(purchaser_ids: list[int]) -> list[BudgetLine]:
    return list(
        BudgetLine.objects.filter(budget__purchaser_id__in=purchaser_ids)
        .select_related("budget__purchaser")
        .order_by("-budget__fiscal_year", "budget__purchaser__name_zh", "code")
    )


def transfers_of(budget: Budget) -> list[Transfer]:
    return list(
        Transfer.objects.filter(Q(source_line__budget=budget) | Q(target_line__budget=budget))
        .select_related("project", "source_line", "target_line")
        .order_by("-created_at")
    )


def projects_on(budget: Budget) -> list[Project]:
    return list(
        Project.objects.filter(budget_line__budget=budget)
        .select_related("budget_line")
        .order_by("budget_line__code", "pk")
    )


# --- Threshold --------------------------------------------------------------------------------------


def default_threshold() -> Decimal:
    return Decimal(str(settings.GOVBUY_PUBLIC_TENDER_THRESHOLD_SERVICES))


def threshold_for(region: Region) -> Decimal:
    """The region's own threshold, else the city's, else the documented default."""
    rows = {t.region_id: t.amount for t in TenderThreshold.objects.filter(region_id__in=[region.pk, region.parent_id])}
    if region.pk in rows:
        return rows[region.pk]
    if region.parent_id in rows:
        return rows[region.parent_id]
    return default_threshold()


def thresholds() -> list[TenderThreshold]:
    return list(TenderThreshold.objects.select_related("region").order_by("region__code"))


def split_peers(project: Project) -> list[rules.SplitFacts]:
    """The purchaser's other live projects of the year, for the splitting check."""
    peers = (
        Project.objects.filter(purchaser_id=project.purchaser_id, fiscal_year=project.fiscal_year)
        .exclude(pk=project.pk)
        .exclude(status__in=[S.WITHDRAWN, S.CANCELLED])
        .select_related("catalog_item")
    )
    return [split_facts(p) for p in peers]


def _comparable(text: str) -> str:
    from govbuy.catalog.chinese import to_simplified
    from govbuy.catalog.rules import loose_form, strict_form

    return loose_form(strict_form(text, to_simplified))


def split_facts(project: Project) -> rules.SplitFacts:
    item = project.catalog_item
    if item is not None:
        key = f"gp:{item.procurement_code}" if item.procurement_code else f"item:{item.code}"
        name = item.name_zh
    else:
        name = project.outside_catalog_name
        key = f"outside:{_comparable(name)}"
    return rules.SplitFacts(
        project_id=project.pk,
        reference=project.reference,
        item_key=key,
        estimate=project.estimate,
        names=(_comparable(name), _comparable(project.title)),
        description=_comparable(project.service_description),
    )


# --- Reviewer queues (home page) -----------------------------------------------------------------


def finance_queue(user: Any, limit: int = 20) -> tuple[list[Project], int]:
    regions = rules.finance_region_ids(scope_for(user))
    qs = (
        Project.objects.filter(region_id__in=list(regions), status__in=list(rules.WAITING_FOR_FINANCE))
        .select_related("purchaser")
        .order_by("submitted_at", "pk")
    )
    return list(qs[:limit]), qs.count()


def staffing_queue_q(scope: Scope) -> Q:
    q = Q(pk__in=[])
    for region_id, level in rules.staffing_members(scope):
        q |= Q(region_id=region_id)
        if level == "city":
            q |= Q(region__parent_id=region_id)
    return q


def staffing_queue(user: Any, limit: int = 20) -> tuple[list[Project], int]:
    qs = (
        Project.objects.filter(staffing_queue_q(scope_for(user)))
        .filter(staffing_review=StaffingReview.PENDING, status__in=list(rules.WAITING_FOR_FINANCE))
        .select_related("purchaser")
        .order_by("submitted_at", "pk")
    )
    return list(qs[:limit]), qs.count()


def purchaser_todo(user: Any, limit: int = 20) -> tuple[list[Project], int]:
    """Returned projects to rework, and approved ones waiting for the plan's publication."""
    ids = rules.purchaser_ids(scope_for(user), write=True)
    qs = (
        Project.objects.filter(purchaser_id__in=list(ids), status__in=[S.RETURNED, S.APPROVED])
        .select_related("purchaser")
        .order_by("-decided_at", "-pk")
    )
    return list(qs[:limit]), qs.count()


# --- Annual plans (public) --------------------------------------------------------------------------


def public_plans() -> QuerySet[AnnualPlan]:
    return AnnualPlan.objects.select_related("purchaser", "region")


def plan_index() -> list[dict[str, Any]]:
    """(region, year) pairs with a published plan, with their counts and totals."""
    rows: dict[tuple[int, int], dict[str, Any]] = {}
    for plan in public_plans().filter(is_current=True).order_by("region__code", "-fiscal_year"):
        key = (plan.region_id, plan.fiscal_year)
        row = rows.setdefault(
            key, {"region": plan.region, "year": plan.fiscal_year, "purchasers": 0, "total": Decimal("0.00")}
        )
        row["purchasers"] += 1
        row["total"] += plan.total
    return list(rows.values())


def region_plans(region: Region, year: int) -> list[AnnualPlan]:
    return list(
        public_plans()
        .filter(region=region, fiscal_year=year, is_current=True)
        .prefetch_related("entries")
        .order_by("purchaser__name_zh")
    )


def region_by_code(code: str) -> Region:
    region = Region.objects.filter(code=str(code)[:12]).first()
    if region is None:
        raise Http404
    return region


def plan_public(pk: Any) -> AnnualPlan:
    plan = public_plans().filter(pk=_int(pk)).first()
    if plan is None:
        raise Http404
    return plan


def plan_entries(plan: AnnualPlan) -> list[PlanEntry]:
    return list(plan.entries.order_by("position"))


def plan_versions(plan: AnnualPlan) -> list[AnnualPlan]:
    return list(
        AnnualPlan.objects.filter(purchaser_id=plan.purchaser_id, fiscal_year=plan.fiscal_year).order_by("-number")
    )


def current_plan(purchaser_id: int, year: int) -> AnnualPlan | None:
    return AnnualPlan.objects.filter(purchaser_id=purchaser_id, fiscal_year=year, is_current=True).first()


def own_plans(user: Any) -> list[AnnualPlan]:
    ids = rules.purchaser_ids(scope_for(user))
    return list(public_plans().filter(purchaser_id__in=list(ids), is_current=True).order_by("-fiscal_year"))


def plannable_years(user: Any) -> list[tuple[Organisation, int, int]]:
    """(purchaser, year, approved projects waiting) for the purchaser's publish buttons."""
    ids = rules.purchaser_ids(scope_for(user), write=True)
    counts: dict[tuple[int, int], int] = {}
    for purchaser_id, year in Project.objects.filter(purchaser_id__in=list(ids), status=S.APPROVED).values_list(
        "purchaser_id", "fiscal_year"
    ):
        counts[(purchaser_id, year)] = counts.get((purchaser_id, year), 0) + 1
    orgs = {o.pk: o for o in Organisation.objects.filter(pk__in=[k[0] for k in counts])}
    return [(orgs[p], y, n) for (p, y), n in sorted(counts.items(), key=lambda kv: (-kv[0][1], kv[0][0]))]


def catalog_choices(purchasers: list[Organisation]) -> list[Any]:
    """The leaf items of the catalogs in effect for the purchasers' regions (what is bought)."""
    from govbuy.catalog.models import CatalogItem
    from govbuy.catalog.selectors import effective_version

    version_ids: set[int] = set()
    for region in {p.region for p in purchasers}:
        version = effective_version(region)
        if version is not None:
            version_ids.add(version.pk)
    parents = CatalogItem.objects.filter(version_id__in=sorted(version_ids), parent__isnull=False).values("parent_id")
    return list(
        CatalogItem.objects.filter(version_id__in=sorted(version_ids), level__gte=2)
        .exclude(pk__in=parents)
        .select_related("version__region")
        .order_by("version__region__code", "position", "pk")
    )


def catalog_item(pk: Any) -> Any:
    from govbuy.catalog.models import CatalogItem

    if pk in (None, ""):
        return None
    item = CatalogItem.objects.filter(pk=_int(pk)).select_related("version__region").first()
    if item is None:
        raise Http404
    return item
