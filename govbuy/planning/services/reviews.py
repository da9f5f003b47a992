"""A project's way through review: submission (with the split-purchase check), withdrawal, the
finance bureau's review and approval or return, the staffing office's review, cancellation."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.core.errors import Conflict, PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.organizations.models import Organisation
from govbuy.organizations.scope import scope_for
from govbuy.planning import rules, selectors
from govbuy.planning.models import (
    Project,
    ProjectStatus,
    Review,
    StaffingReview,
    Transfer,
)
from govbuy.planning.services.proposals import (
    apply_negative_review,
    check_may_propose,
    lock_lines,
    lock_project,
    purchasability_of,
)

S = ProjectStatus


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
        locked = lock_project(project, version)
        check_may_propose(actor, locked.purchaser)
        rules.check_transition(locked.status, S.SUBMITTED)
        rules.check_targets_complete(locked.targets.values_list("family", flat=True))
        # The negative list or the catalog may have changed since the draft was written.
        locked.purchasability = purchasability_of(
            purchaser=locked.purchaser,
            item=locked.catalog_item,
            outside_name=locked.outside_catalog_name,
            title=locked.title,
            approved=locked.outside_catalog_approved,
        )
        doubts = apply_negative_review(locked)
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
            data={
                "estimate": str(locked.estimate),
                "split_flag": split["flagged"],
                "negative_list_doubts": [d["reason"] for d in doubts],
            },
        )
    return locked


def _release(locked: Project, *, actor: Any) -> None:
    """Give the estimate back to the line and reverse the conversion transfer, if any."""
    transfer = Transfer.objects.filter(project=locked, reversed_at__isnull=True).first()
    lines = lock_lines(locked.budget_line, transfer.source_line if transfer else None)
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
        locked = lock_project(project, version)
        check_may_propose(actor, locked.purchaser)
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
        locked = lock_project(project, version)
        org = _finance_org(actor, locked)
        _move(locked, S.UNDER_REVIEW, actor=actor, action="planning.project.review_started", organisation=org, data={})
    return locked


def approve_project(
    *, actor: Any, project: Project | int, version: int, comment: str = "", approve_outside_catalog: bool = False
) -> Project:
    with transaction.atomic():
        locked = lock_project(project, version)
        org = _finance_org(actor, locked)
        rules.check_transition(locked.status, S.APPROVED)
        outside = locked.purchasability in ("outside_catalog", "approved_outside_catalog")
        rules.check_ready_for_approval(
            staffing=locked.staffing_review, outside_catalog=outside, approve_outside=approve_outside_catalog
        )
        if outside:
            locked.outside_catalog_approved = True
            locked.purchasability = "approved_outside_catalog"
        apply_negative_review(locked)
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
        locked = lock_project(project, version)
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
        locked = lock_project(project, version)
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
        locked = lock_project(project, version)
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
    already in the published plan makes a new plan version (annual_plans.publish_plan)."""
    from govbuy.planning.services import annual_plans

    text = (reason or "").strip()[:500]
    if not text:
        message = _("Give the reason for the cancellation; it is published with the plan.")
        raise ValidationFailed(message, code="reason_required", fields={"reason": [message]})
    with transaction.atomic():
        locked = lock_project(project, version)
        check_may_propose(actor, locked.purchaser)
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
            annual_plans.publish_plan(
                actor=actor,
                purchaser=locked.purchaser,
                fiscal_year=locked.fiscal_year,
                note=str(
                    _("Cancelled: %(ref)s %(title)s — %(reason)s")
                    % {"ref": locked.reference, "title": locked.title, "reason": text}
                ),
            )
    return locked
