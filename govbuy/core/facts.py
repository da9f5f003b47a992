"""The provider-fact hook: a lower app says "this happened, and it speaks for or against a
provider's credit" without knowing who keeps the credit record.

Procurement, contracts and performance find facts the credit system must hear of (a refusal to
sign after an award, a contract terminated for subcontracting, a 差 grade, a contract completed on
time). They call `report(kind, ...)` inside the transaction that established the fact, right after
its audit event; the credit app registers a handler in its AppConfig.ready() that records the
fact in the same transaction. Like `govbuy.core.publication`, this is a plain ordered registry, not
a Django signal: an exception in a handler fails the reporting service's transaction loudly.

With no handler registered (an installation without the credit app), reporting does nothing.
The kinds are a closed list so that every app reports the same fact under the same name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction

# Facts about a provider that earlier stages establish (design/rules.md "Credit and bans";
# Law Art. 77, Reg. Art. 72–73). Facts found by an authority (false materials, collusion,
# bribery, commendations) are entered in the credit app itself, not reported through this hook.
FACT_KINDS = frozenset(
    {
        # procurement
        "procurement.refused_to_sign",  # Reg. 72: the winner refused to sign after the award
        "procurement.complaint_upheld_against",  # a complaint against the provider was upheld
        "procurement.false_complaint",  # Reg. 73: a complaint found false or malicious
        # contracts
        "contracts.completed_on_time",
        "contracts.delivery_late",
        "contracts.deliverable_returned",
        "contracts.terminated_for_cause",
        "contracts.subcontracting_found",  # Order 102 Art. 26, Reg. 72 (轉包)
        # performance
        "performance.grade_excellent",  # 優
        "performance.grade_poor",  # 差
    }
)


@dataclass(frozen=True)
class ProviderFact:
    kind: str
    provider_id: int  # the provider's organisation id
    source_type: str  # the model's label_lower, e.g. "contracts.contract"
    source_id: int
    occurred_at: datetime  # aware
    actor_id: int | None = None  # the user whose act established the fact (None: the system)
    summary: str = ""  # one sentence in Chinese, as the record will show it
    data: dict[str, Any] = field(default_factory=dict)


Handler = Callable[[ProviderFact], None]
_handlers: list[tuple[int, Handler]] = []


def register(handler: Handler, order: int = 100) -> None:
    """Register a handler (idempotent: AppConfig.ready() may run twice in tests)."""
    if all(h is not handler for _o, h in _handlers):
        _handlers.append((order, handler))
        _handlers.sort(key=lambda pair: pair[0])


def unregister(handler: Handler) -> None:
    _handlers[:] = [(o, h) for o, h in _handlers if h is not handler]


def report(
    kind: str,
    *,
    provider_id: int,
    source_type: str,
    source_id: int,
    occurred_at: datetime,
    actor: Any = None,
    summary: str = "",
    data: dict[str, Any] | None = None,
) -> ProviderFact:
    """Tell the credit system about a fact, inside the transaction that established it."""
    if kind not in FACT_KINDS:
        raise ValueError(f"unknown provider fact {kind!r}; add it to govbuy.core.facts.FACT_KINDS")
    if occurred_at.tzinfo is None:
        raise ValueError("occurred_at must be an aware datetime")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("report() must run inside the transaction that established the fact")
    fact = ProviderFact(
        kind=kind,
        provider_id=int(provider_id),
        source_type=source_type,
        source_id=int(source_id),
        occurred_at=occurred_at,
        actor_id=getattr(actor, "pk", None),
        summary=summary,
        data=dict(data or {}),
    )
    for _order, handler in list(_handlers):
        handler(fact)
    return fact
