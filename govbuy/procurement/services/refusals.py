"""The winner's refusal to sign after the award (Reg. Art. 49; Law Art. 46 sets the period).

No refusal is recorded against an award whose contract the provider has signed (asked through
govbuy.core.signing_gate, which contracts answers; it fails closed when nobody answers).

The purchaser records that the winner refused to sign the contract, or did not sign within the
period, with the facts and a piece of evidence; a different authorised user confirms it (four
eyes, whatever the amount). On confirmation the award is superseded — kept on record, never
deleted — the refusal is reported to the credit system as a fact against the winner
(govbuy.core.facts), the OCDS release is updated, and the lot may be awarded to the next-ranked
qualified bid (`awards.propose_award`, which names the award it replaces) or the procurement
repeated. A contract is drawn from a confirmed award only, so a superseded award cannot be
drawn, and the contracts app refuses to sign a draft whose award was superseded.

A refusal recorded by mistake (the wrong award, or the winner signs after all) is withdrawn before
its confirmation, with a reason, by the recorder or another purchaser user: the award is active
again, the refusal's fields are cleared (the audit trail keeps them) and the evidence stays stored.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.core import facts, publication, signing_gate
from govbuy.core.errors import NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.core.storage import document_path, save_once
from govbuy.core.text import normalise_text
from govbuy.core.uploads import inspect_upload
from govbuy.procurement import rules
from govbuy.procurement.models import Award, AwardStatus, RefusalGround, Tender
from govbuy.procurement.services.evaluation import EVIDENCE_KINDS, _check_staff
from govbuy.procurement.services.tenders import TENDER_TYPE, _lock_tender

REASON_MAX = 2000
LEGAL_BASIS = "《政府采购法实施条例》第四十九条、第七十二条"
# The credit record's summary is one Chinese sentence, whatever the actor's language.
GROUND_SUMMARY = {
    RefusalGround.REFUSED: "中标（成交）供应商拒绝签订合同",
    RefusalGround.LAPSED: "中标（成交）供应商未在规定期限内签订合同",
}


def _lock_award(tender: Tender, award: Award | int) -> Award:
    pk = award.pk if isinstance(award, Award) else int(award)
    target = (
        Award.objects.select_for_update(of=("self",))
        .select_related("lot", "provider", "refusal_recorded_by")
        .filter(pk=pk, tender=tender)
        .first()
    )
    if target is None:
        raise NotFound()
    return target


def _clean(ground: str, reason: str, evidence: tuple[str, bytes] | None) -> tuple[str, str, tuple[str, bytes]]:
    errors: dict[str, list[Any]] = {}
    ground = str(ground or "").strip()
    if ground not in RefusalGround.values:
        errors["ground"] = [_("Say whether the winner refused or did not sign within the period.")]
    text = normalise_text(str(reason or ""))
    if not text:
        errors["reason"] = [_("State the facts of the refusal.")]
    elif len(text) > REASON_MAX:
        errors["reason"] = [_("Give at most %(n)d characters.") % {"n": REASON_MAX}]
    if evidence is None or not evidence[1]:
        errors["evidence"] = [
            _("Attach the evidence of the refusal (the winner's letter, or the record of the period).")
        ]
    if errors:
        raise ValidationFailed(_("The refusal to sign is not recorded."), fields=errors)
    assert evidence is not None
    return ground, text, evidence


def record_refusal(
    *,
    actor: Any,
    tender: Tender | int,
    award: Award | int,
    ground: str,
    reason: str,
    evidence: tuple[str, bytes] | None,
) -> Award:
    """The purchaser records that the winner of a confirmed award refused to sign (or let the
    period pass), with the facts and the evidence. A second user confirms it."""
    ground, text, document = _clean(ground, reason, evidence)
    upload = inspect_upload(
        name=document[0], data=document[1], allowed=EVIDENCE_KINDS, max_bytes=int(settings.GOVBUY_UPLOAD_MAX_BYTES)
    )
    with transaction.atomic():
        locked = _lock_tender(tender)
        _check_staff(actor, locked)
        target = _lock_award(locked, award)
        rules.check_award_transition(target.status, AwardStatus.REFUSAL_RECORDED)
        # The award row is locked, and the contracts app signs only under that lock while the award
        # is active: the provider cannot sign between this check and the record.
        if not signing_gate.can_check():
            raise TransitionRefused(
                _("Whether the winner signed the contract cannot be checked: the refusal is not recorded.")
            )
        if signing_gate.signed_by_provider(target.pk):
            raise TransitionRefused(_("The winner has signed the contract of this award: it did not refuse to sign."))
        path = save_once(
            path=document_path(prefix="procurement/refusals", upload=upload), data=document[1], sha256=upload.sha256
        )
        target.status = AwardStatus.REFUSAL_RECORDED
        target.refusal_ground = ground
        target.refusal_reason = text
        target.refusal_evidence_name = (upload.display_name or upload.safe_name)[:200]
        target.refusal_evidence_path = path
        target.refusal_evidence_sha256 = upload.sha256
        target.refusal_recorded_by = actor
        target.refusal_recorded_at = timezone.now()
        target.save()
        record_event(
            actor=actor,
            action="procurement.award.refusal_recorded",
            obj=locked,
            organisation=locked.purchaser,
            changes={"award_status": (AwardStatus.ACTIVE, AwardStatus.REFUSAL_RECORDED)},
            data={
                "reference": locked.reference,
                "lot": target.lot.number,
                "supplier": target.provider.name_zh,
                "ground": ground,
                "reason": text,
                "evidence": upload.sha256,
            },
        )
    return target


def confirm_refusal(*, actor: Any, tender: Tender | int, award: Award | int) -> Award:
    """A second authorised user confirms the recorded refusal: the award is superseded, the
    refusal becomes a credit fact against the winner, and the lot may be awarded again."""
    with transaction.atomic():
        locked = _lock_tender(tender)
        _check_staff(actor, locked)
        target = _lock_award(locked, award)
        rules.check_award_transition(target.status, AwardStatus.REFUSED)
        if target.refusal_recorded_by_id == actor.pk:
            raise PermissionRefused(_("A second authorised user must confirm the refusal to sign (four eyes)."))
        now = timezone.now()
        target.status = AwardStatus.REFUSED
        target.refusal_confirmed_by = actor
        target.refusal_confirmed_at = now
        target.save()
        record_event(
            actor=actor,
            action="procurement.award.refusal_confirmed",
            obj=locked,
            organisation=locked.purchaser,
            changes={"award_status": (AwardStatus.REFUSAL_RECORDED, AwardStatus.REFUSED)},
            data={
                "reference": locked.reference,
                "lot": target.lot.number,
                "supplier": target.provider.name_zh,
                "recorded_by": getattr(target.refusal_recorded_by, "username", ""),
            },
        )
        facts.report(
            "procurement.refused_to_sign",
            provider_id=target.provider_id,
            source_type="procurement.award",
            source_id=target.pk,
            occurred_at=now,
            actor=actor,
            summary=f"{locked.reference}第{target.lot.number}包：{GROUND_SUMMARY[RefusalGround(target.refusal_ground)]}。"
            f"{target.refusal_reason}"[:1000],
            data={
                "tender": locked.reference,
                "lot": target.lot.number,
                "ground": target.refusal_ground,
                "legal_basis": LEGAL_BASIS,
            },
        )
        # The award release shows the superseded award as cancelled; the next award gets its own.
        publication.announce("awardUpdate", obj_type=TENDER_TYPE, obj_id=locked.pk, occurred_at=now)
    return target


def withdraw_refusal(*, actor: Any, tender: Tender | int, award: Award | int, reason: str) -> Award:
    """A refusal recorded by mistake is withdrawn before its confirmation: the award is active again."""
    text = normalise_text(str(reason or ""))
    if not text or len(text) > REASON_MAX:
        message = (
            _("Give at most %(n)d characters.") % {"n": REASON_MAX}
            if text
            else str(_("Say why the refusal to sign is withdrawn."))
        )
        raise ValidationFailed(message, fields={"reason": [message]})
    with transaction.atomic():
        locked = _lock_tender(tender)
        _check_staff(actor, locked)
        target = _lock_award(locked, award)
        rules.check_award_transition(target.status, AwardStatus.ACTIVE)
        recorded = {
            "ground": target.refusal_ground,
            "recorded_by": getattr(target.refusal_recorded_by, "username", ""),
            "evidence": target.refusal_evidence_sha256,
        }
        target.status = AwardStatus.ACTIVE
        target.refusal_ground = ""
        target.refusal_reason = ""
        target.refusal_evidence_name = ""
        target.refusal_evidence_path = ""
        target.refusal_evidence_sha256 = ""
        target.refusal_recorded_by = None
        target.refusal_recorded_at = None
        target.save()
        record_event(
            actor=actor,
            action="procurement.award.refusal_withdrawn",
            obj=locked,
            organisation=locked.purchaser,
            changes={"award_status": (AwardStatus.REFUSAL_RECORDED, AwardStatus.ACTIVE)},
            data={
                "reference": locked.reference,
                "lot": target.lot.number,
                "supplier": target.provider.name_zh,
                "reason": text,
                **recorded,
            },
        )
    return target
