"""Reads of performance evaluation. Staff reads start from the scope: the purchaser and the
provider of a contract, the finance bureaus over its region (and the oversight bodies that read
across regions), and a third-party evaluator only for the rounds it is commissioned for. Outside
that a round is a 404. Public reads show published results only."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from govbuy.catalog.models import CatalogVersion
from govbuy.contracts.models import Contract, ContractStatus, Milestone
from govbuy.organizations.kinds import PURCHASER_KINDS
from govbuy.organizations.models import Organisation, OrganisationKind
from govbuy.organizations.scope import scope_for
from govbuy.performance import rules
from govbuy.performance.models import (
    Answer,
    ConsultationComment,
    EvaluationRound,
    Family,
    IndicatorTemplate,
    Invitation,
    KeyProjectThreshold,
    Policy,
    PublicConsultation,
    RoundStatus,
    Score,
    ScoredBy,
    Survey,
    ThirdPartyCommission,
)

PUBLIC_FAMILIES = (
    ("output", (Family.OUTPUT_QUANTITY, Family.OUTPUT_QUALITY, Family.OUTPUT_TIMELINESS, Family.OUTPUT_COST)),
    ("benefit", (Family.BENEFIT_SOCIAL, Family.BENEFIT_SUSTAINABILITY)),
    ("satisfaction", (Family.SATISFACTION,)),
)


def _pk(value: Any) -> int:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < number < 2**63:
        raise Http404
    return number


def visible_rounds(user: Any) -> QuerySet[EvaluationRound]:
    scope = scope_for(user)
    base = EvaluationRound.objects.select_related("contract__purchaser", "contract__provider", "template")
    if scope.is_anonymous:
        return base.none()
    if scope.all_regions:
        return base
    own = list(scope.organisation_ids)
    commissioned = (
        ThirdPartyCommission.objects.filter(evaluator_id__in=own).exclude(status="withdrawn").values("round_id")
    )
    return base.filter(
        Q(contract__purchaser_id__in=own)
        | Q(contract__provider_id__in=own)
        | Q(contract__region_id__in=list(scope.region_ids))
        | Q(pk__in=commissioned)
    )


def rounds_for(user: Any, *, status: str = "") -> QuerySet[EvaluationRound]:
    rows = visible_rounds(user)
    if status in RoundStatus.values:
        rows = rows.filter(status=status)
    return rows.order_by("-pk")


def round_for(user: Any, pk: Any) -> EvaluationRound:
    found = visible_rounds(user).select_related("contract__region", "contract__project").filter(pk=_pk(pk)).first()
    if found is None:
        raise Http404
    return found


def scores_table(obj: EvaluationRound) -> list[dict[str, Any]]:
    """Each indicator with the score of each party (one query for the scores)."""
    by_indicator: dict[int, dict[str, Score]] = defaultdict(dict)
    for score in Score.objects.filter(round=obj):
        by_indicator[score.indicator_id][score.by] = score
    return [
        {"indicator": i, "scores": [by_indicator[i.pk].get(party) for party in ScoredBy.values]}
        for i in obj.template.indicators.all()
    ]


def family_points(obj: EvaluationRound) -> list[dict[str, Any]]:
    """Points and weight per public family, from the scores that decided the result."""
    party = ScoredBy.FINANCE if obj.reevaluated_at else ScoredBy.PURCHASER
    rows = Score.objects.filter(round=obj, by=party).values_list("indicator__family", "indicator__weight", "points")
    totals: dict[str, list[Decimal]] = {key: [Decimal(0), Decimal(0)] for key, _f in PUBLIC_FAMILIES}
    for family, weight, earned in rows:
        for key, members in PUBLIC_FAMILIES:
            if family in members:
                totals[key][0] += earned
                totals[key][1] += weight
    return [{"family": key, "points": p, "weight": w} for key, (p, w) in totals.items() if w]


def templates_list() -> QuerySet[IndicatorTemplate]:
    return IndicatorTemplate.objects.select_related(None).order_by("category_code", "-number")


def template_detail(pk: Any) -> IndicatorTemplate:
    found = IndicatorTemplate.objects.filter(pk=_pk(pk)).first()
    if found is None:
        raise Http404
    return found


def surveys_for(user: Any) -> QuerySet[Survey]:
    scope = scope_for(user)
    own = list(scope.written_organisations())
    return Survey.objects.select_related("contract").filter(contract__purchaser_id__in=own).order_by("-pk")


def survey_rows(user: Any) -> QuerySet[Survey]:
    """The list of the user's surveys with their counts (subqueries: no row per answer joined)."""
    answers = Answer.objects.filter(survey=OuterRef("pk")).values("survey").annotate(n=Count("pk")).values("n")
    codes = Invitation.objects.filter(survey=OuterRef("pk")).values("survey").annotate(n=Count("pk")).values("n")
    return surveys_for(user).annotate(
        answer_count=Coalesce(Subquery(answers), 0), invitation_count=Coalesce(Subquery(codes), 0)
    )


def survey_for(user: Any, pk: Any) -> Survey:
    """Only the purchaser's own surveys (it issues the codes); others get a 404."""
    found = surveys_for(user).filter(pk=_pk(pk)).first()
    if found is None:
        raise Http404
    return found


# --- public ---------------------------------------------------------------------------------------


def published_results(
    *, region: Any = "", category: str = "", year: Any = "", grade: str = ""
) -> QuerySet[EvaluationRound]:
    rows = (
        EvaluationRound.objects.filter(status=RoundStatus.PUBLISHED)
        .select_related("contract__purchaser", "contract__provider", "contract__region", "template")
        .order_by("-published_at", "-pk")
    )
    if str(region).isdigit():
        rows = rows.filter(contract__region_id=int(region))
    if category:
        rows = rows.filter(template__category_code=category)
    if str(year).isdigit():
        rows = rows.filter(published_at__year=int(year))
    if grade in rules.GRADE_LABELS:
        rows = rows.filter(grade=grade)
    return rows


def published_result(pk: Any) -> EvaluationRound:
    found = published_results().select_related("response").filter(pk=_pk(pk)).first()
    if found is None:
        raise Http404
    return found


def results_for_project(project_id: int) -> list[EvaluationRound]:
    return list(published_results().filter(contract__project_id=project_id))


def grades_by_year() -> list[dict[str, Any]]:
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(rules.GRADE_LABELS, 0))
    for published_at, grade in EvaluationRound.objects.filter(status=RoundStatus.PUBLISHED).values_list(
        "published_at", "grade"
    ):
        if published_at is not None:
            counts[published_at.year][grade] += 1
    return [{"year": year, **counts[year]} for year in sorted(counts)]


# --- home sections ----------------------------------------------------------------------------------

HOME_ROWS = 10


def _limited(rows: QuerySet[Any]) -> tuple[list[Any], int]:
    total = rows.count()
    return (list(rows[:HOME_ROWS]) if total else []), total


def self_assessments_due(user: Any) -> tuple[list[EvaluationRound], int]:
    own = scope_for(user).acting_providers()
    return _limited(
        EvaluationRound.objects.select_related("contract")
        .filter(status=RoundStatus.SELF_ASSESSMENT, contract__provider_id__in=own)
        .order_by("pk")
    )


def to_finalise(user: Any) -> tuple[list[EvaluationRound], int]:
    """Evaluations a colleague submitted: the user may finalise them (not their own: four eyes)."""
    own = scope_for(user).written_organisations()
    return _limited(
        EvaluationRound.objects.select_related("contract", "submitted_by")
        .filter(status=RoundStatus.AWAITING_APPROVAL, contract__purchaser_id__in=own)
        .exclude(submitted_by_id=getattr(user, "pk", None))
        .order_by("submitted_at", "pk")
    )


def to_reevaluate(user: Any) -> tuple[list[EvaluationRound], int]:
    scope = scope_for(user)
    if not scope.is_finance(write=True):
        return [], 0
    rows = EvaluationRound.objects.select_related("contract").filter(status=RoundStatus.FINANCE_REVIEW)
    if not any(m.region_level == "city" for m in scope.finance_memberships(write=True)):
        rows = rows.filter(contract__region_id__in=[m.region_id for m in scope.finance_memberships(write=True)])
    return _limited(rows.order_by("finalised_at", "pk"))


def surveys_low(user: Any, minimum: int) -> tuple[list[Any], int]:
    """Open surveys of the user's purchasers with fewer answers than the minimum for figures."""
    rows = (
        surveys_for(user)
        .filter(status="open")
        .annotate(answer_count=Count("answers"))
        .filter(answer_count__lt=minimum)
        .order_by("closes_at", "pk")
    )
    return _limited(rows)


# --- surveys, commissions, consultations, thresholds (staff) ---------------------------------------


def survey_contracts(user: Any) -> QuerySet[Any]:
    """The contracts a survey may be opened for: in delivery or delivered, of the user's purchasers."""
    own = scope_for(user).written_organisations()
    return (
        Contract.objects.filter(
            purchaser_id__in=own,
            status__in=[ContractStatus.PUBLISHED, ContractStatus.COMPLETED, ContractStatus.TERMINATED],
        )
        .only("pk", "reference", "title")
        .order_by("-pk")
    )


def round_milestones(user: Any) -> QuerySet[Any]:
    """The milestones of the contracts a round may be opened for, for the form's choices."""
    return (
        Milestone.objects.filter(contract__in=survey_contracts(user))
        .select_related("contract")
        .only("pk", "sequence", "title", "contract__reference")
        .order_by("-contract_id", "sequence")
    )


def evaluator_choices() -> QuerySet[Any]:
    return (
        Organisation.objects.filter(kind=OrganisationKind.THIRD_PARTY_EVALUATOR, status=Organisation.Status.ACTIVE)
        .only("pk", "name_zh")
        .order_by("name_zh", "pk")
    )


def live_commission(obj: EvaluationRound) -> ThirdPartyCommission | None:
    return (
        ThirdPartyCommission.objects.select_related("evaluator", "commissioned_by")
        .filter(round=obj)
        .exclude(status="withdrawn")
        .first()
    )


def commissions_for(user: Any) -> QuerySet[ThirdPartyCommission]:
    """The evaluator's own commissions (only those: it sees no other contract)."""
    own = scope_for(user).written_organisations(frozenset({"third_party_evaluator"}))
    return (
        ThirdPartyCommission.objects.select_related("contract", "round", "evaluator", "commissioned_by")
        .filter(evaluator_id__in=own)
        .exclude(status="withdrawn")
        .order_by("-pk")
    )


def commission_for(user: Any, pk: Any) -> ThirdPartyCommission:
    found = commissions_for(user).filter(pk=_pk(pk)).first()
    if found is None:
        raise Http404
    return found


def commission_document_for(user: Any, pk: Any) -> ThirdPartyCommission:
    """A delivered report, for those who see its round."""
    found = (
        ThirdPartyCommission.objects.filter(pk=_pk(pk), status="reported", round__in=visible_rounds(user))
        .only("pk", "report_name", "report_path", "report_sha256")
        .first()
    )
    if found is None:
        raise Http404
    return found


def consultations_for(user: Any) -> QuerySet[PublicConsultation]:
    """The consultations of the organisations the user acts for (it opened them, it moderates)."""
    own = scope_for(user).written_organisations()
    return (
        PublicConsultation.objects.select_related("owner")
        .filter(owner_id__in=own)
        .annotate(pending=Count("comments", filter=Q(comments__status="pending")))
        .order_by("-opens_at", "-pk")
    )


def consultation_for(user: Any, pk: Any) -> PublicConsultation:
    found = consultations_for(user).select_related("region", "catalog_version").filter(pk=_pk(pk)).first()
    if found is None:
        raise Http404
    return found


def consultation_comments(consultation: PublicConsultation, *, status: str = "") -> QuerySet[ConsultationComment]:
    rows = ConsultationComment.objects.filter(consultation=consultation)
    if status in ("pending", "published", "rejected"):
        rows = rows.filter(status=status)
    return rows.order_by("submitted_at", "pk") if status == "pending" else rows.order_by("-submitted_at", "-pk")


def comment_for(user: Any, pk: Any) -> ConsultationComment:
    own = scope_for(user).written_organisations()
    found = (
        ConsultationComment.objects.select_related("consultation")
        .filter(pk=_pk(pk), consultation__owner_id__in=own)
        .first()
    )
    if found is None:
        raise Http404
    return found


def thresholds() -> QuerySet[KeyProjectThreshold]:
    return KeyProjectThreshold.objects.order_by("-effective_from")


# --- public consultations ---------------------------------------------------------------------------


def public_consultations() -> QuerySet[PublicConsultation]:
    """Every consultation that has begun: open ones, closed ones and their summaries."""
    return (
        PublicConsultation.objects.select_related("owner", "region")
        .filter(opens_at__lte=timezone.now())
        .order_by("-opens_at", "-pk")
    )


def public_consultation(pk: Any) -> PublicConsultation:
    found = public_consultations().select_related("catalog_version").filter(pk=_pk(pk)).first()
    if found is None:
        raise Http404
    return found


def published_comments(consultation: PublicConsultation) -> QuerySet[ConsultationComment]:
    return ConsultationComment.objects.filter(consultation=consultation, status="published").order_by(
        "submitted_at", "pk"
    )


# --- home sections (consultations and commissions) ----------------------------------------------------


def consultations_to_act(user: Any) -> tuple[list[PublicConsultation], int]:
    """The user's consultations with comments awaiting moderation, or closed and waiting for the
    summary of what was received and what was changed."""
    rows = consultations_for(user).filter(
        Q(pending__gt=0) | Q(closes_at__lte=timezone.now(), status__in=["open", "closed"])
    )
    return _limited(rows.order_by("closes_at", "pk"))


def reports_due(user: Any) -> tuple[list[ThirdPartyCommission], int]:
    return _limited(commissions_for(user).filter(status="active").order_by("pk"))


def consultation_subjects(user: Any) -> list[str]:
    """What the user may open for comment: a finance bureau a draft catalog version, a purchaser
    its draft annual plan."""
    scope = scope_for(user)
    subjects = []
    if scope.written_organisations(frozenset({OrganisationKind.FINANCE_BUREAU})):
        subjects.append("catalog")
    if scope.written_organisations(frozenset(PURCHASER_KINDS)):
        subjects.append("annual_plan")
    return subjects


def draft_catalog_versions(user: Any) -> QuerySet[Any]:
    regions = [m.region_id for m in scope_for(user).finance_memberships(write=True)]
    return (
        CatalogVersion.objects.select_related("region")
        .filter(region_id__in=regions, status=CatalogVersion.Status.DRAFT)
        .order_by("-pk")
    )


# --- Satisfaction per provider (read by the credit app's reports to registration authorities) -------


def satisfaction_by_provider(
    provider_ids: list[int], start: Any, end: Any
) -> dict[int, tuple[rules.SurveySummary, bool]]:
    """Each provider's recipients' satisfaction from the survey answers submitted in [start, end)
    on its contracts (an answer is satisfied when its average rating reaches 4 of 5, as in
    `services.surveys.summary`), and whether the figures may be shown: only from the policy's
    minimum of answers, so that no one answer can be told from them. One query for the answers."""
    rows = Answer.objects.filter(
        survey__contract__provider_id__in=provider_ids, submitted_at__gte=start, submitted_at__lt=end
    ).values_list("survey__contract__provider_id", "ratings")
    answers: dict[int, int] = defaultdict(int)
    satisfied: dict[int, int] = defaultdict(int)
    for provider_id, ratings in rows:
        answers[provider_id] += 1
        if ratings and sum(ratings) / len(ratings) >= rules.SATISFIED_FROM:
            satisfied[provider_id] += 1
    invitations = dict(
        Invitation.objects.filter(
            survey__contract__provider_id__in=list(answers), issued_at__gte=start, issued_at__lt=end
        )
        .values_list("survey__contract__provider_id")
        .annotate(n=Count("pk"))
    )
    today = timezone.localdate()
    policy = Policy.objects.filter(effective_from__lte=today).order_by("-effective_from").first()
    minimum = policy.min_answers if policy is not None else rules.DEFAULT_MIN_ANSWERS
    return {
        pk: (
            rules.SurveySummary(invitations=invitations.get(pk, 0), answers=n, satisfied=satisfied[pk]),
            rules.aggregates_visible(n, minimum),
        )
        for pk, n in answers.items()
    }
