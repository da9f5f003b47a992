"""Purchase projects: proposal and edits, costed from the work (以事定费), inside the department's
budget lines, with conversions of in-house services and their budget (费随事转)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.catalog import rules as catalog_rules
from govbuy.catalog import selectors as catalog_selectors
from govbuy.catalog.models import CatalogItem
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.organizations.kinds import PURCHASER_KINDS
from govbuy.organizations.models import Organisation
from govbuy.organizations.scope import scope_for
from govbuy.planning import rules
from govbuy.planning.models import (
    BudgetLine,
    CostLine,
    PerformanceTarget,
    Project,
    ProjectStatus,
    Transfer,
)

S = ProjectStatus


@dataclass(frozen=True)
class ConversionInput:
    source_line: BudgetLine
    amount: Decimal
    former_service: str


# --- Checks shared by proposal and edit -----------------------------------------------------------


def negative_review(*, title: str, outside_name: str, description: str) -> list[dict[str, str]]:
    """The negative list (Order 102 Art. 10) against the title, the outside-catalog name and the
    description, normalised (catalog.rules.strict_form): a match is refused with its rule; the
    near-misses (split by spaces or punctuation, a close variant, a term the text rules out) are
    returned, each with its reason, for the finance review to read: they never pass silently."""
    findings = catalog_selectors.negative_findings_for(
        {"title": title, "outside_catalog_name": outside_name, "service_description": description}
    )
    for finding in findings:
        if finding.kind == "match":
            message: Any = catalog_rules.negative_refusal(finding.matter)
            raise ValidationFailed(message, code="negative_list", fields={finding.field: [message]})
    return [{**finding.as_dict(), "reason": catalog_rules.near_miss_reason(finding)} for finding in findings]


def apply_negative_review(project: Project) -> list[dict[str, str]]:
    """Recompute the project's negative-list doubts (refusing a match), as the split check is."""
    doubts = negative_review(
        title=project.title, outside_name=project.outside_catalog_name, description=project.service_description
    )
    project.negative_flag = bool(doubts)
    project.negative_details = doubts
    return doubts


def purchasability_of(
    *, purchaser: Organisation, item: CatalogItem | None, outside_name: str, title: str, approved: bool
) -> str:
    """The catalog decides (is_purchasable); a negative-list matter is refused with its rule."""
    negative_review(title=title, outside_name=outside_name if item is None else "", description="")
    if item is None:
        return "approved_outside_catalog" if approved else "outside_catalog"
    version = item.version
    allowed_regions = {purchaser.region_id, purchaser.region.parent_id}
    if version.region_id not in allowed_regions or not version.is_public:
        message = _("This catalog item belongs to another region's catalog; choose one from your region's catalog.")
        raise ValidationFailed(message, code="item_other_region", fields={"catalog_item": [message]})
    answer = catalog_selectors.is_purchasable(
        item, purchaser.region, timezone.localdate(), approved_outside_catalog=approved
    )
    if answer.code == "negative_list":
        raise ValidationFailed(answer.reason, code="negative_list", fields={"catalog_item": [answer.reason]})
    return answer.code


def _check_line(purchaser: Organisation, line: BudgetLine, field: str = "budget_line") -> None:
    if line.budget.purchaser_id != purchaser.pk:
        message = _("This budget line belongs to another purchaser's budget.")
        raise ValidationFailed(message, code="line_other_purchaser", fields={field: [message]})


def _text(value: Any, field: str, message: Any, limit: int) -> str:
    text = str(value or "").strip()
    if not text:
        raise ValidationFailed(message, code="required", fields={field: [message]})
    return text[:limit]


def _over_budget(line: BudgetLine, needed: Decimal) -> Conflict:
    return Conflict(
        _(
            "Budget line %(code)s %(name)s has %(available)s yuan left; this project needs %(needed)s yuan. "
            "Nothing was saved."
        )
        % {"code": line.code, "name": line.name, "available": line.available, "needed": needed},
        code="budget_exceeded",
        fields={"budget_line": [_("Not enough left on this line.")]},
    )


def lock_lines(*lines: BudgetLine | None) -> dict[int, BudgetLine]:
    """Lock in primary-key order, so two conversions between the same lines cannot deadlock."""
    ids = sorted({line.pk for line in lines if line is not None})
    return {line.pk: line for line in BudgetLine.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


def _write_children(project: Project, costs: list[rules.CostInput], targets: list[rules.TargetInput]) -> None:
    CostLine.objects.filter(project=project).delete()
    PerformanceTarget.objects.filter(project=project).delete()
    CostLine.objects.bulk_create(
        CostLine(
            project=project,
            position=i,
            description=c.description,
            category=c.category,
            unit=c.unit,
            quantity=c.quantity,
            unit_cost=c.unit_cost,
            amount=c.amount,
        )
        for i, c in enumerate(costs, start=1)
    )
    PerformanceTarget.objects.bulk_create(
        PerformanceTarget(
            project=project,
            position=i,
            family=t.family,
            name=t.name,
            direction=t.direction,
            target_value=t.target_value,
            unit=t.unit,
        )
        for i, t in enumerate(targets, start=1)
    )


def check_may_propose(actor: Any, purchaser: Organisation) -> None:
    if purchaser.kind not in PURCHASER_KINDS:
        raise PermissionRefused(_("Only a purchaser proposes purchase projects."))
    if actor is not None and not rules.may_act_for_purchaser(scope_for(actor), purchaser.pk):
        raise PermissionRefused(_("Only the purchaser's own staff may propose or change its projects."))


# --- Proposal ----------------------------------------------------------------------------------------


def propose_project(
    *,
    actor: Any,
    purchaser: Organisation,
    budget_line: BudgetLine,
    title: str,
    service_description: str,
    beneficiaries: str,
    period_start: date | None,
    period_end: date | None,
    suggested_method: str,
    cost_lines: list[dict[str, Any]],
    targets: list[dict[str, Any]],
    catalog_item: CatalogItem | None = None,
    outside_catalog_name: str = "",
    in_procurement_scope: bool = True,
    recurring: bool = False,
    stable_content: bool = False,
    budget_secured: bool = False,
    conversion: ConversionInput | None = None,
) -> Project:
    check_may_propose(actor, purchaser)
    title = _text(title, "title", _("Give the project a title."), 200)
    description = _text(service_description, "service_description", _("Describe the service."), 4000)
    beneficiaries = _text(beneficiaries, "beneficiaries", _("Say who benefits from the service."), 2000)
    outside_name = (outside_catalog_name or "").strip()[:200]
    if catalog_item is None and not outside_name:
        message: Any = _("Choose the catalog item, or name the service if it is outside the catalog.")
        raise ValidationFailed(message, code="item_required", fields={"catalog_item": [message]})
    if catalog_item is not None:
        outside_name = ""
    rules.check_period(period_start, period_end)
    assert period_start is not None
    assert period_end is not None
    rules.check_term(
        start=period_start,
        end=period_end,
        recurring=recurring,
        stable_content=stable_content,
        budget_secured=budget_secured,
    )
    rules.check_method(in_scope=in_procurement_scope, method=suggested_method)
    costs = rules.clean_cost_lines(cost_lines)
    clean_targets = rules.clean_targets(targets)
    estimate = rules.estimate_of(costs)
    _check_line(purchaser, budget_line)
    doubts = negative_review(title=title, outside_name=outside_name, description=description)
    purchasability = purchasability_of(
        purchaser=purchaser, item=catalog_item, outside_name=outside_name, title=title, approved=False
    )
    transfer_amount = Decimal("0.00")
    former = ""
    if conversion is not None:
        _check_line(purchaser, conversion.source_line, "source_line")
        if conversion.source_line.pk == budget_line.pk:
            message = _("The funds move from the in-house line to another line: choose two different lines.")
            raise ValidationFailed(message, code="transfer_same_line", fields={"source_line": [message]})
        if conversion.source_line.budget_id != budget_line.budget_id:
            message = _("The source line must be in the same fiscal year's budget.")
            raise ValidationFailed(message, code="transfer_other_year", fields={"source_line": [message]})
        transfer_amount = rules.check_amount(conversion.amount, "transfer_amount", allow_zero=False)
        former = _text(conversion.former_service, "former_service", _("Name the service formerly done in-house."), 300)

    with transaction.atomic():
        locked = lock_lines(budget_line, conversion.source_line if conversion else None)
        target = locked[budget_line.pk]
        source = locked.get(conversion.source_line.pk) if conversion else None
        if source is not None and source.available < transfer_amount:
            message = _(
                "Line %(code)s has %(available)s yuan not committed to projects; %(amount)s yuan cannot move."
            ) % {"code": source.code, "available": source.available, "amount": transfer_amount}
            raise ValidationFailed(message, code="transfer_exceeds_source", fields={"transfer_amount": [message]})
        if target.committed + estimate > target.amount + transfer_amount:
            raise _over_budget(target, estimate)
        if source is not None:
            source.amount -= transfer_amount
            source.version += 1
            source.save(update_fields=["amount", "version", "updated_at"])
            target.amount += transfer_amount
        target.committed += estimate
        target.version += 1
        target.save(update_fields=["amount", "committed", "version", "updated_at"])
        project = Project.objects.create(
            purchaser=purchaser,
            region_id=purchaser.region_id,
            fiscal_year=target.budget.fiscal_year,
            # The reference is built from the primary key just below; until then a unique stand-in.
            reference=f"new-{uuid.uuid4().hex}",
            title=title,
            catalog_item=catalog_item,
            outside_catalog_name=outside_name,
            purchasability=purchasability,
            negative_flag=bool(doubts),
            negative_details=doubts,
            service_description=description,
            beneficiaries=beneficiaries,
            period_start=period_start,
            period_end=period_end,
            recurring=recurring,
            stable_content=stable_content,
            budget_secured=budget_secured,
            budget_line=target,
            estimate=estimate,
            in_procurement_scope=in_procurement_scope,
            suggested_method=suggested_method,
            is_conversion=conversion is not None,
            created_by=actor,
        )
        project.reference = f"{purchaser.region.code}-{project.fiscal_year}-{project.pk:06d}"
        project.save(update_fields=["reference"])
        _write_children(project, costs, clean_targets)
        record_event(
            actor=actor,
            action="planning.project.proposed",
            obj=project,
            organisation=purchaser,
            data={
                "reference": project.reference,
                "title": title,
                "estimate": str(estimate),
                "line": target.code,
                "check": purchasability,
                "negative_list_doubts": [d["matter"] + " " + d["term"] for d in doubts],
            },
        )
        if source is not None:
            transfer = Transfer.objects.create(
                project=project, source_line=source, target_line=target, amount=transfer_amount, former_service=former
            )
            record_event(
                actor=actor,
                action="planning.transfer.recorded",
                obj=transfer,
                organisation=purchaser,
                changes={
                    f"line {source.code}": (str(source.amount + transfer_amount), str(source.amount)),
                    f"line {target.code}": (str(target.amount - transfer_amount), str(target.amount)),
                },
                data={
                    "reference": project.reference,
                    "amount": str(transfer_amount),
                    "source": source.code,
                    "target": target.code,
                    "service": former,
                },
            )
    return project


# --- Edits -----------------------------------------------------------------------------------------------


def lock_project(project: Project | int, version: int | None) -> Project:
    pk = project.pk if isinstance(project, Project) else int(project)
    locked = (
        Project.objects.select_for_update(of=("self",))
        .select_related("purchaser__region", "region", "catalog_item__version", "budget_line__budget")
        .filter(pk=pk)
        .first()
    )
    if locked is None:
        raise NotFound()
    if version is not None and locked.version != int(version):
        raise Conflict()
    return locked


def update_project(
    *,
    actor: Any,
    project: Project | int,
    version: int,
    cost_lines: list[dict[str, Any]] | None = None,
    targets: list[dict[str, Any]] | None = None,
    budget_line: BudgetLine | None = None,
    **fields: Any,
) -> Project:
    """Change a draft or returned project. Costs, line and estimate move together under the locks
    of the lines involved; a stale version is a 409 and changes nothing."""
    allowed = {
        "title",
        "service_description",
        "beneficiaries",
        "period_start",
        "period_end",
        "suggested_method",
        "in_procurement_scope",
        "recurring",
        "stable_content",
        "budget_secured",
        "catalog_item",
        "outside_catalog_name",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    with transaction.atomic():
        locked = lock_project(project, version)
        check_may_propose(actor, locked.purchaser)
        if locked.status not in rules.EDITABLE:
            raise TransitionRefused(_("Only a draft or a returned project can be changed."), code="not_editable")
        before = {name: getattr(locked, name) for name in allowed}
        before_item = locked.catalog_item_id
        for name, value in fields.items():
            if name in ("title", "service_description", "beneficiaries", "outside_catalog_name"):
                value = str(value or "").strip()
            setattr(locked, name, value)
        if "catalog_item" in fields and locked.catalog_item is not None:
            locked.outside_catalog_name = ""
        _text(locked.title, "title", _("Give the project a title."), 200)
        _text(locked.service_description, "service_description", _("Describe the service."), 4000)
        _text(locked.beneficiaries, "beneficiaries", _("Say who benefits from the service."), 2000)
        if locked.catalog_item is None and not locked.outside_catalog_name:
            message = _("Choose the catalog item, or name the service if it is outside the catalog.")
            raise ValidationFailed(message, code="item_required", fields={"catalog_item": [message]})
        rules.check_period(locked.period_start, locked.period_end)
        rules.check_term(
            start=locked.period_start,
            end=locked.period_end,
            recurring=locked.recurring,
            stable_content=locked.stable_content,
            budget_secured=locked.budget_secured,
        )
        rules.check_method(in_scope=locked.in_procurement_scope, method=locked.suggested_method)
        apply_negative_review(locked)
        if locked.catalog_item_id != before_item or "outside_catalog_name" in fields or "title" in fields:
            locked.outside_catalog_approved = False
            locked.purchasability = purchasability_of(
                purchaser=locked.purchaser,
                item=locked.catalog_item,
                outside_name=locked.outside_catalog_name,
                title=locked.title,
                approved=False,
            )
        costs = rules.clean_cost_lines(cost_lines) if cost_lines is not None else None
        clean_targets = rules.clean_targets(targets) if targets is not None else None
        new_estimate = rules.estimate_of(costs) if costs is not None else locked.estimate
        new_line = budget_line or locked.budget_line
        changes: dict[str, Any] = {
            name: (str(before[name]), str(getattr(locked, name)))
            for name in allowed
            if before[name] != getattr(locked, name)
        }
        if new_line.pk != locked.budget_line_id and locked.is_conversion:
            message = _("A conversion's funds were moved to its line; withdraw it and propose it again to use another.")
            raise ValidationFailed(message, code="conversion_line_fixed", fields={"budget_line": [message]})
        if new_line.pk != locked.budget_line_id or new_estimate != locked.estimate:
            _check_line(locked.purchaser, new_line)
            if new_line.budget_id != locked.budget_line.budget_id:
                message = _("A project stays in its fiscal year: choose a line of the same budget.")
                raise ValidationFailed(message, code="line_other_year", fields={"budget_line": [message]})
            lines = lock_lines(locked.budget_line, new_line)
            old, new = lines[locked.budget_line_id], lines[new_line.pk]
            old.committed -= locked.estimate
            if old.pk != new.pk:
                old.version += 1
                old.save(update_fields=["committed", "version", "updated_at"])
            if new.committed + new_estimate > new.amount:
                raise _over_budget(new, new_estimate)
            new.committed += new_estimate
            new.version += 1
            new.save(update_fields=["committed", "version", "updated_at"])
            if old.pk != new.pk:
                changes["budget_line"] = (old.code, new.code)
            if new_estimate != locked.estimate:
                changes["estimate"] = (str(locked.estimate), str(new_estimate))
            locked.budget_line = new
            locked.estimate = new_estimate
        if costs is not None or clean_targets is not None:
            _write_children(
                locked,
                costs if costs is not None else [_cost_input(c) for c in locked.cost_lines.all()],
                clean_targets if clean_targets is not None else [_target_input(t) for t in locked.targets.all()],
            )
            if costs is not None:
                changes.setdefault("cost_lines", ("", str(len(costs))))
            if clean_targets is not None:
                changes.setdefault("targets", ("", str(len(clean_targets))))
        locked.version += 1
        locked.save()
        record_event(
            actor=actor,
            action="planning.project.changed",
            obj=locked,
            organisation=locked.purchaser,
            changes=changes,
            data={"reference": locked.reference, "fields": ", ".join(sorted(changes)) or "—"},
        )
    return locked


def _cost_input(c: CostLine) -> rules.CostInput:
    return rules.CostInput(c.description, c.category, c.unit, c.quantity, c.unit_cost)


def _target_input(t: PerformanceTarget) -> rules.TargetInput:
    return rules.TargetInput(t.family, t.name, t.direction, t.target_value, t.unit)
