"""Evaluation (Reg. Art. 39–45): the expert pool the finance bureau keeps, the panel drawn at
random from it (seed and candidates recorded, same-organisation and related-party exclusions),
the members' conflict-of-interest declarations, their scores, disqualification of invalid bids,
the computed ranking and report (PDF, Chinese), and the three-list credit check of the
recommended bidders."""

from __future__ import annotations

import hashlib
import secrets
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.core.pdf import render_pdf
from govbuy.core.storage import document_path, save_once
from govbuy.core.uploads import inspect_upload
from govbuy.organizations.models import Organisation
from govbuy.organizations.scope import scope_for
from govbuy.procurement import rules
from govbuy.procurement.models import (
    Award,
    AwardStatus,
    Bid,
    BidStatus,
    CreditCheck,
    CreditResult,
    Criterion,
    EvaluationMethod,
    Expert,
    Panel,
    PanelMember,
    Ranking,
    Score,
    Tender,
    TenderStatus,
)
from govbuy.procurement.models import Evaluation as EvaluationRecord
from govbuy.procurement.services.tenders import _lock_tender
from govbuy.providers import selectors as provider_selectors

EVIDENCE_KINDS = frozenset({"pdf", "png", "jpeg"})
Declaration = PanelMember.Declaration


def _finance_org(actor: Any) -> Organisation:
    scope = scope_for(actor)
    bureau = next((m for m in scope.memberships if m.kind == "finance_bureau" and m.writes), None)
    if bureau is None:
        raise PermissionRefused(_("Only the finance bureau manages the expert pool."))
    return Organisation.objects.get(pk=bureau[0])


def _text(value: Any, field: str, limit: int, *, required: bool = True) -> str:
    text = str(value or "").strip()
    if (required and not text) or len(text) > limit:
        message = _("Give at most %(n)d characters.") % {"n": limit} if text else _("This field is required.")
        raise ValidationFailed(message, fields={field: [message]})
    return text


# --- The expert pool -----------------------------------------------------------------------------


def create_expert(
    *,
    actor: Any,
    name: str,
    expertise: str,
    organisation: Organisation | int | None = None,
    affiliation: str = "",
    user: Any = None,
) -> Expert:
    bureau = _finance_org(actor)
    org_id = organisation.pk if isinstance(organisation, Organisation) else organisation
    if org_id is not None and not Organisation.objects.filter(pk=org_id).exists():
        message = _("Unknown organisation.")
        raise ValidationFailed(message, fields={"organisation": [message]})
    with transaction.atomic():
        if user is not None and Expert.objects.filter(user=user).exists():
            message = _("This user account is already linked to an expert.")
            raise Conflict(message, fields={"user": [message]})
        expert = Expert.objects.create(
            name=_text(name, "name", 100),
            expertise=_text(expertise, "expertise", 200),
            organisation_id=org_id,
            affiliation=_text(affiliation, "affiliation", 200, required=False),
            user=user,
        )
        record_event(
            actor=actor,
            action="procurement.expert.added",
            obj=expert,
            organisation=bureau,
            data={"name": expert.name, "expertise": expert.expertise},
        )
    return expert


def set_expert_active(*, actor: Any, expert: Expert | int, version: int, active: bool) -> Expert:
    bureau = _finance_org(actor)
    pk = expert.pk if isinstance(expert, Expert) else int(expert)
    with transaction.atomic():
        locked = Expert.objects.select_for_update().filter(pk=pk).first()
        if locked is None:
            raise NotFound()
        if locked.version != int(version):
            raise Conflict()
        if locked.is_active == active:
            return locked
        locked.is_active = active
        locked.version += 1
        locked.save()
        record_event(
            actor=actor,
            action="procurement.expert.activated" if active else "procurement.expert.deactivated",
            obj=locked,
            organisation=bureau,
            changes={"is_active": (not active, active)},
            data={"name": locked.name},
        )
    return locked


# --- The panel -----------------------------------------------------------------------------------


def _check_staff(actor: Any, tender: Tender) -> None:
    scope = scope_for(actor)
    if not rules.purchaser_staff_of(scope, tender.purchaser_id):
        if scope.sees_organisation(tender.purchaser) or _member_of(actor, tender) is not None:
            raise PermissionRefused(_("Only the purchaser's staff do this."))
        raise NotFound()


def _member_of(actor: Any, tender: Tender) -> PanelMember | None:
    if not getattr(actor, "pk", None):
        return None
    return (
        PanelMember.objects.select_related("expert")
        .filter(panel__tender=tender, expert__user_id=actor.pk)
        .exclude(declaration=Declaration.CONFLICT)
        .first()
    )


def _valid_bids(tender: Tender) -> list[Bid]:
    return list(
        Bid.objects.filter(tender=tender, status=BidStatus.OPENED, disqualified_at__isnull=True)
        .defer("ciphertext", "nonce")
        .order_by("lot_id", "submitted_at", "pk")
    )


def eligible_experts(tender: Tender) -> tuple[list[int], dict[str, str]]:
    """(candidate ids, excluded id → reason): active experts, minus those of the purchaser, of a
    bidding provider or of a provider related to one (Reg. Art. 18), or themselves a bidder's staff."""
    bidders = set(Bid.objects.filter(tender=tender, status=BidStatus.OPENED).values_list("provider_id", flat=True))
    pool = list(Expert.objects.filter(is_active=True).values_list("pk", "organisation_id", "user_id"))
    orgs = {org for _pk, org, _u in pool if org is not None}
    related = provider_selectors.related_pairs(orgs | bidders)
    tied = {a for a, b in related if b in bidders} | {b for a, b in related if a in bidders}
    from govbuy.organizations.models import Membership

    users = {u for _pk, _o, u in pool if u is not None}
    staff_of = set(
        Membership.objects.filter(
            user_id__in=users, is_active=True, organisation_id__in=bidders | {tender.purchaser_id}
        ).values_list("user_id", flat=True)
    )
    candidates: list[int] = []
    excluded: dict[str, str] = {}
    for pk, org, user in pool:
        if org == tender.purchaser_id:
            excluded[str(pk)] = "purchaser"
        elif org in bidders:
            excluded[str(pk)] = "bidder"
        elif org in tied:
            excluded[str(pk)] = "related_party"
        elif user in staff_of:
            excluded[str(pk)] = "member_of_party"
        else:
            candidates.append(pk)
    return sorted(candidates), excluded


def draw_panel(*, actor: Any, tender: Tender | int, seed: str | None = None) -> Panel:
    """Draw the panel from the pool. `seed` is only for replaying a recorded draw in tests; the
    service makes a fresh random one otherwise."""
    with transaction.atomic():
        locked = _lock_tender(tender)
        _check_staff(actor, locked)
        if locked.status != TenderStatus.OPENED:
            raise TransitionRefused(_("The panel is drawn after the bids are opened."))
        if Panel.objects.filter(tender=locked).exists():
            raise Conflict(_("The panel of this tender has already been drawn."))
        size = rules.panel_size(locked.method.panel_size)
        candidates, excluded = eligible_experts(locked)
        if len(candidates) < size:
            message = _("The pool has %(have)d eligible experts; the panel needs %(need)d.") % {
                "have": len(candidates),
                "need": size,
            }
            raise ValidationFailed(message, fields={"panel": [message]})
        seed = seed or secrets.token_hex(16)
        order = rules.draw_order(candidates, seed)
        panel = Panel.objects.create(
            tender=locked,
            seed=seed,
            candidates=candidates,
            excluded=excluded,
            size=size,
            drawn_by=actor,
            drawn_at=timezone.now(),
        )
        PanelMember.objects.bulk_create(
            [PanelMember(panel=panel, expert_id=pk, position=i) for i, pk in enumerate(order[:size], start=1)]
        )
        record_event(
            actor=actor,
            action="procurement.panel.drawn",
            obj=panel,
            organisation=locked.purchaser,
            data={
                "reference": locked.reference,
                "size": size,
                "seed": seed,
                "candidates": candidates,
                "members": order[:size],
                "excluded": excluded,
            },
        )
    return panel


def declare(*, actor: Any, tender: Tender | int, conflict: bool, statement: str = "") -> PanelMember:
    """A member declares, before scoring, whether a conflict of interest exists. A member with a
    conflict is recused and the next expert in the recorded draw order takes the seat."""
    text = _text(statement, "statement", 2000, required=bool(conflict))
    with transaction.atomic():
        locked = _lock_tender(tender)
        member = _member_of(actor, locked)
        if member is None:
            raise NotFound()
        member = PanelMember.objects.select_for_update().get(pk=member.pk)
        if member.declaration != Declaration.PENDING:
            raise Conflict(_("You have already made your declaration."))
        if locked.status != TenderStatus.OPENED:
            raise TransitionRefused(_("The evaluation of this tender is closed."))
        member.declaration = Declaration.CONFLICT if conflict else Declaration.NO_CONFLICT
        member.declaration_text = text
        member.declared_at = timezone.now()
        member.save()
        data: dict[str, Any] = {"reference": locked.reference, "expert": member.expert.name}
        if conflict:
            panel = member.panel
            used = set(PanelMember.objects.filter(panel=panel).values_list("expert_id", flat=True))
            following = [pk for pk in rules.draw_order(panel.candidates, panel.seed) if pk not in used]
            if not following:
                raise ValidationFailed(_("No further eligible expert is left in the recorded draw to take the seat."))
            replacement = PanelMember.objects.create(panel=panel, expert_id=following[0], position=len(used) + 1)
            data["replacement"] = replacement.expert.name
        record_event(
            actor=actor,
            action="procurement.panel.conflict_declared" if conflict else "procurement.panel.no_conflict_declared",
            obj=member.panel,
            organisation=locked.purchaser,
            changes={"declaration": (Declaration.PENDING, member.declaration)},
            data=data,
        )
    return member


# --- Scores and validity -------------------------------------------------------------------------


def _lock_bid(tender: Tender, bid: Bid | int) -> Bid:
    pk = bid.pk if isinstance(bid, Bid) else int(bid)
    locked = Bid.objects.select_for_update(of=("self",)).defer("ciphertext", "nonce").filter(pk=pk).first()
    if locked is None or locked.tender_id != tender.pk or locked.status != BidStatus.OPENED:
        raise NotFound()
    return locked


def score_bid(*, actor: Any, tender: Tender | int, bid: Bid | int, scores: dict[Any, Any]) -> list[Score]:
    """A member's points for one bid on every non-price criterion; scoring again replaces them
    until the report is made."""
    with transaction.atomic():
        locked = _lock_tender(tender)
        member = _member_of(actor, locked)
        if member is None:
            raise NotFound()
        if member.declaration != Declaration.NO_CONFLICT:
            raise PermissionRefused(_("Declare that you have no conflict of interest before scoring."))
        if locked.status != TenderStatus.OPENED:
            raise TransitionRefused(_("The evaluation of this tender is closed."))
        target = _lock_bid(locked, bid)
        if target.disqualified_at is not None:
            raise TransitionRefused(_("A disqualified bid is not scored."))
        given = {str(k): v for k, v in scores.items()}
        criteria = list(Criterion.objects.filter(tender=locked, is_price=False))
        now = timezone.now()
        rows = []
        for criterion in criteria:
            if str(criterion.pk) not in given:
                message = _("Score every criterion: “%(name)s” is missing.") % {"name": criterion.name}
                raise ValidationFailed(message, fields={"scores": [message]})
            points = rules.clean_points(given[str(criterion.pk)], criterion.weight, criterion.name)
            rows.append(Score(member=member, bid=target, criterion=criterion, points=points, scored_at=now))
        Score.objects.filter(member=member, bid=target).delete()
        Score.objects.bulk_create(rows)
        record_event(
            actor=actor,
            action="procurement.bid.scored",
            obj=target,
            organisation=locked.purchaser,
            data={
                "reference": locked.reference,
                "expert": member.expert.name,
                "scores": {r.criterion.name: str(r.points) for r in rows},
            },
        )
    return rows


def disqualify_bid(*, actor: Any, tender: Tender | int, bid: Bid | int, reason: str) -> Bid:
    """The panel (or the purchaser, on the panel's finding) rules a bid invalid: it leaves the ranking."""
    text = _text(reason, "reason", 2000)
    with transaction.atomic():
        locked = _lock_tender(tender)
        member = _member_of(actor, locked)
        if member is None or member.declaration != Declaration.NO_CONFLICT:
            _check_staff(actor, locked)
        if locked.status != TenderStatus.OPENED:
            raise TransitionRefused(_("The evaluation of this tender is closed."))
        target = _lock_bid(locked, bid)
        if target.disqualified_at is not None:
            raise Conflict(_("This bid is already disqualified."))
        target.disqualified_reason = text
        target.disqualified_at = timezone.now()
        target.save(update_fields=["disqualified_reason", "disqualified_at"])
        record_event(
            actor=actor,
            action="procurement.bid.disqualified",
            obj=target,
            organisation=locked.purchaser,
            changes={"disqualified": (False, True)},
            data={"reference": locked.reference, "reason": text},
        )
    return target


# --- The report ----------------------------------------------------------------------------------


def _quality(tender: Tender, bids: list[Bid], members: list[PanelMember]) -> dict[int, Decimal]:
    criteria = list(Criterion.objects.filter(tender=tender, is_price=False).values_list("pk", flat=True))
    points: dict[tuple[int, int, int], Decimal] = {
        (s.member_id, s.bid_id, s.criterion_id): s.points
        for s in Score.objects.filter(member__in=members, bid__in=bids)
    }
    out: dict[int, Decimal] = {}
    for bid in bids:
        totals = []
        for member in members:
            missing = [c for c in criteria if (member.pk, bid.pk, c) not in points]
            if missing:
                raise TransitionRefused(_("%(expert)s has not scored every bid yet.") % {"expert": member.expert.name})
            totals.append(sum((points[(member.pk, bid.pk, c)] for c in criteria), Decimal("0")))
        out[bid.pk] = sum(totals, Decimal("0")) / len(members) if members else Decimal("0")
    return out


def render_report(tender: Tender, evaluation: EvaluationRecord, rankings: list[Ranking]) -> bytes:
    panel = tender.panel
    with translation.override("zh-hans"), timezone.override("Asia/Shanghai"):
        html = render_to_string(
            "procurement/evaluation_report_pdf.html",
            {
                "tender": tender,
                "evaluation": evaluation,
                "rankings": rankings,
                "panel": panel,
                "members": list(panel.members.select_related("expert")),
                "disqualified": list(
                    Bid.objects.filter(tender=tender, disqualified_at__isnull=False).select_related("provider")
                ),
            },
        )
    return render_pdf(html)


def complete_evaluation(*, actor: Any, tender: Tender | int) -> EvaluationRecord:
    """Compute the price scores, totals and ranking from the stored scores and issue the report."""
    with transaction.atomic():
        locked = _lock_tender(tender)
        member = _member_of(actor, locked)
        if member is None or member.declaration != Declaration.NO_CONFLICT:
            _check_staff(actor, locked)
        rules.check_transition(locked.status, TenderStatus.EVALUATED)
        panel = Panel.objects.filter(tender=locked).first()
        if panel is None:
            raise TransitionRefused(_("Draw the panel first."))
        members = list(PanelMember.objects.filter(panel=panel).select_related("expert"))
        if any(m.declaration == Declaration.PENDING for m in members):
            raise TransitionRefused(_("Every panel member must declare before the report."))
        seated = [m for m in members if m.declaration == Declaration.NO_CONFLICT]
        valid = _valid_bids(locked)
        if not valid:
            raise TransitionRefused(_("No valid bid is left to rank."))
        quality = _quality(locked, valid, seated)
        price_weight = next((c.weight for c in locked.criteria.all() if c.is_price), 100)
        ranked = rules.rank(
            [
                rules.BidForRanking(
                    bid_id=b.pk,
                    lot_id=b.lot_id,
                    price=b.price or Decimal("0"),
                    received_at=b.submitted_at,
                    quality=quality[b.pk],
                )
                for b in valid
            ],
            price_weight=price_weight,
            lowest_price_method=locked.method.evaluation_method == EvaluationMethod.LOWEST_PRICE,
        )
        now = timezone.now()
        evaluation = EvaluationRecord.objects.create(tender=locked, reported_by=actor, reported_at=now)
        Ranking.objects.bulk_create(
            [
                Ranking(
                    evaluation=evaluation,
                    bid_id=r.bid_id,
                    lot_id=r.lot_id,
                    price_score=r.price_score,
                    quality_score=r.quality_score,
                    total=r.total,
                    rank=r.rank,
                )
                for r in ranked
            ]
        )
        locked.status = TenderStatus.EVALUATED
        locked.version += 1
        locked.save()
        rankings = list(
            Ranking.objects.filter(evaluation=evaluation)
            .select_related("bid__provider", "lot")
            .order_by("lot__number", "rank")
        )
        pdf = render_report(locked, evaluation, rankings)
        digest = hashlib.sha256(pdf).hexdigest()
        evaluation.report_path = save_once(
            path=f"evaluations/{digest[:2]}/{locked.reference}-{digest[:16]}.pdf", data=pdf, sha256=digest
        )
        evaluation.report_sha256 = digest
        evaluation.save()
        record_event(
            actor=actor,
            action="procurement.evaluation.reported",
            obj=locked,
            organisation=locked.purchaser,
            changes={"status": (TenderStatus.OPENED, TenderStatus.EVALUATED)},
            data={
                "reference": locked.reference,
                "report": digest,
                "ranking": [{"bid": r.bid_id, "rank": r.rank, "total": str(r.total)} for r in ranked],
            },
        )
    return evaluation


# --- The three-list credit check -----------------------------------------------------------------


def record_credit_check(
    *,
    actor: Any,
    tender: Tender | int,
    bid: Bid | int,
    dishonest_debtors: str,
    tax_violations: str,
    procurement_violations: str,
    reference: str = "",
    evidence: tuple[str, bytes] | None = None,
) -> CreditCheck:
    """The purchaser records the three lists' results for a ranked bidder, with a reference or an
    uploaded screenshot/PDF; an award needs this check, all clear, for the winning bid."""
    results = {
        "dishonest_debtors": dishonest_debtors,
        "tax_violations": tax_violations,
        "procurement_violations": procurement_violations,
    }
    for field, value in results.items():
        if value not in CreditResult.values:
            message = _("Give the result of each list: listed or not listed.")
            raise ValidationFailed(message, fields={field: [message]})
    ref = _text(reference, "reference", 500, required=False)
    upload = None
    if evidence is not None:
        upload = inspect_upload(
            name=evidence[0], data=evidence[1], allowed=EVIDENCE_KINDS, max_bytes=int(settings.GOVBUY_UPLOAD_MAX_BYTES)
        )
    if not ref and upload is None:
        message = _("Give the query reference or upload the evidence.")
        raise ValidationFailed(message, fields={"reference": [message]})
    with transaction.atomic():
        locked = _lock_tender(tender)
        _check_staff(actor, locked)
        target = _lock_bid(locked, bid)
        # After a winner's refusal to sign (Reg. Art. 49) the next-ranked bidder of that lot is checked.
        awarding_again = (
            locked.status == TenderStatus.AWARDED
            and Award.objects.filter(
                lot_id=target.lot_id, status=AwardStatus.REFUSED, replaced_by__isnull=True
            ).exists()
        )
        if locked.status != TenderStatus.EVALUATED and not awarding_again:
            raise TransitionRefused(_("The credit check is recorded after the evaluation report, before the award."))
        if not Ranking.objects.filter(bid=target).exists():
            raise ValidationFailed(_("Only a ranked bidder is checked."))
        if CreditCheck.objects.filter(bid=target).exists():
            raise Conflict(_("The credit check of this bidder has already been recorded."))
        path = ""
        if upload is not None and evidence is not None:
            path = save_once(path=document_path(prefix="credit", upload=upload), data=evidence[1], sha256=upload.sha256)
        check = CreditCheck.objects.create(
            bid=target,
            checked_by=actor,
            checked_at=timezone.now(),
            reference=ref,
            evidence_name=(upload.display_name or upload.safe_name) if upload else "",
            evidence_path=path,
            evidence_sha256=upload.sha256 if upload else "",
            **results,
        )
        record_event(
            actor=actor,
            action="procurement.credit_check.recorded",
            obj=target,
            organisation=locked.purchaser,
            data={
                "reference": locked.reference,
                "provider": Organisation.objects.get(pk=target.provider_id).name_zh,
                "result": "clear" if check.is_clear else "listed",
                **results,
                "evidence": ref or check.evidence_sha256,
            },
        )
    return check
