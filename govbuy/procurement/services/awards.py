"""The award (Reg. Art. 43): the purchaser confirms the winner of each lot within 5 working days
of the evaluation report — the top-ranked qualified bid unless a reason is recorded — after the
three-list credit check of that bidder. Above GOVBUY_AWARD_FOUR_EYES_THRESHOLD one authorised
user proposes and a different one confirms. Once every lot has its confirmed award the tender is
awarded, an audit checkpoint is signed and the award notice is announced (portal and OCDS)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import create_checkpoint, record_event
from govbuy.core import publication
from govbuy.core.calendar.rules import get_calendar, local_date
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.procurement import notifications, rules
from govbuy.procurement.models import (
    LIVE_AWARD_STATUSES,
    Award,
    AwardStatus,
    Bid,
    BidStatus,
    CreditCheck,
    Evaluation,
    Lot,
    Ranking,
    Tender,
    TenderStatus,
)
from govbuy.procurement.services.evaluation import _check_staff
from govbuy.procurement.services.tenders import TENDER_TYPE, _lock_tender
from govbuy.providers import selectors as provider_selectors


def four_eyes_threshold() -> Decimal:
    return Decimal(str(settings.GOVBUY_AWARD_FOUR_EYES_THRESHOLD))


def refused_award_to_replace(lot: Lot) -> Award | None:
    """The lot's superseded award that no award replaces yet (Reg. Art. 49), if any."""
    return (
        Award.objects.filter(lot=lot, status=AwardStatus.REFUSED, replaced_by__isnull=True)
        .order_by("-refusal_confirmed_at", "-pk")
        .first()
    )


def _check_in_time(tender: Tender, replaces: Award | None = None) -> None:
    """Checked at the moment of the request: no job has to run for the limit to hold. A lot whose
    winner refused to sign is awarded again within the same 5 working days, counted from the
    confirmation of the refusal."""
    if replaces is not None:
        if tender.status not in (TenderStatus.EVALUATED, TenderStatus.AWARDED) or replaces.refusal_confirmed_at is None:
            raise TransitionRefused(_("The lot is awarded again only after the refusal to sign is confirmed."))
        start = replaces.refusal_confirmed_at
    else:
        report = Evaluation.objects.filter(tender=tender).first()
        if report is None or tender.status != TenderStatus.EVALUATED:
            raise TransitionRefused(_("The winner is confirmed after the evaluation report, once."))
        start = report.reported_at
    limit = rules.award_deadline(start, get_calendar())
    if timezone.now() > limit:
        raise TransitionRefused(
            _(
                "The time limit for confirming the winner ended on %(day)s (5 working days after the "
                "evaluation report, Reg. Art. 43). Report the delay and its reason to the finance bureau "
                "in writing; it decides whether the award may still be made or the procurement is repeated."
            )
            % {"day": local_date(limit).isoformat()}
        )


def _winning_bid(tender: Tender, bid: Bid | int, reason: str) -> tuple[Bid, Lot]:
    pk = bid.pk if isinstance(bid, Bid) else int(bid)
    target = (
        Bid.objects.select_for_update(of=("self",))
        .defer("ciphertext", "nonce")
        .select_related("lot", "provider")
        .filter(pk=pk, tender=tender)
        .first()
    )
    if target is None:
        raise NotFound()
    if target.status != BidStatus.OPENED or target.disqualified_at is not None or target.price is None:
        raise ValidationFailed(
            _("A disqualified or invalid bid cannot win."), fields={"bid": [_("Choose a qualified bid.")]}
        )
    rows = list(
        Ranking.objects.filter(evaluation__tender=tender, lot=target.lot).values_list(
            "bid_id", "rank", "bid__disqualified_at"
        )
    )
    # A winner that refused to sign (Reg. Art. 49) drops out: the award passes to the next-ranked bid.
    refusers = set(
        Award.objects.filter(lot=target.lot, status=AwardStatus.REFUSED).values_list("provider_id", flat=True)
    )
    if target.provider_id in refusers:
        raise ValidationFailed(
            _("This bidder refused to sign the contract of this lot and cannot win it again."),
            fields={"bid": [_("Choose the next-ranked qualified bid.")]},
        )
    refused_bids = set(Bid.objects.filter(lot=target.lot, provider_id__in=refusers).values_list("pk", flat=True))
    top = rules.top_ranked(
        [(bid_id, rank, disqualified is None and bid_id not in refused_bids) for bid_id, rank, disqualified in rows]
    )
    if target.pk not in {row[0] for row in rows}:
        raise ValidationFailed(_("Only a ranked bid can win."), fields={"bid": [_("Choose a ranked bid.")]})
    if target.pk != top and not reason:
        message = _("The top-ranked qualified bid wins unless you record why another bid is chosen.")
        raise ValidationFailed(message, fields={"reason": [message]})
    check_participation(target.provider_id)
    check = CreditCheck.objects.filter(bid=target).first()
    if check is None:
        raise TransitionRefused(_("Record the three-list credit check of this bidder before the award."))
    if not check.is_clear:
        raise ValidationFailed(
            _("This bidder is on one of the three credit lists and cannot win."), fields={"bid": [_("Listed bidder.")]}
        )
    return target, target.lot


def _lot_of_bid(tender: Tender, bid: Bid | int) -> Lot:
    pk = bid.pk if isinstance(bid, Bid) else int(bid)
    lot = Lot.objects.filter(tender=tender, bids__pk=pk).first()
    if lot is None:
        raise NotFound()
    return lot


def check_participation(provider_id: int) -> None:
    """The award gate, at the moment of the request and under the provider row's lock: a provider
    banned or suspended since its bid is refused the award, with the reason (issue 14)."""
    allowed = provider_selectors.participation(provider_id, gate=provider_selectors.Gate.AWARD, lock=True)
    if not allowed.allowed:
        message = _("The award is refused: %(reason)s") % {"reason": allowed.message}
        raise TransitionRefused(message, code=f"provider_{allowed.code}", fields={"bid": [allowed.message]})


def _price(bid: Bid) -> Decimal:
    # The award amount is the winning bid's price, never typed in.
    if bid.price is None:
        raise ValidationFailed(_("A disqualified or invalid bid cannot win."))
    return Decimal(bid.price)


def _activate(award: Award, tender: Tender, *, actor: Any) -> None:
    now = timezone.now()
    rules.check_award_transition(award.status, AwardStatus.ACTIVE)
    award.status = AwardStatus.ACTIVE
    award.confirmed_by = actor
    award.confirmed_at = now
    award.save()
    lots = set(Lot.objects.filter(tender=tender).values_list("pk", flat=True))
    awarded = set(Award.objects.filter(tender=tender, status=AwardStatus.ACTIVE).values_list("lot_id", flat=True))
    complete = lots <= awarded
    changes: dict[str, tuple[Any, Any] | list[Any]] = {"award_status": (AwardStatus.PROPOSED, AwardStatus.ACTIVE)}
    # A lot awarded again after a refusal to sign (Reg. Art. 49) may find the tender awarded already.
    if complete and tender.status != TenderStatus.AWARDED:
        rules.check_transition(tender.status, TenderStatus.AWARDED)
        changes["status"] = (tender.status, TenderStatus.AWARDED)
        tender.status = TenderStatus.AWARDED
        tender.version += 1
        tender.save()
    record_event(
        actor=actor,
        action="procurement.award.confirmed",
        obj=tender,
        organisation=tender.purchaser,
        changes=changes,
        data={
            "reference": tender.reference,
            "lot": award.lot.number,
            "supplier": award.provider.name_zh,
            "amount": str(award.amount),
            "proposed_by": getattr(award.proposed_by, "username", ""),
            "replaces": award.replaces.provider.name_zh if award.replaces is not None else "",
        },
    )
    checkpoint = create_checkpoint(actor=actor, reason=f"award {tender.reference} lot {award.lot.number}"[:100])
    award.checkpoint_hash = checkpoint.head_hash
    award.save(update_fields=["checkpoint_hash"])
    publication.announce("award", obj_type=TENDER_TYPE, obj_id=tender.pk, occurred_at=now)
    if complete:
        notifications.award_announced(tender)


def propose_award(*, actor: Any, tender: Tender | int, bid: Bid | int, reason: str = "") -> Award:
    """Name the winner of the bid's lot. At or below the threshold this is the confirmation."""
    reason = str(reason or "").strip()
    if len(reason) > 2000:
        message = _("Give at most %(n)d characters.") % {"n": 2000}
        raise ValidationFailed(message, fields={"reason": [message]})
    with transaction.atomic():
        locked = _lock_tender(tender)
        _check_staff(actor, locked)
        lot = _lot_of_bid(locked, bid)
        replaces = refused_award_to_replace(lot)
        _check_in_time(locked, replaces)
        target, lot = _winning_bid(locked, bid, reason)
        if Award.objects.filter(lot=lot, status__in=LIVE_AWARD_STATUSES).exists():
            raise Conflict(_("The winner of this lot has already been proposed."))
        award = Award.objects.create(
            replaces=replaces,
            tender=locked,
            lot=lot,
            bid=target,
            provider=target.provider,
            amount=_price(target),
            reason=reason,
            proposed_by=actor,
            proposed_at=timezone.now(),
        )
        record_event(
            actor=actor,
            action="procurement.award.proposed",
            obj=locked,
            organisation=locked.purchaser,
            data={
                "reference": locked.reference,
                "lot": lot.number,
                "supplier": target.provider.name_zh,
                "amount": str(award.amount),
                "reason": reason,
                "replaces": replaces.provider.name_zh if replaces is not None else "",
            },
        )
        if not rules.needs_second_user(award.amount, four_eyes_threshold()):
            _activate(award, locked, actor=actor)
    return award


def confirm_award(*, actor: Any, tender: Tender | int, award: Award | int) -> Award:
    """The second authorised user confirms an award above the threshold (four eyes)."""
    with transaction.atomic():
        locked = _lock_tender(tender)
        _check_staff(actor, locked)
        pk = award.pk if isinstance(award, Award) else int(award)
        target = (
            Award.objects.select_for_update(of=("self",))
            .select_related("lot", "provider", "proposed_by", "replaces")
            .filter(pk=pk, tender=locked)
            .first()
        )
        if target is None:
            raise NotFound()
        rules.check_award_transition(target.status, AwardStatus.ACTIVE)
        if target.proposed_by_id == actor.pk:
            raise PermissionRefused(_("A second authorised user must confirm this award (four eyes)."))
        _check_in_time(locked, target.replaces)
        check_participation(target.provider_id)
        _activate(target, locked, actor=actor)
    return target
