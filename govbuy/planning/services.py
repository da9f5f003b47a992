"""Writes to purchase projects: proposal (costed from the work, drawn on a budget line, with the
conversion transfer of 費隨事轉), edits, and one function per transition of the review.

Money on a budget line moves only under that line's row lock (select_for_update), so 40 parallel
proposals on one line can never commit more than it holds; the database CHECK
`committed <= amount` backs the lock. Every change writes its audit event in the same transaction.
`actor=None` is the system (the demo loader)."""

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
from govbuy.organizations.models import Organisation
from govbuy.organizations.rules import PURCHASER_KINDS
from govbuy.organizations.scope import scope_for
from govbuy.planning import rules, selectors
from govbuy.planning.models import (
    BudgetLine,
    CostLine,
    PerformanceTarget,
    Project,
    ProjectStatus,
    Review,
    StaffingReview,
    Transfer,
)

S = ProjectStatus


@dataclass(frozen=True)
class ConversionInput:
    source_line: BudgetLine
    amount: Decimal
    former_service: str


# --- Checks shared by proposal and edit -----------------------------------------------------------


def _purchasability(
    *, purchaser: Organisation, item: CatalogItem | None, outside_name: str, title: str, approved: bool
) -> str:
    """The catalog decides (is_purchasable); a negative-list matter is refused with its rule."""
    names = [title, outside_name] if item is None else [title]
    matter = catalog_selectors.negative_match_for(names)
    if matter is not None:
        message: Any = catalog_rules.negative_refusal(matter)
        field = "outside_catalog_name" if item is None and outside_name else "title"
        raise ValidationFailed(message, code="negative_list", fields={field: [message]})
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


def _lock_lines(*lines: BudgetLine | None) -> dict[int, BudgetLine]:
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


def _check_may_propose(actor: Any, purchaser: Organisation) -> None:
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
    _check_may_propose(actor, purchaser)
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
    purchasability = _purchasability(
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
        locked = _lock_lines(budget_line, conversion.source_line if conversion else None)
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


def _lock_project(project: Project | int, version: int | None) -> Project:
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
        locked = _lock_project(project, version)
        _check_may_propose(actor, locked.purchaser)
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
        if locked.catalog_item_id != before_item or "outside_catalog_name" in fields or "title" in fields:
            locked.outside_catalog_approved = False
            locked.purchasability = _purchasability(
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
            lines = _lock_lines(locked.budget_line, new_line)
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


# --- Transitions -------------------------------------------------------------------------------------------


def _move(locked: Project, after: str, *, actor: Any, action: str, organisation: Any, data: dict[str, Any]) -> None:
    before = locked.status
    rules.check_transition(before, after)
    locked.status = after
    locked.version += 1
    locked.save()
    record_event(
        actor=actor,
        action=action,
        obj=locked,
        organisation=organisation,
        changes={"status": (before, after)},
        data={"reference": locked.reference, "title": locked.title, **data},
    )


def _split_check(locked: Project) -> dict[str, Any]:
    threshold = selectors.threshold_for(locked.region)
    result = rules.splitting_check(
        project=selectors.split_facts(locked), others=selectors.split_peers(locked), threshold=threshold
    )
    locked.split_flag = bool(result["flagged"])
    locked.split_details = result
    return result


def submit_project(*, actor: Any, project: Project | int, version: int) -> Project:
    with transaction.atomic():
        locked = _lock_project(project, version)
        _check_may_propose(actor, locked.purchaser)
        rules.check_transition(locked.status, S.SUBMITTED)
        rules.check_targets_complete(locked.targets.values_list("family", flat=True))
        # The negative list or the catalog may have changed since the draft was written.
        locked.purchasability = _purchasability(
            purchaser=locked.purchaser,
            item=locked.catalog_item,
            outside_name=locked.outside_catalog_name,
            title=locked.title,
            approved=locked.outside_catalog_approved,
        )
        split = _split_check(locked)
        if locked.is_conversion:
            locked.staffing_review = StaffingReview.PENDING
        locked.submitted_at = timezone.now()
        _move(
            locked,
            S.SUBMITTED,
            actor=actor,
            action="planning.project.submitted",
            organisation=locked.purchaser,
            data={"estimate": str(locked.estimate), "split_flag": split["flagged"]},
        )
    return locked


def _release(locked: Project, *, actor: Any) -> None:
    """Give the estimate back to the line and reverse the conversion transfer, if any."""
    transfer = Transfer.objects.filter(project=locked, reversed_at__isnull=True).first()
    lines = _lock_lines(locked.budget_line, transfer.source_line if transfer else None)
    target = lines[locked.budget_line_id]
    target.committed -= locked.estimate
    if transfer is not None:
        source = lines[transfer.source_line_id]
        if target.amount - transfer.amount < target.committed:
            raise Conflict(
                _("Line %(code)s has since committed the transferred funds; the transfer cannot be reversed.")
                % {"code": target.code},
                code="transfer_committed",
            )
        target.amount -= transfer.amount
        source.amount += transfer.amount
        source.version += 1
        source.save(update_fields=["amount", "version", "updated_at"])
        transfer.reversed_at = timezone.now()
        transfer.save(update_fields=["reversed_at", "updated_at"])
        record_event(
            actor=actor,
            action="planning.transfer.reversed",
            obj=transfer,
            organisation=locked.purchaser,
            changes={
                f"line {source.code}": (str(source.amount - transfer.amount), str(source.amount)),
                f"line {target.code}": (str(target.amount + transfer.amount), str(target.amount)),
            },
            data={"reference": locked.reference, "amount": str(transfer.amount), "source": source.code},
        )
    target.version += 1
    target.save(update_fields=["amount", "committed", "version", "updated_at"])


def withdraw_project(*, actor: Any, project: Project | int, version: int, reason: str = "") -> Project:
    with transaction.atomic():
        locked = _lock_project(project, version)
        _check_may_propose(actor, locked.purchaser)
        rules.check_transition(locked.status, S.WITHDRAWN)
        _release(locked, actor=actor)
        _move(
            locked,
            S.WITHDRAWN,
            actor=actor,
            action="planning.project.withdrawn",
            organisation=locked.purchaser,
            data={"reason": (reason or "").strip()[:500] or "—"},
        )
    return locked


def _finance_org(actor: Any, locked: Project) -> Organisation | None:
    if actor is None:
        return None
    scope = scope_for(actor)
    if not rules.may_review_finance(scope, region_id=locked.region_id):
        raise PermissionRefused(_("Only the finance bureau of the project's region reviews it."))
    org_id = next(
        o for o, kind, _r, region, _l in scope.memberships if kind == rules.FINANCE and region == locked.region_id
    )
    return Organisation.objects.get(pk=org_id)


def _staffing_org(actor: Any, locked: Project) -> Organisation | None:
    if actor is None:
        return None
    scope = scope_for(actor)
    if not rules.may_review_staffing(scope, region_id=locked.region_id, region_parent_id=locked.region.parent_id):
        raise PermissionRefused(_("Only the staffing office reviews conversions."))
    org_id = next(o for o, kind, _r, _region, _l in scope.memberships if kind == rules.STAFFING)
    return Organisation.objects.get(pk=org_id)


def _review(locked: Project, *, kind: str, decision: str, actor: Any, organisation: Any, comment: str) -> None:
    fallback = locked.purchaser if organisation is None else organisation
    Review.objects.create(
        project=locked,
        kind=kind,
        decision=decision,
        comment=comment,
        organisation=fallback,
        decided_by=actor,
        decided_at=timezone.now(),
    )


def start_review(*, actor: Any, project: Project | int, version: int) -> Project:
    with transaction.atomic():
        locked = _lock_project(project, version)
        org = _finance_org(actor, locked)
        _move(locked, S.UNDER_REVIEW, actor=actor, action="planning.project.review_started", organisation=org, data={})
    return locked


def approve_project(
    *, actor: Any, project: Project | int, version: int, comment: str = "", approve_outside_catalog: bool = False
) -> Project:
    with transaction.atomic():
        locked = _lock_project(project, version)
        org = _finance_org(actor, locked)
        rules.check_transition(locked.status, S.APPROVED)
        outside = locked.purchasability in ("outside_catalog", "approved_outside_catalog")
        rules.check_ready_for_approval(
            staffing=locked.staffing_review, outside_catalog=outside, approve_outside=approve_outside_catalog
        )
        if outside:
            locked.outside_catalog_approved = True
            locked.purchasability = "approved_outside_catalog"
        split = _split_check(locked)
        locked.decided_at = timezone.now()
        _review(locked, kind=Review.Kind.FINANCE, decision="approved", actor=actor, organisation=org, comment=comment)
        _move(
            locked,
            S.APPROVED,
            actor=actor,
            action="planning.project.approved",
            organisation=org,
            data={"comment": comment or "—", "outside_catalog": outside, "split_flag": split["flagged"]},
        )
    return locked


def _comment_required(comment: str) -> str:
    text = (comment or "").strip()
    if not text:
        message = _("Say what the purchaser should change.")
        raise ValidationFailed(message, code="comment_required", fields={"comment": [message]})
    return text[:4000]


def return_project(*, actor: Any, project: Project | int, version: int, comment: str) -> Project:
    text = _comment_required(comment)
    with transaction.atomic():
        locked = _lock_project(project, version)
        org = _finance_org(actor, locked)
        rules.check_transition(locked.status, S.RETURNED)
        locked.decided_at = timezone.now()
        _review(locked, kind=Review.Kind.FINANCE, decision="returned", actor=actor, organisation=org, comment=text)
        _move(
            locked,
            S.RETURNED,
            actor=actor,
            action="planning.project.returned",
            organisation=org,
            data={"comment": text},
        )
    return locked


def confirm_staffing(*, actor: Any, project: Project | int, version: int, comment: str = "") -> Project:
    """The staffing office confirms the conversion adds no posts or bodies (§二.二.4)."""
    with transaction.atomic():
        locked = _lock_project(project, version)
        org = _staffing_org(actor, locked)
        if locked.staffing_review != StaffingReview.PENDING or locked.status not in rules.WAITING_FOR_FINANCE:
            raise TransitionRefused(
                _("This project does not wait for the staffing office."), code="staffing_not_pending"
            )
        locked.staffing_review = StaffingReview.CONFIRMED
        locked.version += 1
        locked.save()
        _review(locked, kind=Review.Kind.STAFFING, decision="confirmed", actor=actor, organisation=org, comment=comment)
        record_event(
            actor=actor,
            action="planning.project.staffing_confirmed",
            obj=locked,
            organisation=org,
            changes={"staffing_review": (StaffingReview.PENDING, StaffingReview.CONFIRMED)},
            data={"reference": locked.reference, "comment": comment or "—"},
        )
    return locked


def return_staffing(*, actor: Any, project: Project | int, version: int, comment: str) -> Project:
    text = _comment_required(comment)
    with transaction.atomic():
        locked = _lock_project(project, version)
        org = _staffing_org(actor, locked)
        if locked.staffing_review != StaffingReview.PENDING:
            raise TransitionRefused(
                _("This project does not wait for the staffing office."), code="staffing_not_pending"
            )
        locked.staffing_review = StaffingReview.RETURNED
        locked.decided_at = timezone.now()
        _review(locked, kind=Review.Kind.STAFFING, decision="returned", actor=actor, organisation=org, comment=text)
        _move(
            locked,
            S.RETURNED,
            actor=actor,
            action="planning.project.staffing_returned",
            organisation=org,
            data={"comment": text},
        )
    return locked


def cancel_project(*, actor: Any, project: Project | int, version: int, reason: str) -> Project:
    """An approved or planned project is cancelled: its money goes back to the line; a project
    already in the published plan makes a new plan version (plan_services.publish_plan)."""
    from govbuy.planning import plan_services

    text = (reason or "").strip()[:500]
    if not text:
        message = _("Give the reason for the cancellation; it is published with the plan.")
        raise ValidationFailed(message, code="reason_required", fields={"reason": [message]})
    with transaction.atomic():
        locked = _lock_project(project, version)
        _check_may_propose(actor, locked.purchaser)
        was_planned = locked.status == S.IN_PLAN
        rules.check_transition(locked.status, S.CANCELLED)
        _release(locked, actor=actor)
        _move(
            locked,
            S.CANCELLED,
            actor=actor,
            action="planning.project.cancelled",
            organisation=locked.purchaser,
            data={"reason": text},
        )
        if was_planned:
            plan_services.publish_plan(
                actor=actor,
                purchaser=locked.purchaser,
                fiscal_year=locked.fiscal_year,
                note=str(
                    _("Cancelled: %(ref)s %(title)s — %(reason)s")
                    % {"ref": locked.reference, "title": locked.title, "reason": text}
                ),
            )
    return locked
