"""Signing by both parties (the provider's authorised member, then the purchaser, with four eyes
above the award threshold), publication of the contract notice (Reg. Art. 50) and filing with
the finance bureau (Law Art. 47). The clocks only set deadlines: a late step is done and marked."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from govbuy.contracts import notifications, rules
from govbuy.contracts.models import Contract, ContractStatus
from govbuy.contracts.services import common, drafting
from govbuy.core import publication
from govbuy.core.calendar.rules import local_date
from govbuy.core.errors import Conflict, PermissionRefused, TransitionRefused
from govbuy.procurement.models import Award, AwardStatus
from govbuy.procurement.selectors.panels import signing_allowed
from govbuy.providers.selectors import Gate


def _check_signable(contract: Contract) -> None:
    """What may have changed since the draft: a challenge, the winner's refusal to sign being
    recorded (Reg. Art. 49), the provider's standing, the schedule."""
    # The award row is locked, as the refusal's services lock it: a signature and the record of a
    # refusal to sign queue, and the later one sees the earlier.
    if contract.award_id is not None and (
        Award.objects.select_for_update().filter(pk=contract.award_id).values_list("status", flat=True).first()
        != AwardStatus.ACTIVE
    ):
        raise TransitionRefused(
            _("The winner's refusal to sign was recorded for this award: cancel this draft."),
            code="award_superseded",
        )
    if contract.award is not None and not signing_allowed(contract.award.tender):
        raise TransitionRefused(
            _(
                "The contract cannot be signed while a challenge awaits its answer or a complaint was upheld "
                "(Reg. Art. 54)."
            ),
            code="signing_suspended",
        )
    common.check_participation(contract.provider_id, Gate.SIGNING)


def provider_sign(*, actor: Any, contract: Contract | int, version: int) -> Contract:
    with transaction.atomic():
        locked = common.lock_contract(contract, version)
        common.check_provider(actor, locked)
        if locked.status != ContractStatus.DRAFT:
            raise TransitionRefused(_("The provider signs the draft once."))
        _check_signable(locked)
        shares = list(locked.milestones.values_list("percentage", flat=True))
        if sum(shares, Decimal("0")) != rules.HUNDRED:
            raise TransitionRefused(
                _("The contract needs its milestone schedule (shares summing to 100%) before signing.")
            )
        if locked.payee is None or locked.payee.organisation_id != locked.provider_id:
            raise TransitionRefused(_("Name the provider's own payee account before signing."))
        changes = {"status": common.move(locked, ContractStatus.PROVIDER_SIGNED)}
        locked.provider_signed_by = actor
        locked.provider_signed_at = common.now()
        # The text both parties sign is fixed here: rendered once, stored under its hash.
        digest = drafting.store_pdf(locked)
        common.bump(locked)
        common.audit(
            actor=actor,
            action="contracts.contract.provider_signed",
            contract=locked,
            changes=changes,
            data={"pdf": digest},
        )
        notifications.provider_signed(locked)
    return locked


def purchaser_sign(*, actor: Any, contract: Contract | int, version: int) -> Contract:
    """The purchaser's signature. Above the threshold the first authorised user's signature waits
    for a second, different one; the contract is signed when the last needed signature is given."""
    with transaction.atomic():
        locked = common.lock_contract(contract, version)
        common.check_purchaser(actor, locked)
        if locked.status != ContractStatus.PROVIDER_SIGNED:
            raise TransitionRefused(_("The purchaser signs after the provider."))
        _check_signable(locked)
        four_eyes = rules.needs_second_user(locked.value, common.four_eyes_threshold())
        if four_eyes and locked.purchaser_first_signer_id is None:
            locked.purchaser_first_signer = actor
            common.bump(locked)
            common.audit(
                actor=actor,
                action="contracts.contract.signature_proposed",
                contract=locked,
                data={"value": str(locked.value)},
            )
            return locked
        if four_eyes and locked.purchaser_first_signer_id == actor.pk:
            raise PermissionRefused(_("A second authorised user must sign this contract (four eyes)."))
        changes = {"status": common.move(locked, ContractStatus.SIGNED)}
        moment = common.now()
        due = common.signing_due(locked)
        locked.purchaser_signed_by = actor
        locked.signed_at = moment
        locked.signed_late = rules.is_late(moment, due)
        common.bump(locked)
        common.audit(
            actor=actor,
            action="contracts.contract.signed",
            contract=locked,
            changes=changes,
            data={
                "due": due.isoformat(),
                "late": "late" if locked.signed_late else "in_time",
                "value": str(locked.value),
            },
        )
        notifications.signed(locked)
    return locked


def publish(
    *, actor: Any, contract: Contract | int, version: int, withheld: list[dict[str, Any]] | None = None
) -> Contract:
    """The public contract notice, with the sections marked as commercial secrets left out and the
    reason shown (Reg. Art. 50)."""
    sections = rules.clean_withheld(withheld or [])
    with transaction.atomic():
        locked = common.lock_contract(contract, version)
        common.check_purchaser(actor, locked)
        if locked.status != ContractStatus.SIGNED:
            raise TransitionRefused(_("A contract is published once, after both parties signed."))
        changes = {"status": common.move(locked, ContractStatus.PUBLISHED)}
        moment = common.now()
        due = common.publication_due(locked)
        locked.published_at = moment
        locked.published_late = due is not None and rules.is_late(moment, due)
        locked.withheld = sections
        common.bump(locked)
        common.audit(
            actor=actor,
            action="contracts.contract.published",
            contract=locked,
            changes=changes,
            data={
                "due": due.isoformat() if due else "",
                "late": "late" if locked.published_late else "in_time",
                "withheld": len(sections),
            },
        )
        publication.announce("contract", obj_type=common.CONTRACT_TYPE, obj_id=locked.pk, occurred_at=moment)
    return locked


def file_with_finance(*, actor: Any, contract: Contract | int, version: int) -> Contract:
    """The purchaser files a copy with the finance bureau (Law Art. 47)."""
    with transaction.atomic():
        locked = common.lock_contract(contract, version)
        common.check_purchaser(actor, locked)
        if locked.signed_at is None or locked.status == ContractStatus.CANCELLED:
            raise TransitionRefused(_("A contract is filed after it is signed."))
        if locked.filed_at is not None:
            raise Conflict(_("This contract has already been filed."))
        moment = common.now()
        due = common.filing_due(locked)
        locked.filed_at = moment
        locked.filed_late = due is not None and rules.is_late(moment, due)
        common.bump(locked)
        common.audit(
            actor=actor,
            action="contracts.contract.filed",
            contract=locked,
            data={
                "due": due.isoformat() if due else "",
                "late": "late" if locked.filed_late else "in_time",
                "day": local_date(moment).isoformat(),
            },
        )
        notifications.filed(locked)
    return locked


def cancel(*, actor: Any, contract: Contract | int, version: int, reason: str) -> Contract:
    """An unsigned draft is withdrawn (e.g. the award was set aside after a complaint)."""
    cleaned = rules.check_reason(reason)
    with transaction.atomic():
        locked = common.lock_contract(contract, version)
        common.check_purchaser(actor, locked)
        if locked.status not in (ContractStatus.DRAFT, ContractStatus.PROVIDER_SIGNED):
            raise TransitionRefused(_("Only an unsigned contract can be cancelled; a signed one is terminated."))
        changes = {"status": common.move(locked, ContractStatus.CANCELLED)}
        locked.termination_reason = cleaned
        common.bump(locked)
        common.audit(
            actor=actor,
            action="contracts.contract.cancelled",
            contract=locked,
            changes=changes,
            data={"reason": cleaned},
        )
    return locked
