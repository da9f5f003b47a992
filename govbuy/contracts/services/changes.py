"""Changes and ends of a contract: amendments with a rationale code and four eyes (Law Art. 49:
increases total at most 10 % of the original; a term change re-checks Order 102 Art. 24),
suspension while a complaint is decided (Reg. Art. 54) and resumption, termination with the
amount paid and the reason, and completion once every milestone is accepted and paid."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from govbuy.contracts import rules
from govbuy.contracts.models import (
    Amendment,
    AmendmentRationale,
    AmendmentStatus,
    Contract,
    ContractStatus,
    TerminationCause,
)
from govbuy.contracts.services import common
from govbuy.core import facts, publication
from govbuy.core.calendar.rules import local_date
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.core.money import to_yuan

CAUSES_FOR_FACT = frozenset({TerminationCause.PROVIDER_DEFAULT, TerminationCause.SUBCONTRACTING})


def _check_amendment(contract: Contract, value_change: Decimal, new_end: date | None) -> None:
    earlier = contract.amendments.filter(status=AmendmentStatus.ACTIVE).values_list("value_change", flat=True)
    rules.check_amendment_increase(contract.original_value, list(earlier), value_change)
    rules.check_reduction(contract.value, contract.amount_paid, value_change)
    if new_end is not None:
        rules.check_term(contract.period_start, new_end, common.term_conditions(contract))


def propose_amendment(
    *,
    actor: Any,
    contract: Contract | int,
    version: int,
    rationale: str,
    description: str,
    value_change: Any = "0",
    new_period_end: date | None = None,
) -> Amendment:
    if rationale not in AmendmentRationale.values:
        raise ValidationFailed(_("Choose the rationale."), fields={"rationale": [_("Choose the rationale.")]})
    text = rules.check_reason(description, "description")
    change = to_yuan(value_change or "0")
    if change == 0 and new_period_end is None:
        message = _("An amendment changes the value or the period.")
        raise ValidationFailed(message, fields={"value_change": [message]})
    with transaction.atomic():
        locked = common.lock_contract(contract, version)
        common.check_purchaser(actor, locked)
        if locked.status not in rules.IN_FORCE_STATES:
            raise TransitionRefused(_("Only a contract in force is amended."))
        if locked.amendments.filter(status=AmendmentStatus.PROPOSED).exists():
            raise Conflict(_("Another amendment awaits its confirmation."))
        _check_amendment(locked, change, new_period_end)
        amendment = Amendment.objects.create(
            contract=locked,
            number=locked.amendments.count() + 1,
            rationale=rationale,
            description=text,
            value_change=change,
            new_period_end=new_period_end,
            value_before=locked.value,
            period_end_before=locked.period_end,
            proposed_by=actor,
            proposed_at=common.now(),
        )
        common.bump(locked)
        common.audit(
            actor=actor,
            action="contracts.amendment.proposed",
            contract=locked,
            data={"number": amendment.number, "change": str(change), "rationale": rationale},
        )
    return amendment


def confirm_amendment(*, actor: Any, amendment: Amendment | int) -> Amendment:
    """A second, different authorised user confirms; the rules are checked again against the
    contract as it stands now."""
    pk = amendment.pk if isinstance(amendment, Amendment) else int(amendment)
    contract_id = Amendment.objects.filter(pk=pk).values_list("contract_id", flat=True).first()
    if contract_id is None:
        raise NotFound()
    with transaction.atomic():
        locked = common.lock_contract(contract_id)
        common.check_purchaser(actor, locked)
        target = Amendment.objects.select_for_update(of=("self",)).get(pk=pk)
        if target.status != AmendmentStatus.PROPOSED:
            raise Conflict(_("This amendment has already been confirmed."))
        if target.proposed_by_id == actor.pk:
            raise PermissionRefused(_("A second authorised user must confirm this amendment (four eyes)."))
        if locked.status not in rules.IN_FORCE_STATES:
            raise TransitionRefused(_("Only a contract in force is amended."))
        _check_amendment(locked, target.value_change, target.new_period_end)
        moment = common.now()
        changes: dict[str, tuple[Any, Any] | list[Any]] = {}
        if target.value_change:
            changes["value"] = (str(locked.value), str(locked.value + target.value_change))
            locked.value += target.value_change
        if target.new_period_end is not None:
            changes["period_end"] = (locked.period_end.isoformat(), target.new_period_end.isoformat())
            locked.period_end = target.new_period_end
        target.status = AmendmentStatus.ACTIVE
        target.confirmed_by = actor
        target.confirmed_at = moment
        target.save()
        common.bump(locked)
        common.audit(
            actor=actor,
            action="contracts.amendment.confirmed",
            contract=locked,
            changes=changes,
            data={"number": target.number, "rationale": target.rationale},
        )
        if locked.published_at is not None:
            publication.announce(
                "contractAmendment", obj_type=common.CONTRACT_TYPE, obj_id=locked.pk, occurred_at=moment
            )
    return target


def suspend(*, actor: Any, contract: Contract | int, version: int, reason: str) -> Contract:
    """While a complaint is decided the purchaser or the finance bureau suspends performance."""
    text = rules.check_reason(reason)
    with transaction.atomic():
        locked = common.lock_contract(contract, version)
        common.check_purchaser_or_finance(actor, locked)
        before = locked.status
        changes = {"status": common.move(locked, ContractStatus.SUSPENDED)}
        locked.suspended_from = before
        locked.suspension_reason = text
        locked.suspended_at = common.now()
        common.bump(locked)
        common.audit(
            actor=actor, action="contracts.contract.suspended", contract=locked, changes=changes, data={"reason": text}
        )
    return locked


def resume(*, actor: Any, contract: Contract | int, version: int) -> Contract:
    with transaction.atomic():
        locked = common.lock_contract(contract, version)
        common.check_purchaser_or_finance(actor, locked)
        if locked.status != ContractStatus.SUSPENDED:
            raise TransitionRefused(_("Only a suspended contract is resumed."))
        changes = {"status": common.move(locked, locked.suspended_from or ContractStatus.SIGNED)}
        locked.suspended_from = ""
        common.bump(locked)
        common.audit(actor=actor, action="contracts.contract.resumed", contract=locked, changes=changes)
    return locked


def terminate(*, actor: Any, contract: Contract | int, version: int | None, cause: str, reason: str) -> Contract:
    """Ends a contract in force, recording the amount paid and the reason."""
    if cause not in TerminationCause.values:
        raise ValidationFailed(_("Choose the cause."), fields={"cause": [_("Choose the cause.")]})
    text = rules.check_reason(reason)
    with transaction.atomic():
        locked = common.lock_contract(contract, version)
        common.check_purchaser(actor, locked)
        return _terminate(actor, locked, cause, text)


def _terminate(actor: Any, locked: Contract, cause: str, text: str) -> Contract:
    changes = {"status": common.move(locked, ContractStatus.TERMINATED)}
    moment = common.now()
    locked.termination_cause = cause
    locked.termination_reason = text
    locked.terminated_at = moment
    common.bump(locked)
    common.audit(
        actor=actor,
        action="contracts.contract.terminated",
        contract=locked,
        changes=changes,
        data={"cause": cause, "reason": text, "paid": str(locked.amount_paid)},
    )
    if cause in CAUSES_FOR_FACT:
        facts.report(
            "contracts.subcontracting_found"
            if cause == TerminationCause.SUBCONTRACTING
            else "contracts.terminated_for_cause",
            provider_id=locked.provider_id,
            source_type=common.CONTRACT_TYPE,
            source_id=locked.pk,
            occurred_at=moment,
            actor=actor,
            summary=f"合同 {locked.reference} 因{locked.get_termination_cause_display()}被解除：{text}"[:500],
            data={"cause": cause, "paid": str(locked.amount_paid)},
        )
    if locked.published_at is not None:
        publication.announce("contractTermination", obj_type=common.CONTRACT_TYPE, obj_id=locked.pk, occurred_at=moment)
    return locked


def terminate_locked(actor: Any, locked: Contract, cause: str, text: str) -> Contract:
    """For the subcontracting finding, which holds the lock already."""
    return _terminate(actor, locked, cause, text)


def complete(*, actor: Any, contract: Contract | int, version: int) -> Contract:
    with transaction.atomic():
        locked = common.lock_contract(contract, version)
        common.check_purchaser(actor, locked)
        milestones = list(locked.milestones.order_by("sequence"))
        if not rules.may_complete([m.status for m in milestones], locked.value, locked.amount_paid):
            raise TransitionRefused(
                _("A contract is completed when every milestone is accepted and the value is paid.")
            )
        changes = {"status": common.move(locked, ContractStatus.COMPLETED)}
        moment = common.now()
        locked.completed_at = moment
        common.bump(locked)
        on_time = all(m.accepted_at is not None and local_date(m.accepted_at) <= m.due_date for m in milestones)
        common.audit(
            actor=actor,
            action="contracts.contract.completed",
            contract=locked,
            changes=changes,
            data={"on_time": on_time},
        )
        facts.report(
            "contracts.completed_on_time" if on_time else "contracts.delivery_late",
            provider_id=locked.provider_id,
            source_type=common.CONTRACT_TYPE,
            source_id=locked.pk,
            occurred_at=moment,
            actor=actor,
            summary=f"合同 {locked.reference} 已履约完毕" + ("，各阶段按期验收" if on_time else "，有阶段逾期验收"),
            data={"on_time": on_time},
        )
        publication.announce("implementation", obj_type=common.CONTRACT_TYPE, obj_id=locked.pk, occurred_at=moment)
    return locked
