"""Reads of confidential records by oversight bodies leave a trace (issue 15): when a finance,
audit or supervision body that is not the tender's purchaser opens the evaluation (scores, ranking,
credit checks), the evaluation report, an opened bid's document or the evidence of a winner's
refusal to sign, an audit event names the reader,
the tender and what was read. The purchaser's own reads are its work, not oversight, and leave
none. A panel member downloading a bid's document is a read of sealed material too: it leaves
`procurement.panel.document_read` (issue 16), naming the expert, the bid and the file."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from govbuy.audit.services import record_event
from govbuy.organizations.kinds import REGION_WIDE_KINDS
from govbuy.organizations.models import Organisation
from govbuy.organizations.scope import scope_for
from govbuy.procurement.models import BidDocument, PanelMember, Tender

ACTION = "procurement.oversight.read"
SUBJECTS = frozenset({"evaluation", "evaluation_report", "bid_document", "refusal_evidence"})


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


PANEL_ACTION = "procurement.panel.document_read"


def record_panel_read(*, actor: Any, document: BidDocument) -> bool:
    """Record that a seated panel member (declared no conflict) downloaded `document`; False
    (nothing recorded) when `actor` reads as no member of the bid's tender's panel."""
    tender = document.bid.tender
    if not getattr(actor, "pk", None):
        return False
    member = (
        PanelMember.objects.select_related("expert__organisation")
        .filter(panel__tender=tender, expert__user_id=actor.pk, declaration=PanelMember.Declaration.NO_CONFLICT)
        .first()
    )
    if member is None:
        return False
    with transaction.atomic():
        record_event(
            actor=actor,
            action=PANEL_ACTION,
            obj=document,
            organisation=member.expert.organisation,
            region_id=tender.region_id,
            data={
                "reference": tender.reference,
                "expert": member.expert.name,
                "provider": document.bid.provider.name_zh,
                "file_name": document.file_name,
                "bid_id": document.bid_id,
            },
        )
    return True


def record_bid_document_read(*, actor: Any, document: BidDocument) -> bool:
    """Every read of an opened bid's document by someone other than the purchaser leaves a trace:
    an oversight body's, or a seated panel member's. False when nothing was recorded."""
    return record_oversight_read(
        actor=actor, tender=document.bid.tender, subject="bid_document", object_id=document.pk
    ) or record_panel_read(actor=actor, document=document)
