"""Home to-do lists of the award stage, scoped to the user, a fixed number of queries each."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q
from django.utils import timezone

from govbuy.core.calendar.rules import get_calendar
from govbuy.organizations.scope import scope_for
from govbuy.procurement import rules
from govbuy.procurement.models import (
    Award,
    AwardStatus,
    Bid,
    BidStatus,
    Challenge,
    ChallengeStatus,
    Complaint,
    ComplaintStatus,
    Evaluation,
    Tender,
    TenderStatus,
)
from govbuy.procurement.selectors.tendering import staff_purchaser_ids

# --- Home to-do lists of the award stage (winners to confirm, challenges to answer, complaints to
# decide, award notices still open to challenge): scoped, a fixed number of queries each. ---

# 7 working days never span more than three calendar weeks, even across the Spring Festival or
# National Day weeks (7 days off plus weekends): older notices need no deadline arithmetic.
CHALLENGE_WINDOW_BOUND = dt.timedelta(days=21)


def awards_todo(user: Any, limit: int = 10) -> tuple[list[tuple[Evaluation, dt.datetime, int]], int]:
    """(report, last moment to confirm the winner, awards proposed and waiting for a second user)
    for the purchaser's evaluated tenders, the most urgent first."""
    ids = staff_purchaser_ids(user)
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
    ids = staff_purchaser_ids(user)
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
