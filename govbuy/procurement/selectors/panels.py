"""Reads of the evaluation stage: experts, panels, scores, rankings, credit checks, awards and
challenges, each shown to whom the law lets see it, when it lets them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from govbuy.organizations.models import Organisation
from govbuy.organizations.scope import scope_for
from govbuy.procurement.models import (
    Award,
    AwardStatus,
    Bid,
    BidStatus,
    Challenge,
    ChallengeStatus,
    Complaint,
    CreditCheck,
    Evaluation,
    Expert,
    Panel,
    PanelMember,
    Ranking,
    Score,
    Tender,
    TenderStatus,
)
from govbuy.procurement.selectors.tendering import OPENED_STATES, is_bidder, pk_of, seated_member

# --- Evaluation ----------------------------------------------------------------------------------


def sees_experts(user: Any) -> bool:
    return any(m.kind == "finance_bureau" for m in scope_for(user).memberships)


def experts(user: Any) -> QuerySet[Expert]:
    """The pool, for the finance bureau (who keeps it); no one else lists it."""
    if not sees_experts(user):
        return Expert.objects.none()
    return Expert.objects.select_related("organisation", "user").order_by("name", "pk")


def expert_for(user: Any, pk: Any) -> Expert:
    expert = experts(user).filter(pk=pk_of(pk)).first()
    if expert is None:
        raise Http404
    return expert


def panel_of(tender: Tender) -> Panel | None:
    return Panel.objects.select_related("drawn_by").filter(tender=tender).first()


def members_of(panel: Panel | None) -> list[PanelMember]:
    if panel is None:
        return []
    return list(panel.members.select_related("expert__organisation").order_by("position"))


def candidate_experts(panel: Panel | None) -> list[Expert]:
    """The experts the panel was drawn from, in the recorded order, by name (for those who
    check the draw; the ids stay in the record and the API)."""
    if panel is None:
        return []
    by_id = Expert.objects.select_related("organisation").in_bulk(panel.candidates)
    return [by_id[pk] for pk in panel.candidates if pk in by_id]


def sees_draw_record(user: Any, tender: Tender) -> bool:
    """The purchaser's staff and the oversight bodies check a draw; a panel member is not shown
    the pool the panel came from."""
    return sees_full_evaluation(user, tender) and member_for(user, tender) is None


def member_for(user: Any, tender: Tender) -> PanelMember | None:
    if not getattr(user, "pk", None):
        return None
    return (
        PanelMember.objects.select_related("expert")
        .filter(panel__tender=tender, expert__user_id=user.pk)
        .exclude(declaration=PanelMember.Declaration.CONFLICT)
        .first()
    )


def own_scores(member: PanelMember | None) -> dict[int, dict[int, Any]]:
    """bid id → criterion id → points, of one member."""
    out: dict[int, dict[int, Any]] = {}
    if member is None:
        return out
    for score in Score.objects.filter(member=member):
        out.setdefault(score.bid_id, {})[score.criterion_id] = score.points
    return out


def evaluation_of(tender: Tender) -> Evaluation | None:
    return Evaluation.objects.select_related("reported_by").filter(tender=tender).first()


def rankings_of(tender: Tender) -> list[Ranking]:
    return list(
        Ranking.objects.filter(evaluation__tender=tender)
        .select_related("bid__provider", "lot")
        .defer("bid__ciphertext", "bid__nonce")
        .order_by("lot__number", "rank")
    )


def credit_checks_of(tender: Tender) -> dict[int, CreditCheck]:
    return {c.bid_id: c for c in CreditCheck.objects.filter(bid__tender=tender).select_related("checked_by")}


def is_insider(user: Any, tender: Tender) -> bool:
    """Who sees the whole evaluation: the purchaser and the seated panel from the opening on;
    oversight in reach once the panel's work is over (awarded or failed), so that no body outside
    the panel weighs on the scores while they are given."""
    scope = scope_for(user)
    if tender.purchaser_id in scope.organisation_ids or seated_member(user, tender):
        return True
    done = tender.status == TenderStatus.FAILED or results_published(tender)
    return done and scope.sees_region(tender.purchaser.region_id)


def results_published(tender: Tender) -> bool:
    """The award notice is out (Reg. Art. 43): only from then on does the law publish the panel's
    names and tell each bidder its own score and rank (Order 87 Art. 64, 69)."""
    return (
        tender.status == TenderStatus.AWARDED
        and Award.objects.filter(tender=tender, status=AwardStatus.ACTIVE).exists()
    )


def sees_evaluation(user: Any, tender: Tender) -> bool:
    """The evaluation pages: insiders from the opening on; a bidder once the award notice is
    published, and then only what the law gives it (`visible_rankings`), never while the tender
    is merely evaluated."""
    if tender.status not in OPENED_STATES:
        return False
    if is_insider(user, tender):
        return True
    return results_published(tender) and is_bidder(user, tender)


def sees_full_evaluation(user: Any, tender: Tender) -> bool:
    """Every bidder's scores and the report: insiders only."""
    return tender.status in OPENED_STATES and is_insider(user, tender)


def visible_rankings(user: Any, tender: Tender) -> list[Ranking]:
    """Every row for insiders; a bidder after the award notice its own rows (its score and rank);
    nobody else any."""
    if not sees_evaluation(user, tender):
        return []
    rows = rankings_of(tender)
    if is_insider(user, tender):
        return rows
    own = scope_for(user).organisation_ids
    return [row for row in rows if row.bid.provider_id in own]


def visible_credit_checks(user: Any, tender: Tender) -> dict[int, CreditCheck]:
    if sees_full_evaluation(user, tender):
        return credit_checks_of(tender)
    if not sees_evaluation(user, tender):
        return {}
    own_bids = {row.bid_id for row in visible_rankings(user, tender)}
    return {bid_id: check for bid_id, check in credit_checks_of(tender).items() if bid_id in own_bids}


def expert_history(user: Any, limit: int = 10) -> tuple[list[PanelMember], int]:
    """The evaluations the expert sat on and finished (their scores, the ranking and the report
    stay readable to the panel), latest first."""
    if not getattr(user, "pk", None):
        return [], 0
    qs = (
        PanelMember.objects.filter(
            expert__user_id=user.pk,
            declaration=PanelMember.Declaration.NO_CONFLICT,
            panel__tender__status__in=[s for s in OPENED_STATES if s != TenderStatus.OPENED],
        )
        .select_related("panel__tender")
        .order_by("-panel__drawn_at", "-pk")
    )
    return list(qs[:limit]), qs.count()


def expert_todo(user: Any, limit: int = 10) -> tuple[list[PanelMember], int]:
    """Seats waiting for the expert: a declaration to make or bids to score."""
    if not getattr(user, "pk", None):
        return [], 0
    qs = (
        PanelMember.objects.filter(expert__user_id=user.pk, panel__tender__status=TenderStatus.OPENED)
        .exclude(declaration=PanelMember.Declaration.CONFLICT)
        .select_related("panel__tender")
        .order_by("panel__tender__bid_deadline", "pk")
    )
    return list(qs[:limit]), qs.count()


def awards_of(tender: Tender) -> list[Award]:
    return list(
        Award.objects.filter(tender=tender)
        .select_related("provider", "lot", "proposed_by", "confirmed_by", "refusal_recorded_by")
        .order_by("lot__number", "pk")
    )


def lots_to_award_again(tender: Tender) -> list[int]:
    """The lot numbers whose winner's refusal to sign was confirmed and that no award holds now."""
    refused = set(
        Award.objects.filter(tender=tender, status=AwardStatus.REFUSED, replaced_by__isnull=True).values_list(
            "lot__number", flat=True
        )
    )
    held = set(
        Award.objects.filter(
            tender=tender, status__in=[AwardStatus.PROPOSED, AwardStatus.ACTIVE, AwardStatus.REFUSAL_RECORDED]
        ).values_list("lot__number", flat=True)
    )
    return sorted(refused - held)


def reads_refusal_evidence(user: Any, award: Award, tender: Tender | None = None) -> bool:
    """The evidence of a refusal to sign (Reg. Art. 49): the purchaser, the provider concerned and
    the oversight bodies in reach of the purchaser's region; nobody else (not the panel, not the
    other bidders). `tender` is the award's, when the caller holds it already."""
    if not award.refusal_evidence_path:
        return False
    tender = tender if tender is not None and tender.pk == award.tender_id else award.tender
    scope = scope_for(user)
    if tender.purchaser_id in scope.organisation_ids or award.provider_id in scope.organisation_ids:
        return True
    return scope.is_oversight and scope.sees_region(tender.purchaser.region_id)


def refusal_evidence_for(user: Any, tender_pk: Any, award_pk: Any) -> Award:
    """The award whose refusal evidence `user` may download; 404 otherwise."""
    award = (
        Award.objects.select_related("tender__purchaser", "provider")
        .filter(pk=pk_of(award_pk), tender_id=pk_of(tender_pk))
        .first()
    )
    if award is None or not reads_refusal_evidence(user, award):
        raise Http404
    return award


def public_refusals(tender: Tender) -> list[Award]:
    """Superseded awards, published with the result notice of the award that replaces them."""
    return list(
        Award.objects.filter(tender=tender, status=AwardStatus.REFUSED)
        .select_related("provider", "lot")
        .order_by("lot__number", "pk")
    )


def public_awards(tender: Tender) -> list[Award]:
    """The award notices the public sees: confirmed awards only (a proposal awaiting its second
    user is not yet announced)."""
    return list(
        Award.objects.filter(tender=tender, status=AwardStatus.ACTIVE)
        .select_related("provider", "lot")
        .order_by("lot__number")
    )


def public_panel_names(tender: Tender) -> list[str]:
    """The evaluation panel's names, published with the result notice."""
    return list(
        PanelMember.objects.filter(panel__tender=tender).order_by("position").values_list("expert__name", flat=True)
    )


def signing_allowed(tender: Tender) -> bool:
    """The contract may be signed once the tender is awarded, no challenge awaits its answer
    (Reg. Art. 54) and no complaint was upheld."""
    if tender.status != TenderStatus.AWARDED:
        return False
    if Challenge.objects.filter(tender=tender, status=ChallengeStatus.LODGED).exists():
        return False
    return not Complaint.objects.filter(challenge__tender=tender, upheld=True).exists()


def bidders_of(tender: Tender) -> list[Organisation]:
    """The providers whose bids were opened (named in the opening record), by name."""
    ids = Bid.objects.filter(tender=tender, status=BidStatus.OPENED).values("provider_id")
    return list(Organisation.objects.filter(pk__in=ids).order_by("name_zh", "pk"))


def challenges_for(user: Any, tender: Tender) -> list[Challenge]:
    """All of a tender's challenges for the purchaser and oversight; a provider's own otherwise."""
    qs = Challenge.objects.filter(tender=tender).select_related("provider", "complaint__against_provider")
    scope = scope_for(user)
    if not scope.sees_organisation(tender.purchaser):
        qs = qs.filter(provider_id__in=scope.organisation_ids)
    return list(qs.order_by("lodged_at", "pk"))
