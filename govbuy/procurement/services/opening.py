"""The bid opening (R18, four eyes): one authorised purchaser user initiates it once the
deadline and the settle period after it have passed (every bid received in time is then recorded:
`rules.check_opening_time`), a different one confirms; then every sealed bid is decrypted in one transaction, the
opening record (PDF, Chinese) is stored for the bidders, an audit checkpoint is signed, and a
tender with fewer bids than the method's minimum in any lot becomes a failed procurement."""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import create_checkpoint, lift_seal, record_event
from govbuy.core import present, publication
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, TransitionRefused
from govbuy.core.pdf import render_pdf
from govbuy.core.storage import save_once
from govbuy.organizations.scope import scope_for
from govbuy.procurement import rules, sealing
from govbuy.procurement.models import Bid, BidDocument, BidStatus, Opening, Tender, TenderStatus
from govbuy.procurement.services.bids import bid_seal_key, db_now
from govbuy.procurement.services.tenders import TENDER_TYPE, method_params


def _check_opener(actor: Any, tender: Tender) -> None:
    scope = scope_for(actor)
    if not rules.purchaser_staff_of(scope, tender.purchaser_id):
        if scope.sees_organisation(tender.purchaser):
            raise PermissionRefused(_("Only the purchaser's authorised staff open bids."))
        raise NotFound()
    bidders = set(Bid.objects.filter(tender=tender).values_list("provider_id", flat=True))
    if bidders & set(scope.organisation_ids):
        raise PermissionRefused(_("You belong to a bidding provider and may not take part in the opening."))


def _lock(tender: Tender | int) -> Tender:
    pk = tender.pk if isinstance(tender, Tender) else int(tender)
    locked = (
        Tender.objects.select_for_update(of=("self",))
        .select_related("purchaser__region", "method")
        .filter(pk=pk)
        .first()
    )
    if locked is None:
        raise NotFound()
    return locked


def initiate_opening(*, actor: Any, tender: Tender | int) -> Opening:
    with transaction.atomic():
        locked = _lock(tender)
        _check_opener(actor, locked)
        if locked.status in (TenderStatus.OPENED, TenderStatus.FAILED) or hasattr_opening_confirmed(locked):
            raise TransitionRefused(_("The bids of this tender have already been opened."))
        if locked.status != TenderStatus.PUBLISHED:
            raise TransitionRefused(_("Only a published tender is opened."))
        now = db_now()
        rules.check_opening_time(now=now, deadline=locked.bid_deadline)
        existing = Opening.objects.filter(tender=locked).first()
        if existing is not None:
            raise Conflict(_("The opening has already been initiated; another authorised user confirms it."))
        opening = Opening.objects.create(tender=locked, initiated_by=actor, initiated_at=now)
        record_event(
            actor=actor,
            action="procurement.opening.initiated",
            obj=locked,
            organisation=locked.purchaser,
            data={"reference": locked.reference},
        )
    return opening


def hasattr_opening_confirmed(tender: Tender) -> bool:
    return Opening.objects.filter(tender=tender, confirmed_at__isnull=False).exists()


def _decrypt(tender: Tender, bid: Bid) -> list[BidDocument]:
    content = sealing.unseal(
        wrapped_key=tender.wrapped_key,
        tender_id=tender.pk,
        lot_id=bid.lot_id,
        provider_id=bid.provider_id,
        nonce=bid.nonce,
        ciphertext=bid.ciphertext,
    )
    if sealing.receipt_hash(content) != bid.receipt_sha256:
        raise Conflict(_("A sealed bid does not match its receipt; the opening stops."))
    bid.price = Decimal(content["price"])
    bid.responses = content.get("responses") or {}
    rules.check_bid_transition(bid.status, BidStatus.OPENED)
    bid.status = BidStatus.OPENED
    bid.save(update_fields=["price", "responses", "status"])
    docs = []
    for doc in content.get("documents") or []:
        data = base64.b64decode(doc["data"])
        path = save_once(
            path=f"bids/{tender.pk}/{doc['sha256'][:2]}/{doc['safe_name']}", data=data, sha256=doc["sha256"]
        )
        docs.append(
            BidDocument(
                bid=bid,
                file_name=doc["name"][:200],
                path=path,
                sha256=doc["sha256"],
                size=doc["size"],
                content_type=doc["content_type"],
            )
        )
    return docs


def _disqualify_over_budget(opened: list[Bid], now: Any) -> list[Bid]:
    """Second guard behind the submission check: a bid whose price is above its lot's budget is
    invalid and is marked so at the opening (it is not scored)."""
    over = [bid for bid in opened if bid.price is not None and rules.price_above_budget(bid.price, bid.lot.budget)]
    for bid in over:
        bid.disqualified_reason = str(
            _("The price is above this lot's budget of %(budget)s yuan; such a bid is invalid.")
            % {"budget": bid.lot.budget}
        )
        bid.disqualified_at = now
        bid.save(update_fields=["disqualified_reason", "disqualified_at"])
    return over


def render_record(tender: Tender, opening: Opening, bids: list[Bid], failed: bool) -> bytes:
    with translation.override("zh-hans"), timezone.override("Asia/Shanghai"):
        html = render_to_string(
            "procurement/opening_record.html",
            {"tender": tender, "opening": opening, "bids": bids, "failed": failed},
        )
    return render_pdf(html)


def confirm_opening(*, actor: Any, tender: Tender | int) -> Opening:
    with transaction.atomic():
        locked = _lock(tender)
        _check_opener(actor, locked)
        opening = Opening.objects.select_for_update().filter(tender=locked).first()
        if opening is None:
            raise TransitionRefused(_("Initiate the opening first."))
        if opening.confirmed_at is not None or locked.status != TenderStatus.PUBLISHED:
            raise TransitionRefused(_("The bids of this tender have already been opened."))
        if opening.initiated_by_id == actor.pk:
            raise PermissionRefused(_("A second authorised user must confirm the opening (four eyes)."))
        now = db_now()
        sealed = list(
            Bid.objects.select_for_update(of=("self",))
            .filter(tender=locked, status=BidStatus.SEALED)
            .select_related("provider", "lot")
            .order_by("lot__number", "submitted_at", "pk")
        )
        documents: list[BidDocument] = []
        for bid in sealed:
            documents += _decrypt(locked, bid)
        over_budget = _disqualify_over_budget(sealed, now)
        BidDocument.objects.bulk_create(documents)
        counts = Counter(bid.lot_id for bid in sealed)
        per_lot = {lot.pk: counts.get(lot.pk, 0) for lot in locked.lots.all()}
        params = method_params(locked.method)
        failed = not rules.quorum_met(per_lot, params.min_suppliers)
        after = TenderStatus.FAILED if failed else TenderStatus.OPENED
        rules.check_transition(locked.status, after)
        locked.status = after
        locked.opened_at = now
        if failed:
            locked.failure_reason = str(
                _("Fewer bids than the method's minimum of %(n)d in at least one lot (Law Art. 36).")
                % {"n": params.min_suppliers}
            )
        locked.version += 1
        locked.save()
        opening.confirmed_by = actor
        opening.confirmed_at = now
        opening.bid_count = len(sealed)
        pdf = render_record(locked, opening, sealed, failed)
        digest = hashlib.sha256(pdf).hexdigest()
        opening.record_path = save_once(
            path=f"openings/{digest[:2]}/{locked.reference}-{digest[:16]}.pdf", data=pdf, sha256=digest
        )
        opening.record_sha256 = digest
        record_event(
            actor=actor,
            action="procurement.opening.confirmed",
            obj=locked,
            organisation=locked.purchaser,
            changes={"status": (TenderStatus.PUBLISHED, after)},
            data={
                "reference": locked.reference,
                "bids": len(sealed),
                "initiated_by": present.person(opening.initiated_by),
                "record": digest,
                "outcome": "failed" if failed else "opened",
                "over_budget": [bid.pk for bid in over_budget],
            },
        )
        # From the opening on, the bid events are no longer a secret: the readers of the trail see them.
        lift_seal(key=bid_seal_key(locked.pk))
        checkpoint = create_checkpoint(actor=actor, reason=f"opening {locked.reference}"[:100])
        opening.checkpoint_hash = checkpoint.head_hash
        opening.save()
        publication.announce("tenderUpdate", obj_type=TENDER_TYPE, obj_id=locked.pk, occurred_at=timezone.now())
    return opening
