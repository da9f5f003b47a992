"""Reads of confidential records by oversight bodies leave a trace (issue 15): when a finance,
audit or supervision body that is not the tender's purchaser opens the evaluation (scores, ranking,
credit checks), the evaluation report or an opened bid's document, an audit event names the reader,
the tender and what was read. The purchaser's and the panel's own reads are their work, not
oversight, and leave none."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from govbuy.audit.services import record_event
from govbuy.organizations.kinds import REGION_WIDE_KINDS
from govbuy.organizations.models import Organisation
from govbuy.organizations.scope import scope_for
from govbuy.procurement.models import Tender

ACTION = "procurement.oversight.read"
SUBJECTS = frozenset({"evaluation", "evaluation_report", "bid_document"})


def record_oversight_read(*, actor: Any, tender: Tender, subject: str, object_id: Any = "") -> bool:
    """Record that `actor` read `subject` of `tender` as an oversight body; False (nothing recorded)
    when the actor reads as the purchaser or reads as no oversight body."""
    if subject not in SUBJECTS:
        raise ValueError(f"unknown confidential subject {subject!r}")
    scope = scope_for(actor)
    if tender.purchaser_id in scope.organisation_ids:
        return False
    bodies = [m for m in scope.memberships if m.kind in REGION_WIDE_KINDS]
    if not bodies:
        return False
    with transaction.atomic():
        record_event(
            actor=actor,
            action=ACTION,
            obj=tender,
            organisation=Organisation.objects.get(pk=bodies[0].organisation_id),
            region_id=tender.region_id,
            data={"reference": tender.reference, "subject": subject, "object_id": str(object_id)},
        )
    return True
