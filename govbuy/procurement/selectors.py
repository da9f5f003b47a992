"""Every read of procurement, scoped to the user. Before the opening nothing here returns a bid's
price, responses or documents: they do not exist in plaintext until then (R5), and the number of
bids is not shown either (Reg. Art. 14: no one learns who or how many are bidding)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from govbuy.core.calendar.rules import get_calendar
from govbuy.core.errors import ValidationFailed
from govbuy.organizations.scope import Scope, scope_for
from govbuy.planning.models import PlanEntry, Project, ProjectStatus
from govbuy.procurement import rules
from govbuy.procurement.models import (
    Award,
    AwardStatus,
    Bid,
    BidDocument,
    BidStatus,
    Challenge,
    ChallengeStatus,
    Clarification,
    Complaint,
    ComplaintStatus,
    CreditCheck,
    Evaluation,
    Expert,
    InvitationDraw,
    Opening,
    Panel,
    PanelMember,
    ProcurementMethod,
    Ranking,
    Score,
    Tender,
    TenderDocument,
    TenderStatus,
)

PUBLIC_STATES = (
    TenderStatus.PUBLISHED,
    TenderStatus.OPENED,
    TenderStatus.EVALUATED,
    TenderStatus.AWARDED,
    TenderStatus.FAILED,
    TenderStatus.CANCELLED,
)
OPENED_STATES = (TenderStatus.OPENED, TenderStatus.EVALUATED, TenderStatus.AWARDED, TenderStatus.FAILED)


def _pk(value: Any) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        raise Http404 from None


def tenders_q(scope: Scope) -> Q:
    """Own and oversight tenders in every state; for providers, every published one."""
    if scope.is_anonymous:
        return Q(pk__in=[])
    q = (
        scope.owned_q("purchaser")
        if (scope.organisation_ids or scope.region_ids or scope.all_regions)
        else Q(pk__in=[])
    )
    if scope.is_provider:
        q |= Q(status__in=PUBLIC_STATES, published_at__isnull=False)
    # An expert sees the tenders whose panel seats them (the bids only once they declared).
    if scope.user_id is not None:
        q |= Q(pk__in=PanelMember.objects.filter(expert__user_id=scope.user_id).values("panel__tender_id"))
    return q


def visible_tenders(user: Any, *, status: str = "") -> QuerySet[Tender]:
    scope = scope_for(user)
    qs = Tender.objects.filter(tenders_q(scope)).select_related("purchaser", "method")
    if status in TenderStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-pk")


def tender_for(user: Any, pk: Any) -> Tender:
    tender = (
        visible_tenders(user)
        .select_related("project", "purchaser__region", "approved_method")
        .filter(pk=_pk(pk))
        .first()
    )
    if tender is None:
        raise Http404
    return tender


def public_tenders(status: str = "") -> QuerySet[Tender]:
    """Published notices, newest first; `status` (one of PUBLIC_STATES, e.g. "awarded" for the
    award notices) narrows them. Any other status is refused, never silently ignored."""
    qs = Tender.objects.filter(status__in=PUBLIC_STATES, published_at__isnull=False)
    if status:
        if status not in PUBLIC_STATES:
            message = _("Unknown status “%(status)s”.") % {"status": status[:40]}
            raise ValidationFailed(message, fields={"status": [message]})
        qs = qs.filter(status=status)
    return qs.select_related("purchaser", "method", "region").order_by("-published_at", "-pk")


def public_projects() -> QuerySet[Project]:
    """Purchase projects the public may see: in a published annual plan, or with a published
    tender notice."""
    in_plan = Exists(PlanEntry.objects.filter(project_id=OuterRef("pk")))
    noticed = Exists(public_tenders().filter(project_id=OuterRef("pk")))
    return Project.objects.filter(in_plan | noticed)


def public_tender(pk: Any) -> Tender:
    tender = public_tenders().filter(pk=_pk(pk)).first()
    if tender is None:
        raise Http404
    return tender


def lots_of(tender: Tender) -> list[Any]:
    return list(tender.lots.all())


def criteria_of(tender: Tender) -> list[Any]:
    return list(tender.criteria.all())


def documents_of(tender: Tender) -> list[TenderDocument]:
    return list(tender.documents.all())


def document_of(tender: Tender, pk: Any) -> TenderDocument:
    doc = tender.documents.filter(pk=_pk(pk)).first()
    if doc is None:
        raise Http404
    return doc


def own_bids(user: Any, tender: Tender) -> list[Bid]:
    """The signed-in provider's bids on this tender (status and receipt; no content)."""
    scope = scope_for(user)
    ids = [m.organisation_id for m in scope.memberships if m.writes or m.role == "read_only"]
    if not ids:
        return []
    return list(
        Bid.objects.filter(tender=tender, provider_id__in=ids)
        .select_related("lot", "provider")
        .defer("ciphertext", "nonce")
        .order_by("-submitted_at", "-pk")
    )


def is_bidder(user: Any, tender: Tender) -> bool:
    scope = scope_for(user)
    return Bid.objects.filter(tender=tender, provider_id__in=list(scope.organisation_ids)).exists()


def sees_opened_bids(user: Any, tender: Tender) -> bool:
    """After the opening: the purchaser, oversight in reach, and the bidders see the opened bids."""
    if tender.status not in OPENED_STATES:
        return False
    scope = scope_for(user)
    return scope.sees_organisation(tender.purchaser) or is_bidder(user, tender) or seated_member(user, tender)


def seated_member(user: Any, tender: Tender) -> bool:
    """A panel member who declared no conflict of interest."""
    if not getattr(user, "pk", None):
        return False
    return PanelMember.objects.filter(
        panel__tender=tender, expert__user_id=user.pk, declaration=PanelMember.Declaration.NO_CONFLICT
    ).exists()


def opened_bids(tender: Tender) -> list[Bid]:
    if tender.status not in OPENED_STATES:
        return []
    return list(
        Bid.objects.filter(tender=tender, status="opened")
        .select_related("lot", "provider")
        .prefetch_related("documents")
        .defer("ciphertext", "nonce")
        .order_by("lot__number", "price", "pk")
    )


def bid_document_for(user: Any, pk: Any) -> BidDocument:
    doc = BidDocument.objects.select_related("bid__tender__purchaser").filter(pk=_pk(pk)).first()
    if doc is None or not sees_opened_bids(user, doc.bid.tender):
        raise Http404
    return doc


def opening_of(tender: Tender) -> Opening | None:
    return Opening.objects.select_related("initiated_by", "confirmed_by").filter(tender=tender).first()


def sealed_bid_for(user: Any, pk: Any) -> Bid:
    bid = Bid.objects.select_related("tender").defer("ciphertext", "nonce").filter(pk=_pk(pk)).first()
    if bid is None or bid.provider_id not in scope_for(user).organisation_ids:
        raise Http404
    return bid


def _staff_purchaser_ids(user: Any) -> list[int]:
    scope = scope_for(user)
    return [m.organisation_id for m in scope.memberships if rules.purchaser_staff_of(scope, m.organisation_id)]


def tenderable_projects(user: Any) -> QuerySet[Project]:
    ids = _staff_purchaser_ids(user)
    return (
        Project.objects.filter(purchaser_id__in=ids, status__in=[ProjectStatus.APPROVED, ProjectStatus.IN_PLAN])
        .exclude(tenders__status__in=rules.LIVE_STATES)
        .select_related("purchaser")
        .order_by("-pk")
    )


def project_for_tender(user: Any, pk: Any) -> Project:
    """An approved project of the user's purchaser, also when it already has a live tender: the
    service answers that case with a conflict naming the tender (not a 404, issue 18)."""
    project = (
        Project.objects.filter(
            purchaser_id__in=_staff_purchaser_ids(user), status__in=[ProjectStatus.APPROVED, ProjectStatus.IN_PLAN]
        )
        .select_related("purchaser")
        .filter(pk=_pk(pk))
        .first()
    )
    if project is None:
        raise Http404
    return project


def methods() -> list[ProcurementMethod]:
    return list(ProcurementMethod.objects.order_by("pk"))


def method_for(pk: Any) -> ProcurementMethod:
    method = ProcurementMethod.objects.filter(pk=_pk(pk)).first()
    if method is None:
        raise Http404
    return method


def purchaser_todo(user: Any, limit: int = 10) -> tuple[list[Tender], int]:
    ids = _staff_purchaser_ids(user)
    qs = (
        Tender.objects.filter(purchaser_id__in=ids, status__in=[TenderStatus.DRAFT, TenderStatus.PUBLISHED])
        .select_related("purchaser")
        .order_by("bid_deadline", "pk")
    )
    return list(qs[:limit]), qs.count()


def provider_todo(user: Any, limit: int = 10) -> tuple[list[Bid], int]:
    scope = scope_for(user)
    if not scope.is_provider:
        return [], 0
    qs = (
        Bid.objects.filter(
            provider_id__in=list(scope.organisation_ids), status="sealed", tender__status=TenderStatus.PUBLISHED
        )
        .select_related("tender", "lot")
        .defer("ciphertext", "nonce")
        .order_by("tender__bid_deadline", "pk")
    )
    return list(qs[:limit]), qs.count()


# --- Evaluation ----------------------------------------------------------------------------------


def sees_experts(user: Any) -> bool:
    return any(m.kind == "finance_bureau" for m in scope_for(user).memberships)


def experts(user: Any) -> QuerySet[Expert]:
    """The pool, for the finance bureau (who keeps it); no one else lists it."""
    if not sees_experts(user):
        return Expert.objects.none()
    return Expert.objects.select_related("organisation", "user").order_by("name", "pk")


def expert_for(user: Any, pk: Any) -> Expert:
    expert = experts(user).filter(pk=_pk(pk)).first()
    if expert is None:
        raise Http404
    return expert


def panel_of(tender: Tender) -> Panel | None:
    return Panel.objects.select_related("drawn_by").filter(tender=tender).first()


def members_of(panel: Panel | None) -> list[PanelMember]:
    if panel is None:
        return []
    return list(panel.members.select_related("expert").order_by("position"))


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
        .select_related("provider", "lot", "proposed_by", "confirmed_by")
        .order_by("lot__number")
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


def challenges_for(user: Any, tender: Tender) -> list[Challenge]:
    """All of a tender's challenges for the purchaser and oversight; a provider's own otherwise."""
    qs = Challenge.objects.filter(tender=tender).select_related("provider", "complaint")
    scope = scope_for(user)
    if not scope.sees_organisation(tender.purchaser):
        qs = qs.filter(provider_id__in=scope.organisation_ids)
    return list(qs.order_by("lodged_at", "pk"))


# --- Clarifications and invitations ---------------------------------------------------------------


def sees_askers(user: Any, tender: Tender) -> bool:
    """Who asked a question: the purchaser and oversight in reach see it (the asker sees its own)."""
    return scope_for(user).sees_organisation(tender.purchaser)


def clarifications_for(user: Any, tender: Tender) -> list[Clarification]:
    """The purchaser and oversight: every question, answered or not, with the asker. A provider:
    the published ones and its own open questions. Anyone else who sees the tender: the published
    ones. The asker is loaded only where it may be shown."""
    scope = scope_for(user)
    qs = Clarification.objects.filter(tender=tender)
    if scope.sees_organisation(tender.purchaser):
        qs = qs.select_related("provider", "asked_by", "answered_by")
    else:
        qs = qs.filter(Q(answered_at__isnull=False) | Q(provider_id__in=list(scope.organisation_ids)))
    return list(qs.order_by("pk"))


def public_clarifications(tender: Tender) -> list[Clarification]:
    return list(
        Clarification.objects.filter(tender=tender, answered_at__isnull=False)
        .defer("provider", "asked_by", "answered_by")
        .order_by("answered_at", "pk")
    )


def open_question_for(user: Any, tender: Tender, pk: Any) -> Clarification:
    """A question of the tender, for the purchaser and oversight in reach; a 404 for others."""
    if not sees_askers(user, tender):
        raise Http404
    row = Clarification.objects.filter(tender=tender, pk=_pk(pk)).first()
    if row is None:
        raise Http404
    return row


def invitation_draw_of(tender: Tender) -> InvitationDraw | None:
    return InvitationDraw.objects.select_related("drawn_by").filter(tender=tender).first()


def sees_invitation_draw(user: Any, tender: Tender) -> bool:
    """Who was invited stays with the purchaser and oversight (Reg. Art. 14: no one learns who the
    potential bidders are); an invited provider learns only that it is invited."""
    return scope_for(user).sees_organisation(tender.purchaser)


def invited_providers(draw: InvitationDraw | None) -> list[Any]:
    if draw is None:
        return []
    from govbuy.organizations.models import Organisation

    by_id = Organisation.objects.in_bulk(draw.invited)
    return [by_id[pk] for pk in draw.invited if pk in by_id]


def invited_own(user: Any, tender: Tender, draw: InvitationDraw | None) -> list[int]:
    """The user's provider organisations that the draw invited."""
    if draw is None:
        return []
    own = scope_for(user).organisation_ids
    return [pk for pk in draw.invited if pk in own]


# --- Home to-do lists of the award stage (winners to confirm, challenges to answer, complaints to
# decide, award notices still open to challenge): scoped, a fixed number of queries each. ---

# 7 working days never span more than three calendar weeks, even across the Spring Festival or
# National Day weeks (7 days off plus weekends): older notices need no deadline arithmetic.
CHALLENGE_WINDOW_BOUND = dt.timedelta(days=21)


def awards_todo(user: Any, limit: int = 10) -> tuple[list[tuple[Evaluation, dt.datetime, int]], int]:
    """(report, last moment to confirm the winner, awards proposed and waiting for a second user)
    for the purchaser's evaluated tenders, the most urgent first."""
    ids = _staff_purchaser_ids(user)
    if not ids:
        return [], 0
    qs = (
        Evaluation.objects.filter(tender__purchaser_id__in=ids, tender__status=TenderStatus.EVALUATED)
        .select_related("tender")
        .annotate(proposed=Count("tender__awards", filter=Q(tender__awards__status=AwardStatus.PROPOSED)))
        .order_by("reported_at", "pk")
    )
    rows = list(qs[:limit])
    if not rows:
        return [], 0
    calendar = get_calendar()
    return [(r, rules.award_deadline(r.reported_at, calendar), r.proposed) for r in rows], qs.count()


def challenges_todo(user: Any, limit: int = 10) -> tuple[list[tuple[Challenge, dt.datetime]], int]:
    """Unanswered challenges to the purchaser's tenders, with the day the answer is due."""
    ids = _staff_purchaser_ids(user)
    if not ids:
        return [], 0
    qs = (
        Challenge.objects.filter(tender__purchaser_id__in=ids, status=ChallengeStatus.LODGED)
        .select_related("tender", "provider")
        .order_by("lodged_at", "pk")
    )
    rows = list(qs[:limit])
    if not rows:
        return [], 0
    calendar = get_calendar()
    return [(c, rules.answer_deadline(c.lodged_at, calendar)) for c in rows], qs.count()


def complaints_todo(user: Any, limit: int = 10) -> tuple[list[tuple[Complaint, dt.datetime]], int]:
    """Undecided complaints in the reach of the user's finance bureau (as writing staff)."""
    scope = scope_for(user)
    if not any(m.kind == "finance_bureau" and m.writes for m in scope.memberships):
        return [], 0
    qs = Complaint.objects.filter(status=ComplaintStatus.LODGED)
    if not scope.all_regions:
        qs = qs.filter(challenge__tender__region_id__in=list(scope.region_ids))
    qs = qs.select_related("challenge__tender", "challenge__provider").order_by("lodged_at", "pk")
    rows = list(qs[:limit])
    if not rows:
        return [], 0
    calendar = get_calendar()
    return [(c, rules.decision_deadline(c.lodged_at, calendar)) for c in rows], qs.count()


def award_notices_todo(user: Any, limit: int = 10) -> tuple[list[tuple[Tender, dt.datetime, bool]], int]:
    """(tender, end of the challenge period, the user's provider won) for awarded tenders the
    user's providers bid on, while a challenge may still be lodged."""
    scope = scope_for(user)
    if not scope.is_provider:
        return [], 0
    own = list(scope.organisation_ids)
    now = timezone.now()
    qs = (
        Tender.objects.filter(status=TenderStatus.AWARDED)
        .filter(
            Exists(Bid.objects.filter(tender=OuterRef("pk"), provider_id__in=own, status=BidStatus.OPENED)),
        )
        .annotate(notice=Max("awards__confirmed_at", filter=Q(awards__status=AwardStatus.ACTIVE)))
        .filter(notice__gte=now - CHALLENGE_WINDOW_BOUND)
        .prefetch_related(
            Prefetch(
                "awards",
                queryset=Award.objects.filter(status=AwardStatus.ACTIVE).only("pk", "tender_id", "provider_id"),
                to_attr="active_awards",
            )
        )
        .order_by("notice", "pk")
    )
    candidates = list(qs)
    if not candidates:
        return [], 0
    calendar = get_calendar()
    rows: list[tuple[Tender, dt.datetime, bool]] = []
    for tender in candidates:
        limit_at = rules.challenge_deadline(tender.notice, calendar)
        if now <= limit_at:
            won = any(a.provider_id in scope.organisation_ids for a in tender.active_awards)
            rows.append((tender, limit_at, won))
    return rows[:limit], len(rows)
