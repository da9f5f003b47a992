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


def lodge_complaint(*, actor: Any, tender: Tender | int, challenge: Challenge | int, grounds: str) -> Complaint:
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
        complaint = Complaint.objects.create(challenge=target, lodged_by=actor, lodged_at=now, grounds=text)
        record_event(
            actor=actor,
            action="procurement.complaint.lodged",
            obj=complaint,
            organisation=locked.purchaser,
            data={
                "reference": locked.reference,
                "provider": target.provider.name_zh,
                "decision_due": _day(rules.decision_deadline(now, calendar)),
            },
        )
        notifications.complaint_lodged(complaint, locked)
    return complaint


def decide_complaint(
    *, actor: Any, tender: Tender | int, complaint: Complaint | int, upheld: bool, decision: str
) -> Complaint:
    text = _text(decision, "decision")
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
            .select_related("challenge__provider")
            .filter(pk=pk, challenge__tender=locked)
            .first()
        )
        if target is None:
            raise NotFound()
        rules.check_complaint_transition(target.status, ComplaintStatus.DECIDED)
        now = timezone.now()
        target.status = ComplaintStatus.DECIDED
        target.upheld = bool(upheld)
        target.decision = text
        target.decided_by = actor
        target.decided_at = now
        target.decided_late = now > rules.decision_deadline(target.lodged_at, get_calendar())
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
            },
        )
        notifications.complaint_decided(target, locked)
    return target
