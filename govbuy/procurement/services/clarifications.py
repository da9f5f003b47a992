"""Clarifications of a published tender (Reg. Art. 31; Law Art. 27): providers ask, the purchaser
answers, and every answer is published to all (portal and an OCDS `tenderUpdate` release); the
purchaser may also publish a change notice of its own, without a question.

The 15-day rule is enforced here, by the database clock (as bids are): a change that affects the
preparation of bids and is published less than 15 days before the bid deadline must move the
deadline to at least 15 days after its publication. The service never chooses the new deadline:
the purchaser gives it with the answer, or the answer is refused with the earliest allowed time
(docs/decisions/0005-clarifications-and-invitation-draw.md). Everything happens under the
tender's row lock, so a bid racing the answer sees either the old deadline or the new one.

Who asked is kept (the purchaser and oversight see it; the asker sees its own questions) but
never leaves those views: not the public page, not OCDS, not other providers' answers (Reg. Art.
14 forbids telling anyone who the potential bidders are).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.core import publication
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, RateLimited, TransitionRefused, ValidationFailed
from govbuy.organizations.kinds import PROVIDER_KINDS
from govbuy.organizations.models import Organisation
from govbuy.organizations.scope import scope_for
from govbuy.procurement import rules
from govbuy.procurement.models import Clarification, InvitationDraw, Tender, TenderStatus
from govbuy.procurement.services.bids import db_now
from govbuy.procurement.services.tenders import TENDER_TYPE, _lock_tender

TEXT_LIMIT = 4000


def _text(value: Any, field: str) -> str:
    text = str(value or "").strip()
    if not text or len(text) > TEXT_LIMIT:
        message = _("Write the text, at most %(n)d characters.") % {"n": TEXT_LIMIT}
        raise ValidationFailed(message, fields={field: [message]})
    return text


def parse_moment(value: Any, field: str = "new_deadline") -> dt.datetime | None:
    """An optional new deadline; without a zone it is Beijing time."""
    if value in (None, ""):
        return None
    return rules.parse_moment(value, field=field, message=_("Give the new bid deadline as a date and time."))


def _lock_open(tender: Tender | int) -> tuple[Tender, dt.datetime]:
    """The tender locked, open for bids, and the database's clock before its deadline."""
    locked = _lock_tender(tender)
    now = db_now()
    if locked.status != TenderStatus.PUBLISHED:
        raise TransitionRefused(_("Clarifications are possible only while the tender is open for bids."))
    if now >= locked.bid_deadline:
        raise TransitionRefused(_("The bid deadline has passed; clarifications are closed."))
    return locked, now


def _check_asker(actor: Any, tender: Tender, provider: Organisation) -> None:
    scope = scope_for(actor)
    if provider.kind not in PROVIDER_KINDS or not rules.provider_member_of(scope, provider.pk):
        raise PermissionRefused(_("Only a provider's own staff ask questions in its name."))
    if tender.method.random_invitations > 0:
        draw = InvitationDraw.objects.filter(tender=tender).first()
        if draw is None or provider.pk not in draw.invited:
            raise PermissionRefused(_("Only the invited providers take part in an invitation tender."))


def ask_question(*, actor: Any, tender: Tender | int, provider: Organisation, question: str) -> Clarification:
    """A provider's question about a tender open for bids, before its deadline."""
    text = _text(question, "question")
    with transaction.atomic():
        locked, now = _lock_open(tender)
        _check_asker(actor, locked, provider)
        limit = rules.QUESTIONS
        recent = Clarification.objects.filter(tender=locked, provider=provider, asked_at__gt=now - limit.window).count()
        if not rules.within_limit(recent, limit):
            raise RateLimited(
                _("At most %(n)d questions per tender a day; wait before asking another.") % {"n": limit.count},
                retry_after=int(limit.window.total_seconds()),
            )
        row = Clarification.objects.create(
            tender=locked, provider=provider, asked_by=actor, question=text, asked_at=now
        )
        record_event(
            actor=actor,
            action="procurement.clarification.asked",
            obj=row,
            organisation=provider,
            data={"reference": locked.reference, "provider": provider.name_zh},
        )
    return row


def _publish(
    *, actor: Any, tender: Tender, row: Clarification, now: dt.datetime, new_deadline: Any, action: str
) -> Clarification:
    """Shared tail of an answer and a notice: the 15-day rule, the row, the deadline, the audit
    events and the tenderUpdate release, in the caller's transaction."""
    moved_to = rules.check_deadline_after_change(
        published_at=now,
        deadline=tender.bid_deadline,
        new_deadline=parse_moment(new_deadline),
        affects_bids=row.affects_bids,
    )
    row.answered_by = actor
    row.answered_at = now
    if moved_to is not None:
        row.deadline_before = tender.bid_deadline
        row.deadline_after = moved_to
    row.save()
    record_event(
        actor=actor,
        action=action,
        obj=row,
        organisation=tender.purchaser,
        data={"reference": tender.reference, "affects_bids": row.affects_bids},
    )
    if moved_to is not None:
        before = tender.bid_deadline
        tender.bid_deadline = moved_to
        tender.version += 1
        tender.save(update_fields=["bid_deadline", "version", "updated_at"])
        record_event(
            actor=actor,
            action="procurement.tender.deadline_extended",
            obj=tender,
            organisation=tender.purchaser,
            changes={"bid_deadline": (before.isoformat(), moved_to.isoformat())},
            data={"reference": tender.reference, "before": before.isoformat(), "after": moved_to.isoformat()},
        )
    publication.announce("tenderUpdate", obj_type=TENDER_TYPE, obj_id=tender.pk, occurred_at=now)
    return row


def _check_purchaser(actor: Any, tender: Tender) -> None:
    scope = scope_for(actor)
    if not rules.purchaser_staff_of(scope, tender.purchaser_id):
        if scope.sees_organisation(tender.purchaser):
            raise PermissionRefused(_("Only the purchaser's staff answer clarifications."))
        raise NotFound()


def answer_question(
    *,
    actor: Any,
    clarification: Clarification | int,
    answer: str,
    affects_bids: bool = False,
    new_deadline: Any = None,
) -> Clarification:
    """The purchaser answers a question; the answer is published to everyone at once."""
    text = _text(answer, "answer")
    pk = clarification.pk if isinstance(clarification, Clarification) else int(clarification)
    row = Clarification.objects.filter(pk=pk).only("tender_id").first()
    if row is None:
        raise NotFound()
    with transaction.atomic():
        tender = Tender.objects.select_related("purchaser").get(pk=row.tender_id)
        _check_purchaser(actor, tender)
        locked, now = _lock_open(tender)
        current = Clarification.objects.select_for_update().get(pk=pk)
        if current.answered_at is not None or current.is_notice:
            raise Conflict(_("This question has already been answered."))
        current.answer = text
        current.affects_bids = bool(affects_bids)
        return _publish(
            actor=actor,
            tender=locked,
            row=current,
            now=now,
            new_deadline=new_deadline,
            action="procurement.clarification.answered",
        )


def publish_notice(
    *, actor: Any, tender: Tender | int, text: str, affects_bids: bool = False, new_deadline: Any = None
) -> Clarification:
    """The purchaser's own clarification or change of the tender documents, without a question."""
    body = _text(text, "text")
    pk = tender.pk if isinstance(tender, Tender) else int(tender)
    with transaction.atomic():
        row = Tender.objects.select_related("purchaser").filter(pk=pk).first()
        if row is None:
            raise NotFound()
        _check_purchaser(actor, row)
        locked, now = _lock_open(row)
        notice = Clarification(tender=locked, answer=body, affects_bids=bool(affects_bids))
        return _publish(
            actor=actor,
            tender=locked,
            row=notice,
            now=now,
            new_deadline=new_deadline,
            action="procurement.clarification.notice_published",
        )
