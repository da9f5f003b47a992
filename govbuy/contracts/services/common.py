"""Helpers shared by the contract services: locking, who may act, the four-eyes threshold, the
audit event of a contract and the statutory clocks as they apply to one contract."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.contracts import rules
from govbuy.contracts.models import Contract
from govbuy.core.calendar.rules import get_calendar
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, TransitionRefused
from govbuy.organizations.scope import Scope, scope_for
from govbuy.providers.selectors import Gate, participation

CONTRACT_TYPE = "contracts.contract"


def four_eyes_threshold() -> Decimal:
    """The same threshold as the award's (the signature commits the amount the award named)."""
    return Decimal(str(settings.GOVBUY_AWARD_FOUR_EYES_THRESHOLD))


def now() -> datetime:
    return timezone.now()


def lock_contract(contract: Contract | int, version: int | None = None) -> Contract:
    pk = contract.pk if isinstance(contract, Contract) else int(contract)
    locked = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("purchaser__region", "provider__region", "project", "region", "payee")
        .filter(pk=pk)
        .first()
    )
    if locked is None:
        raise NotFound()
    if version is not None and locked.version != int(version):
        raise Conflict()
    return locked


def sees(scope: Scope, contract: Contract) -> bool:
    return rules.sees(
        scope, purchaser_id=contract.purchaser_id, provider_id=contract.provider_id, region_id=contract.region_id
    )


def purchaser_staff(scope: Scope, organisation_id: int) -> bool:
    return rules.purchaser_staff(scope, organisation_id)


def check_purchaser(actor: Any, contract: Contract) -> None:
    scope = scope_for(actor)
    if purchaser_staff(scope, contract.purchaser_id):
        return
    if sees(scope, contract):
        raise PermissionRefused(_("Only the purchaser's staff do this."))
    raise NotFound()


def check_provider(actor: Any, contract: Contract) -> None:
    scope = scope_for(actor)
    if scope.writes_for(contract.provider_id):
        return
    if sees(scope, contract):
        raise PermissionRefused(_("Only the contracting provider's authorised members do this."))
    raise NotFound()


def check_purchaser_or_finance(actor: Any, contract: Contract) -> None:
    scope = scope_for(actor)
    if purchaser_staff(scope, contract.purchaser_id) or scope.finance_of(contract.region_id) is not None:
        return
    if sees(scope, contract):
        raise PermissionRefused(_("Only the purchaser or the finance bureau do this."))
    raise NotFound()


def check_participation(organisation_id: int, gate: Gate) -> None:
    """The single eligibility gate of the provider registry, asked at the moment of the step,
    inside the step's transaction and under the provider row's lock, which imposing a ban takes
    too: a step that commits after a ban has been checked against it (issue 14)."""
    answer = participation(organisation_id, gate=gate, lock=True)
    if not answer.allowed:
        raise TransitionRefused(answer.message, code=f"provider_{answer.code}")


def move(contract: Contract, after: str) -> tuple[str, str]:
    before = contract.status
    rules.check_transition(before, after)
    contract.status = after
    return before, after


def bump(contract: Contract) -> None:
    contract.version += 1
    contract.save()


def audit(
    *,
    actor: Any,
    action: str,
    contract: Contract,
    changes: Mapping[str, Any] | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    values = {"reference": contract.reference, "provider": contract.provider.name_zh}
    values.update(data or {})
    record_event(
        actor=actor,
        action=action,
        obj=contract,
        organisation=contract.purchaser,
        region_id=contract.region_id,
        changes=dict(changes) if changes else None,
        data=values,
    )


def signing_due(contract: Contract) -> date:
    return rules.signing_due(contract.award_notice_at, get_calendar())


def publication_due(contract: Contract) -> date | None:
    return rules.publication_due(contract.signed_at, get_calendar()) if contract.signed_at else None


def filing_due(contract: Contract) -> date | None:
    return rules.filing_due(contract.signed_at, get_calendar()) if contract.signed_at else None


def term_conditions(contract: Contract) -> rules.TermConditions:
    return rules.TermConditions(
        recurring=contract.recurring, stable_content=contract.stable_content, budget_secured=contract.budget_secured
    )
