"""Payments (以事定費, 費隨事轉): only against an accepted milestone, only to the contracting
provider's own account, and never beyond the contract value. Two payments racing for the last
yuan are serialised by the contract's row lock; the CHECK on `amount_paid <= value` backs it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from govbuy.contracts import notifications, rules
from govbuy.contracts.models import Contract, Milestone, MilestoneStatus, PayeeAccount, Payment
from govbuy.contracts.services import common
from govbuy.core import evaluation_gate, publication
from govbuy.core.calendar.rules import local_date
from govbuy.core.errors import Conflict, NotFound, TransitionRefused, ValidationFailed
from govbuy.core.money import to_yuan


def record_payment(
    *,
    actor: Any,
    contract: Contract | int,
    milestone: Milestone | int,
    amount: Any,
    payee: PayeeAccount | int,
    reference: str,
    paid_on: date | None = None,
) -> Payment:
    value = to_yuan(amount)
    ref = str(reference or "").strip()[:64]
    if not ref:
        message = _("Give the payment reference of the treasury or bank.")
        raise ValidationFailed(message, fields={"reference": [message]})
    with transaction.atomic():
        locked = common.lock_contract(contract)
        common.check_purchaser(actor, locked)
        if locked.status not in rules.DELIVERY_STATES:
            raise TransitionRefused(_("Payments are made while the contract is in force and not suspended."))
        milestone_pk = milestone.pk if isinstance(milestone, Milestone) else int(milestone)
        target = Milestone.objects.filter(pk=milestone_pk, contract=locked).first()
        if target is None:
            raise NotFound()
        payee_pk = payee.pk if isinstance(payee, PayeeAccount) else int(payee)
        account = PayeeAccount.objects.filter(pk=payee_pk).first()
        if account is None:
            raise NotFound()
        rules.check_payment(
            amount=value,
            value=locked.value,
            paid=locked.amount_paid,
            milestone_accepted=target.status == MilestoneStatus.ACCEPTED,
            payee_org=account.organisation_id,
            provider_org=locked.provider_id,
            evaluation_pending=target.needs_evaluation and not evaluation_gate.evaluation_finalised(target.pk),
        )
        day = paid_on or local_date(common.now())
        if Payment.objects.filter(contract=locked, reference=ref).exists():
            raise Conflict(_("A payment with this reference is already recorded."))
        before = locked.amount_paid
        try:
            with transaction.atomic():
                payment = Payment.objects.create(
                    contract=locked,
                    milestone=target,
                    payee=account,
                    amount=value,
                    paid_on=day,
                    reference=ref,
                    recorded_by=actor,
                )
                locked.amount_paid = before + value
                common.bump(locked)
        except IntegrityError:
            # Only reachable if something bypassed the lock; the database refuses the overpayment.
            raise Conflict(_("The payment exceeds the remaining contract value.")) from None
        common.audit(
            actor=actor,
            action="contracts.payment.recorded",
            contract=locked,
            changes={"amount_paid": (str(before), str(locked.amount_paid))},
            data={"amount": str(value), "milestone": target.title, "payment_reference": ref},
        )
        if locked.published_at is not None:
            publication.announce(
                "implementation", obj_type=common.CONTRACT_TYPE, obj_id=locked.pk, occurred_at=common.now()
            )
        notifications.paid(locked)
    return payment
