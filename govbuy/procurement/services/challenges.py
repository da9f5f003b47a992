"""Challenges and complaints after the award notice (Law Art. 52–56, Reg. Art. 54): a provider
that bid may challenge within 7 working days of the notice; the purchaser answers within 7
working days and, until it does, the contract may not be signed; the challenger may then (or once
the answer is overdue) complain to the finance bureau within 15 working days, which decides within
30 working days. Every limit is checked when the step is requested; a late answer or decision is
still recorded, marked late, because the law obliges the answer rather than voiding it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.core import facts
from govbuy.core.calendar.rules import get_calendar, local_date
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.organizations.models import Organisation
from govbuy.organizations.scope import scope_for
from govbuy.procurement import notifications, rules
from govbuy.procurement.models import (
    Award,
    AwardStatus,
    Bid,
    BidStatus,
    Challenge,
    ChallengeStatus,
    Complaint,
    ComplaintStatus,
    Tender,
    TenderStatus,
)
from govbuy.procurement.services.evaluation import _check_staff
from govbuy.procurement.services.tenders import _lock_tender


def _text(value: Any, field: str) -> str:
    text = str(value or "").strip()
    if not text or len(text) > 4000:
        message = _("Give at most %(n)d characters.") % {"n": 4000} if text else _("This field is required.")
        raise ValidationFailed(message, fields={field: [message]})
    return text


def award_notice_at(tender: Tender) -> dt.datetime | None:
    moments = Award.objects.filter(tender=tender, status=AwardStatus.ACTIVE).values_list("confirmed_at", flat=True)
    return max((m for m in moments if m is not None), default=None)


def _day(moment: dt.datetime) -> str:
    return local_date(moment).isoformat()


def lodge_challenge(*, actor: Any, tender: Tender | int, provider: Organisation | int, grounds: str) -> Challenge:
    text = _text(grounds, "grounds")
    provider_id = provider.pk if isinstance(provider, Organisation) else int(provider)
    with transaction.atomic():
        locked = _lock_tender(tender)
        scope = scope_for(actor)
        bidder = Bid.objects.filter(tender=locked, provider_id=provider_id, status=BidStatus.OPENED).exists()
        if not bidder or not rules.provider_member_of(scope, provider_id):
            if scope.sees_organisation(locked.purchaser):
                raise PermissionRefused(_("Only a provider that bid may challenge the award."))
            raise NotFound()
        notice = award_notice_at(locked)
        if locked.status != TenderStatus.AWARDED or notice is None:
            raise TransitionRefused(_("A challenge is lodged after the award notice."))
        limit = rules.challenge_deadline(notice, get_calendar())
        if timezone.now() > limit:
            raise TransitionRefused(
                _("The challenge period ended on %(day)s (7 working days after the award notice, Law Art. 52).")
                % {"day": _day(limit)}
            )
        challenge = Challenge.objects.create(
            tender=locked, provider_id=provider_id, lodged_by=actor, lodged_at=timezone.now(), grounds=text
        )
        record_event(
            actor=actor,
            action="procurement.challenge.lodged",
            obj=challenge,
            organisation=locked.purchaser,
            data={
                "reference": locked.reference,
                "provider": Organisation.objects.get(pk=provider_id).name_zh,
                "answer_due": _day(rules.answer_deadline(challenge.lodged_at, get_calendar())),
            },
        )
        notifications.challenge_lodged(challenge, locked)
    return challenge


def _lock_challenge(tender: Tender, challenge: Challenge | int) -> Challenge:
    pk = challenge.pk if isinstance(challenge, Challenge) else int(challenge)
    found = (
        Challenge.objects.select_for_update(of=("self",))
        .select_related("provider")
        .filter(pk=pk, tender=tender)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def answer_challenge(*, actor: Any, tender: Tender | int, challenge: Challenge | int, answer: str) -> Challenge:
    text = _text(answer, "answer")
    with transaction.atomic():
        locked = _lock_tender(tender)
        _check_staff(actor, locked)
        target = _lock_challenge(locked, challenge)
        rules.check_challenge_transition(target.status, ChallengeStatus.ANSWERED)
        now = timezone.now()
        target.status = ChallengeStatus.ANSWERED
        target.answer = text
        target.answered_by = actor
        target.answered_at = now
        target.answered_late = now > rules.answer_deadline(target.lodged_at, get_calendar())
        target.save()
        record_event(
            actor=actor,
            action="procurement.challenge.answered",
            obj=target,
            organisation=locked.purchaser,
            changes={"status": (ChallengeStatus.LODGED, ChallengeStatus.ANSWERED)},
            data={"reference": locked.reference, "provider": target.provider.name_zh, "late": target.answered_late},
        )
        notifications.challenge_answered(target, locked)
    return target


def _named_bidder(tender: Tender, against_provider: Organisation | int | None, complainant_id: int) -> int | None:
    """The provider a complaint names must be another bidder of the tender."""
    if against_provider in (None, ""):
        return None
    pk = against_provider.pk if isinstance(against_provider, Organisation) else int(against_provider)
    bidder = Bid.objects.filter(tender=tender, provider_id=pk, status=BidStatus.OPENED).exists()
    if pk == complainant_id or not bidder:
        message = _("Name another bidder of this tender, or no one.")
        raise ValidationFailed(message, fields={"against_provider": [message]})
    return pk


def lodge_complaint(
    *,
    actor: Any,
    tender: Tender | int,
    challenge: Challenge | int,
    grounds: str,
    against_provider: Organisation | int | None = None,
) -> Complaint:
    """The challenger complains to the finance bureau; it may name the bidder whose conduct the
    complaint concerns (its decision may then be upheld against that provider)."""
    text = _text(grounds, "grounds")
    with transaction.atomic():
        locked = _lock_tender(tender)
        target = _lock_challenge(locked, challenge)
        scope = scope_for(actor)
        if not rules.provider_member_of(scope, target.provider_id):
            if scope.sees_organisation(locked.purchaser):
                raise PermissionRefused(_("Only the challenger may complain about its challenge."))
            raise NotFound()
        if Complaint.objects.filter(challenge=target).exists():
            raise Conflict(_("A complaint about this challenge has already been lodged."))
        calendar = get_calendar()
        now = timezone.now()
        due = rules.answer_deadline(target.lodged_at, calendar)
        if target.status == ChallengeStatus.LODGED and now <= due:
            raise TransitionRefused(
                _(
                    "The purchaser may answer until %(day)s; a complaint follows the answer "
                    "or its absence (Law Art. 55)."
                )
                % {"day": _day(due)}
            )
        limit = rules.complaint_deadline(target.answered_at, target.lodged_at, calendar)
        if now > limit:
            raise TransitionRefused(
                _("The complaint period ended on %(day)s (15 working days, Law Art. 55).") % {"day": _day(limit)}
            )
        named = _named_bidder(locked, against_provider, target.provider_id)
        complaint = Complaint.objects.create(
            challenge=target, lodged_by=actor, lodged_at=now, grounds=text, against_provider_id=named
        )
        record_event(
            actor=actor,
            action="procurement.complaint.lodged",
            obj=complaint,
            organisation=locked.purchaser,
            data={
                "reference": locked.reference,
                "provider": target.provider.name_zh,
                "against": complaint.against_provider.name_zh if complaint.against_provider else "",
                "decision_due": _day(rules.decision_deadline(now, calendar)),
            },
        )
        notifications.complaint_lodged(complaint, locked)
    return complaint


def decide_complaint(
    *,
    actor: Any,
    tender: Tender | int,
    complaint: Complaint | int,
    upheld: bool,
    decision: str,
    upheld_against_provider: bool = False,
    false_complaint: bool = False,
) -> Complaint:
    """The finance bureau decides. Upheld, it may find against the provider the complaint named;
    dismissed, it may find the complaint false or malicious (Reg. Art. 73). Each finding is a
    credit fact against that provider."""
    text = _text(decision, "decision")
    if upheld_against_provider and not upheld:
        message = _("A complaint is upheld against a provider only when it is upheld.")
        raise ValidationFailed(message, fields={"upheld_against_provider": [message]})
    if false_complaint and upheld:
        message = _("An upheld complaint cannot be false or malicious.")
        raise ValidationFailed(message, fields={"false_complaint": [message]})
    with transaction.atomic():
        locked = _lock_tender(tender)
        scope = scope_for(actor)
        if not rules.finance_reviewer_of(scope, locked.region_id):
            if scope.sees_organisation(locked.purchaser):
                raise PermissionRefused(_("Only the finance bureau decides complaints."))
            raise NotFound()
        pk = complaint.pk if isinstance(complaint, Complaint) else int(complaint)
        target = (
            Complaint.objects.select_for_update(of=("self",))
            .select_related("challenge__provider", "against_provider")
            .filter(pk=pk, challenge__tender=locked)
            .first()
        )
        if target is None:
            raise NotFound()
        rules.check_complaint_transition(target.status, ComplaintStatus.DECIDED)
        if upheld_against_provider and target.against_provider is None:
            message = _("This complaint names no provider to uphold it against.")
            raise ValidationFailed(message, fields={"upheld_against_provider": [message]})
        now = timezone.now()
        target.status = ComplaintStatus.DECIDED
        target.upheld = bool(upheld)
        target.decision = text
        target.decided_by = actor
        target.decided_at = now
        target.decided_late = now > rules.decision_deadline(target.lodged_at, get_calendar())
        target.upheld_against_provider = bool(upheld_against_provider)
        target.false_complaint = bool(false_complaint)
        target.save()
        record_event(
            actor=actor,
            action="procurement.complaint.decided",
            obj=target,
            organisation=locked.purchaser,
            changes={"status": (ComplaintStatus.LODGED, ComplaintStatus.DECIDED)},
            data={
                "reference": locked.reference,
                "provider": target.challenge.provider.name_zh,
                "outcome": "upheld" if target.upheld else "dismissed",
                "late": target.decided_late,
                "against": target.against_provider.name_zh
                if target.upheld_against_provider and target.against_provider is not None
                else "",
                "false_complaint": target.false_complaint,
            },
        )
        _report_findings(target, locked, actor=actor, now=now)
        notifications.complaint_decided(target, locked)
    return target


def _report_findings(complaint: Complaint, tender: Tender, *, actor: Any, now: dt.datetime) -> None:
    """The decision's findings about a provider's conduct become credit facts (govbuy.core.facts)."""
    if complaint.upheld_against_provider and complaint.against_provider is not None:
        facts.report(
            "procurement.complaint_upheld_against",
            provider_id=complaint.against_provider.pk,
            source_type="procurement.complaint",
            source_id=complaint.pk,
            occurred_at=now,
            actor=actor,
            summary=f"{tender.reference}：财政部门认定针对该供应商的投诉成立。{complaint.decision}"[:1000],
            data={"tender": tender.reference, "legal_basis": "《中华人民共和国政府采购法》第五十六条"},
        )
    if complaint.false_complaint:
        facts.report(
            "procurement.false_complaint",
            provider_id=complaint.challenge.provider_id,
            source_type="procurement.complaint",
            source_id=complaint.pk,
            occurred_at=now,
            actor=actor,
            summary=f"{tender.reference}：财政部门认定该供应商捏造事实、提供虚假材料或以非法手段取得证明材料进行投诉。"
            f"{complaint.decision}"[:1000],
            data={"tender": tender.reference, "legal_basis": "《政府采购法实施条例》第七十三条"},
        )
