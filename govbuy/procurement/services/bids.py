"""Sealed bids: submit (or replace), withdraw.

The deadline is decided by the database's clock, so the answer does not depend on the application
server's clock or on any job. A bid is in time when it was *received* before the deadline: the
receipt moment is read when the request reaches the service, before it waits for the tender's
row lock (a burst of bids queues on that lock for seconds), and it is the bid's recorded time.
The opening starts only once the settle period after the deadline has passed, and a bid still
waiting for the lock then is refused (`rules.check_bid_in_time`, `rules.check_opening_time`), so
the opening (which takes the same lock) sees every bid that will ever be accepted.

Nothing written here holds a price or a document in plaintext: not the row (ciphertext, nonce,
receipt hash), not the audit event (receipt hash), not the log line, not the mail.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import ensure_checkpoint, record_event
from govbuy.core import clock, present
from govbuy.core.errors import (
    Conflict,
    NotFound,
    PermissionRefused,
    RateLimited,
    TransitionRefused,
    ValidationFailed,
)
from govbuy.core.mail import send_each
from govbuy.core.uploads import inspect_upload
from govbuy.organizations.models import Organisation
from govbuy.organizations.scope import scope_for
from govbuy.procurement import rules, sealing
from govbuy.procurement.models import Bid, BidStatus, InvitationDraw, Lot, Tender, TenderStatus
from govbuy.providers import selectors as provider_selectors

security_log = logging.getLogger("govbuy.security")
BID_DOCUMENT_KINDS = frozenset({"pdf", "docx", "xlsx", "png", "jpeg"})


BID_CHECKPOINT_REASON = "sealed submission received"


def bid_seal_key(tender_id: int) -> str:
    """What lifts the seal on a tender's bid events in the audit trail: its opening (or its
    cancellation, when nothing will be opened)."""
    return f"procurement.tender:{tender_id}"


def db_now() -> dt.datetime:
    """The database server's clock now.

    PostgreSQL: clock_timestamp(), not now(): now() is the start of the transaction, which may
    lie before a wait on the tender's lock. SQLite: its 'now', in UTC, to the millisecond.
    While the demo loader replays past months (`govbuy.core.clock`), the Python clock it moved."""
    if clock.replaying():
        return timezone.now()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT clock_timestamp()")
            value = cursor.fetchone()[0]
        else:
            cursor.execute("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')")
            value = dt.datetime.fromisoformat(cursor.fetchone()[0]).replace(tzinfo=dt.UTC)
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


def _lock_open_tender(tender_id: int, received_at: dt.datetime) -> Tender:
    """The tender, locked, when it still takes bids from a request received at `received_at`
    (read before the lock: waiting for it does not make a bid late)."""
    locked = (
        Tender.objects.select_for_update(of=("self",))
        .select_related("project", "purchaser", "method")
        .filter(pk=tender_id)
        .first()
    )
    if locked is None:
        raise NotFound()
    if locked.status != TenderStatus.PUBLISHED:
        raise TransitionRefused(_("This tender does not accept bids."))
    rules.check_bid_in_time(received_at=received_at, recorded_at=db_now(), deadline=locked.bid_deadline)
    return locked


def _check_provider(actor: Any, provider: Organisation) -> None:
    if not rules.provider_member_of(scope_for(actor), provider.pk):
        raise PermissionRefused(_("Only the provider's own staff submit its bids."))


def _check_participation(provider: Organisation) -> None:
    """The gate, inside the bid's transaction and under the provider row's lock, which a ban
    takes too: a bid that commits after a ban has been checked against it (issue 14)."""
    allowed = provider_selectors.participation(provider.pk, gate=provider_selectors.Gate.BID, lock=True)
    if not allowed.allowed:
        raise PermissionRefused(allowed.message, code=allowed.code, fields={"provider": [allowed.message]})


def _check_invited(tender: Tender, provider: Organisation) -> None:
    """An invitation tender takes bids only from the providers its recorded draw invited."""
    if tender.method.random_invitations <= 0:
        return
    draw = InvitationDraw.objects.filter(tender=tender).first()
    if draw is None or provider.pk not in draw.invited:
        message = _("Only the invited providers may bid in an invitation tender.")
        raise PermissionRefused(message, fields={"provider": [message]})


def _check_rate(tender: Tender, provider: Organisation, now: dt.datetime) -> None:
    """R15: at most rules.BID_SUBMISSIONS submissions (replacements included) per provider and
    tender in the window, counted from the bid rows under the tender's lock, so parallel
    requests cannot all slip under the limit. Withdrawals do not count."""
    limit = rules.BID_SUBMISSIONS
    recent = Bid.objects.filter(tender=tender, provider=provider, submitted_at__gt=now - limit.window).count()
    if not rules.within_limit(recent, limit):
        security_log.warning(
            "procurement.bid.rate_limited tender=%s provider=%s recent=%s", tender.reference, provider.pk, recent
        )
        raise RateLimited(
            _("At most %(n)d bid submissions per tender an hour; wait before submitting again.") % {"n": limit.count},
            retry_after=int(limit.window.total_seconds()),
        )


def _clean_responses(tender: Tender, responses: dict[str, Any] | None) -> dict[str, str]:
    conditions = list(provider_selectors.conditions_in_force(tender.purchaser_id, tender.project.reference))
    given = {str(k): str(v or "").strip() for k, v in (responses or {}).items()}
    out: dict[str, str] = {}
    for condition in conditions:
        answer = given.get(str(condition.pk), "")
        if not answer:
            message = _("Answer every condition of the tender: “%(text)s”.") % {"text": condition.text[:60]}
            raise ValidationFailed(message, fields={"responses": [message]})
        out[str(condition.pk)] = answer[:4000]
    return out


def _clean_documents(documents: list[tuple[str, bytes]] | None) -> list[dict[str, Any]]:
    docs = documents or []
    if len(docs) > int(settings.GOVBUY_BID_MAX_DOCUMENTS):
        message = _("At most %(n)d documents per bid.") % {"n": settings.GOVBUY_BID_MAX_DOCUMENTS}
        raise ValidationFailed(message, fields={"documents": [message]})
    out = []
    for name, data in docs:
        upload = inspect_upload(
            name=name, data=data, allowed=BID_DOCUMENT_KINDS, max_bytes=int(settings.GOVBUY_UPLOAD_MAX_BYTES)
        )
        out.append(
            {
                "name": upload.display_name or upload.safe_name,
                "safe_name": upload.safe_name,
                "content_type": upload.content_type,
                "sha256": upload.sha256,
                "size": upload.size,
                "data": base64.b64encode(data).decode(),
            }
        )
    return out


def _mail_receipt(*, email: str, reference: str, receipt: str, received_at: dt.datetime) -> None:
    if not email:
        return
    send_each(
        [email],
        gettext("Bid received: %(ref)s") % {"ref": reference},
        gettext("Your bid for %(ref)s was received at %(time)s (Beijing time). Receipt (sha256): %(hash)s")
        % {"ref": reference, "time": present.when(received_at, seconds=True), "hash": receipt},
    )


def submit_bid(
    *,
    actor: Any,
    tender: Tender | int,
    provider: Organisation,
    lot: Lot | int | None = None,
    price: Any,
    currency: Any = "CNY",
    responses: dict[str, Any] | None = None,
    documents: list[tuple[str, bytes]] | None = None,
) -> Bid:
    """Seal and store a bid; a provider's earlier sealed bid for the lot is replaced."""
    now = db_now()  # the receipt moment: before the checks and before waiting for the lock
    tender_id = tender.pk if isinstance(tender, Tender) else int(tender)
    _check_provider(actor, provider)
    clean_price = rules.clean_price(price, currency)
    docs = _clean_documents(documents)
    with transaction.atomic():
        locked = _lock_open_tender(tender_id, now)
        lots = {lt.pk: lt for lt in locked.lots.all()}
        if lot is None and len(lots) == 1:
            chosen = next(iter(lots.values()))
        else:
            lot_id = lot.pk if isinstance(lot, Lot) else (int(lot) if lot is not None else 0)
            if lot_id not in lots:
                message = _("Choose a lot of this tender.")
                raise ValidationFailed(message, fields={"lot": [message]})
            chosen = lots[lot_id]
        rules.check_price_within_budget(clean_price, chosen.budget)
        _check_participation(provider)
        _check_invited(locked, provider)
        _check_rate(locked, provider, now)
        answers = _clean_responses(locked, responses)
        rivals = set(
            Bid.objects.filter(lot=chosen, status=BidStatus.SEALED)
            .exclude(provider=provider)
            .values_list("provider_id", flat=True)
        )
        pairs = provider_selectors.related_pairs(rivals | {provider.pk})
        if any(provider.pk in pair for pair in pairs):
            message = _(
                "A related provider (same legal representative or a control relation) has already bid in this lot."
            )
            raise Conflict(message, fields={"lot": [message]})
        content = sealing.salted(
            {
                "tender": locked.reference,
                "lot": chosen.number,
                "provider": provider.uscc or str(provider.pk),
                "price": str(clean_price),
                "currency": rules.CURRENCY,
                "responses": answers,
                "documents": docs,
            }
        )
        receipt = sealing.receipt_hash(content)
        nonce, ciphertext = sealing.seal(
            wrapped_key=locked.wrapped_key,
            tender_id=locked.pk,
            lot_id=chosen.pk,
            provider_id=provider.pk,
            content=content,
        )
        replaced = list(Bid.objects.select_for_update().filter(lot=chosen, provider=provider, status=BidStatus.SEALED))
        for old in replaced:
            rules.check_bid_transition(old.status, BidStatus.REPLACED)
            old.status = BidStatus.REPLACED
            old.withdrawn_at = now
            old.save(update_fields=["status", "withdrawn_at"])
        bid = Bid.objects.create(
            tender=locked,
            lot=chosen,
            provider=provider,
            submitted_by=actor,
            submitted_at=now,
            receipt_sha256=receipt,
            ciphertext=ciphertext,
            nonce=nonce,
        )
        event = record_event(
            actor=actor,
            action="procurement.bid.replaced" if replaced else "procurement.bid.submitted",
            obj=bid,
            organisation=provider,
            data={
                "reference": locked.reference,
                "lot": chosen.number,
                "receipt": receipt,
                "received_at": now.isoformat(),
            },
            sealed_until=bid_seal_key(locked.pk),
        )
        # The receipt is anchored in a signed checkpoint as soon as the bid has committed, outside
        # the tender's lock (bench/bid_storm.py: signing inside it queued a deadline's burst);
        # bids committed together share one. Its reason names no tender and no provider:
        # checkpoints are published, and who bids stays secret until the opening. A failure here
        # does not undo the stored bid: the daily checkpoint covers it then.
        position = event.position
        transaction.on_commit(
            lambda: ensure_checkpoint(actor=None, reason=BID_CHECKPOINT_REASON, covering=position), robust=True
        )
        security_log.info(
            "procurement.bid.sealed tender=%s lot=%s provider=%s receipt=%s",
            locked.reference,
            chosen.number,
            provider.pk,
            receipt,
        )
        email = getattr(actor, "email", "") or ""
        reference = locked.reference
        transaction.on_commit(lambda: _mail_receipt(email=email, reference=reference, receipt=receipt, received_at=now))
    return bid


def withdraw_bid(*, actor: Any, bid: Bid | int) -> Bid:
    now = db_now()  # the receipt moment, as for a submission
    pk = bid.pk if isinstance(bid, Bid) else int(bid)
    row = Bid.objects.filter(pk=pk).only("tender_id", "provider_id").first()
    if row is None or not rules.provider_member_of(scope_for(actor), row.provider_id):
        raise NotFound()
    with transaction.atomic():
        locked_tender = _lock_open_tender(row.tender_id, now)
        locked = Bid.objects.select_for_update().get(pk=pk)
        rules.check_bid_transition(locked.status, BidStatus.WITHDRAWN)
        locked.status = BidStatus.WITHDRAWN
        locked.withdrawn_at = now
        locked.save(update_fields=["status", "withdrawn_at"])
        record_event(
            actor=actor,
            action="procurement.bid.withdrawn",
            obj=locked,
            organisation=Organisation.objects.get(pk=locked.provider_id),
            data={"reference": locked_tender.reference, "receipt": locked.receipt_sha256},
            sealed_until=bid_seal_key(locked_tender.pk),
        )
    return locked
