"""Publication of the annual plan (§三.四: 年度計劃向社會發佈). Each publication is a new version
of the purchaser's plan for the year; approved projects enter it (approved → in_plan), cancelled
ones leave it, and the version records what changed against the one before. The OCDS planning
releases are announced through govbuy.core.publication in the same transaction."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.core import publication
from govbuy.core.errors import NotFound, PermissionRefused, TransitionRefused
from govbuy.organizations.models import Organisation
from govbuy.organizations.scope import scope_for
from govbuy.planning import rules
from govbuy.planning.models import AnnualPlan, Budget, PlanEntry, Project, ProjectStatus

S = ProjectStatus
PROJECT_TYPE = "planning.project"


def entry_facts(project: Project) -> dict[str, Any]:
    item = project.catalog_item
    return {
        "reference": project.reference,
        "title": project.title,
        "item_code": item.code if item else "",
        "item_name": item.name_zh if item else project.outside_catalog_name,
        "estimate": str(project.estimate),
        "method": project.suggested_method,
        "in_procurement_scope": project.in_procurement_scope,
        "period_start": project.period_start.isoformat(),
        "period_end": project.period_end.isoformat(),
        "is_conversion": project.is_conversion,
        "beneficiaries": project.beneficiaries,
    }


def _entry_dict(entry: PlanEntry) -> dict[str, Any]:
    return {
        "reference": entry.reference,
        "title": entry.title,
        "item_code": entry.item_code,
        "item_name": entry.item_name,
        "estimate": str(entry.estimate),
        "method": entry.method,
        "in_procurement_scope": entry.in_procurement_scope,
        "period_start": entry.period_start.isoformat(),
        "period_end": entry.period_end.isoformat(),
        "is_conversion": entry.is_conversion,
        "beneficiaries": entry.beneficiaries,
    }


def publish_plan(*, actor: Any, purchaser: Organisation, fiscal_year: int, note: str = "") -> AnnualPlan:
    """Publish (a new version of) the purchaser's annual plan for the year."""
    if actor is not None and not rules.may_act_for_purchaser(scope_for(actor), purchaser.pk):
        raise PermissionRefused(_("Only the purchaser's own staff publish its annual plan."))
    year = rules.check_year(fiscal_year)
    with transaction.atomic():
        # The year's budget row serialises publications of one purchaser's plan.
        budget = Budget.objects.select_for_update().filter(purchaser=purchaser, fiscal_year=year).first()
        if budget is None:
            raise NotFound(_("This purchaser has no budget for %(year)d.") % {"year": year})
        projects = list(
            Project.objects.select_for_update(of=("self",))
            .filter(purchaser=purchaser, fiscal_year=year, status__in=[S.APPROVED, S.IN_PLAN])
            .select_related("catalog_item")
            .order_by("reference")
        )
        previous = AnnualPlan.objects.filter(purchaser=purchaser, fiscal_year=year, is_current=True).first()
        before = [_entry_dict(e) for e in previous.entries.all()] if previous else []
        after = [entry_facts(p) for p in projects]
        changes = rules.plan_changes(before, after)
        if previous is not None and not any(changes["counts"].values()):
            raise TransitionRefused(_("Nothing changed since the plan was last published."), code="plan_unchanged")
        if previous is None and not projects:
            raise TransitionRefused(_("No approved project waits for the plan."), code="plan_empty")
        now = timezone.now()
        number = (
            AnnualPlan.objects.filter(purchaser=purchaser, fiscal_year=year).aggregate(n=Max("number"))["n"] or 0
        ) + 1
        if previous is not None:
            AnnualPlan.objects.filter(pk=previous.pk).update(is_current=False)
        plan = AnnualPlan.objects.create(
            purchaser=purchaser,
            region_id=purchaser.region_id,
            fiscal_year=year,
            number=number,
            total=sum((p.estimate for p in projects), Decimal("0.00")),
            changes=changes,
            note=(note or "").strip()[:2000],
            published_at=now,
            published_by=actor,
        )
        PlanEntry.objects.bulk_create(
            PlanEntry(
                plan=plan,
                project=p,
                position=i,
                reference=p.reference,
                title=p.title,
                item_code=facts["item_code"],
                item_name=facts["item_name"][:200],
                estimate=p.estimate,
                method=p.suggested_method,
                in_procurement_scope=p.in_procurement_scope,
                period_start=p.period_start,
                period_end=p.period_end,
                is_conversion=p.is_conversion,
                beneficiaries=p.beneficiaries,
            )
            for i, (p, facts) in enumerate(zip(projects, after, strict=True), start=1)
        )
        for project in projects:
            if project.status == S.APPROVED:
                rules.check_transition(project.status, S.IN_PLAN)
                project.status = S.IN_PLAN
                project.version += 1
                project.save(update_fields=["status", "version", "updated_at"])
                record_event(
                    actor=actor,
                    action="planning.project.planned",
                    obj=project,
                    organisation=purchaser,
                    changes={"status": (S.APPROVED, S.IN_PLAN)},
                    data={"reference": project.reference, "title": project.title, "number": number},
                )
        record_event(
            actor=actor,
            action="planning.plan.published",
            obj=plan,
            organisation=purchaser,
            data={
                "year": year,
                "number": number,
                "total": str(plan.total),
                "added": changes["counts"]["added"],
                "removed": changes["counts"]["removed"],
                "changed": changes["counts"]["changed"],
            },
        )
        _announce(changes, projects, purchaser=purchaser, year=year, moment=now)
    return plan


def _announce(
    changes: dict[str, Any], projects: list[Project], *, purchaser: Organisation, year: int, moment: Any
) -> None:
    """A planning release for each project new to the plan; a planningUpdate for each changed or
    cancelled one (disclosure builds them with ocds.planning_release_parts)."""
    by_reference = {p.reference: p for p in projects}
    added = {e["reference"] for e in changes["added"]}
    updated = {c["reference"] for c in changes["changed"]}
    removed = {e["reference"] for e in changes["removed"]}
    ids = dict(
        Project.objects.filter(purchaser=purchaser, fiscal_year=year, reference__in=sorted(removed)).values_list(
            "reference", "pk"
        )
    )
    for reference in sorted(added | updated | removed):
        pk = by_reference[reference].pk if reference in by_reference else ids[reference]
        stage = "planning" if reference in added else "planningUpdate"
        publication.announce(stage, obj_type=PROJECT_TYPE, obj_id=pk, occurred_at=moment)
