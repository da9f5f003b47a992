"""Evaluation rounds of a contract: opening, the scores of each party, the provider's
self-assessment, the purchaser's evaluation with four eyes, the finance bureau's re-evaluation,
the provider's response and publication. Score and grade are computed, never entered."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.contracts.models import Contract, ContractStatus, Milestone
from govbuy.core import facts, publication
from govbuy.core.calendar.rules import get_calendar
from govbuy.core.errors import NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.organizations.models import Region
from govbuy.organizations.scope import scope_for
from govbuy.performance import rules
from govbuy.performance.models import (
    EvaluationRound,
    Grade,
    Indicator,
    IndicatorTemplate,
    ProviderResponse,
    RoundKind,
    RoundStatus,
    Score,
    ScoredBy,
    ScoringRule,
    TargetSource,
    ThirdPartyCommission,
)
from govbuy.performance.services import common, report

EVALUABLE = (ContractStatus.PUBLISHED, ContractStatus.COMPLETED, ContractStatus.TERMINATED)


def category_codes(contract: Contract) -> list[str]:
    """The codes of the contract's catalog item and its ancestors, most specific first."""
    codes = []
    item = contract.project.catalog_item
    while item is not None:
        codes.append(item.code)
        item = item.parent
    return codes


def template_for(contract: Contract) -> IndicatorTemplate:
    """The template in force today for the most specific category of the contract's item that
    has one (an item's own template, else its sub-category's, else its category's)."""
    codes = category_codes(contract)
    rows = IndicatorTemplate.objects.filter(category_code__in=codes, effective_from__lte=timezone.localdate())
    found = sorted(rows, key=lambda t: (codes.index(t.category_code), -t.effective_from.toordinal(), -t.number))
    if not found:
        raise ValidationFailed(
            _("The finance bureau has no indicator template in force for this contract's catalog category."),
            code="no_template",
        )
    return found[0]


def open_round(
    *,
    actor: Any,
    contract: Contract | int,
    kind: str,
    milestone: Milestone | int | None = None,
    select_reevaluation: bool = False,
) -> EvaluationRound:
    """The purchaser opens a periodic or final round; the provider then assesses itself."""
    if kind not in RoundKind.values:
        raise ValidationFailed(_("Choose periodic or final."), code="round_kind")
    with transaction.atomic():
        locked = (
            Contract.objects.select_for_update(of=("self",))
            .select_related("region", "project__catalog_item")
            .filter(pk=common.as_int(getattr(contract, "pk", contract)))
            .first()
        )
        if locked is None or not rules.acts_for_purchaser(scope_for(actor), locked.purchaser_id):
            raise NotFound()
        if locked.status not in EVALUABLE:
            raise TransitionRefused(
                _("Only a contract in delivery or ended can be evaluated."), code="contract_not_evaluable"
            )
        stage = None
        if milestone is not None:
            stage = Milestone.objects.filter(
                pk=common.as_int(getattr(milestone, "pk", milestone)), contract=locked
            ).first()
            if stage is None:
                raise ValidationFailed(_("The milestone is not one of this contract's."), code="milestone")
        if (
            kind == RoundKind.FINAL
            and EvaluationRound.objects.filter(contract=locked, kind=RoundKind.FINAL)
            .exclude(status=RoundStatus.CANCELLED)
            .exists()
        ):
            raise TransitionRefused(_("This contract already has a final evaluation."), code="final_exists")
        template = template_for(locked)
        required = rules.requires_reevaluation(
            city_level=locked.region.level == Region.Level.CITY,
            value=locked.value,
            day=timezone.localdate(),
            rows=common.thresholds(),
        )
        number = (EvaluationRound.objects.filter(contract=locked).aggregate(n=Max("number"))["n"] or 0) + 1
        created = EvaluationRound.objects.create(
            contract=locked,
            number=number,
            kind=kind,
            milestone=stage,
            template=template,
            reevaluation_required=required,
            reevaluation_selected=bool(select_reevaluation) and not required,
            created_by=actor,
        )
        created.contract = locked
        common.round_event(
            actor,
            "performance.round.opened",
            created,
            locked.purchaser_id,
            kind=kind,
            template=template.number,
            key_project=required,
        )
    return created


def _party(actor: Any, obj: EvaluationRound) -> str:
    """Which party the actor scores for in the round's current state (404 when none)."""
    scope = scope_for(actor)
    contract = obj.contract
    if obj.status == RoundStatus.SELF_ASSESSMENT and rules.acts_for_provider(scope, contract.provider_id):
        return ScoredBy.SELF
    if obj.status == RoundStatus.PURCHASER_EVALUATION and rules.acts_for_purchaser(scope, contract.purchaser_id):
        return ScoredBy.PURCHASER
    if obj.status == RoundStatus.FINANCE_REVIEW and rules.acts_as_finance(scope, contract.region_id):
        return ScoredBy.FINANCE
    evaluators = set(
        ThirdPartyCommission.objects.filter(round=obj, status="active").values_list("evaluator_id", flat=True)
    )
    if any(scope.writes_for(e) for e in evaluators) and obj.status not in (
        RoundStatus.PROVIDER_RESPONSE,
        RoundStatus.PUBLISHED,
        RoundStatus.CANCELLED,
    ):
        return ScoredBy.THIRD_PARTY
    if sees_round(actor, obj):
        raise PermissionRefused(_("You cannot score this round in its current state."), code="not_your_turn")
    raise NotFound()


def sees_round(actor: Any, obj: EvaluationRound) -> bool:
    scope = scope_for(actor)
    contract = obj.contract
    return (
        scope.sees_organisation(contract.purchaser)
        or contract.provider_id in scope.organisation_ids
        or ThirdPartyCommission.objects.filter(round=obj, evaluator_id__in=scope.organisation_ids).exists()
    )


def _target(indicator: Indicator, obj: EvaluationRound) -> Decimal | None:
    """Where the indicator's target comes from (design: the project's targets and cost lines)."""
    project = obj.contract.project
    if indicator.target_source == TargetSource.PROJECT_TARGET:
        row = project.targets.filter(name=indicator.target_key).values_list("target_value", flat=True).first()
        return row if row is not None else indicator.target_value
    if indicator.target_source == TargetSource.COST_LINES:
        lines = project.cost_lines.all()
        if indicator.target_key:
            lines = lines.filter(category=indicator.target_key)
        return lines.aggregate(total=Sum("amount"))["total"] or indicator.target_value
    return indicator.target_value


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationFailed(
            _("Give a number."), code="not_a_number", fields={"value": [_("Give a number.")]}
        ) from None


def _survey_rate(obj: EvaluationRound) -> Decimal:
    from govbuy.performance.services.surveys import summary_for_round

    summary, visible = summary_for_round(obj)
    if summary is None or not visible:
        raise ValidationFailed(
            _("The satisfaction indicator is filled from the survey, which has too few answers yet."),
            code="survey_too_small",
        )
    return summary.satisfaction_rate


def enter_scores(
    *, actor: Any, round: EvaluationRound | int, version: Any, scores: list[dict[str, Any]]
) -> EvaluationRound:
    """Scores of the actor's party for some indicators: a value (ratio), achieved or not (yes/no)
    or points (graded), each with its evidence and comment. Points are computed by the rules."""
    with transaction.atomic():
        obj = common.lock_round(getattr(round, "pk", round))
        party = _party(actor, obj)
        common.check_version(obj, version)
        indicators = {i.pk: i for i in obj.template.indicators.all()}
        changed = []
        for row in scores:
            indicator = indicators.get(common.as_int(row.get("indicator")))
            if indicator is None:
                raise ValidationFailed(_("The indicator is not in this round's template."), code="indicator_unknown")
            target = _target(indicator, obj)
            value = _decimal(row.get("value"))
            if indicator.target_source == TargetSource.SURVEY and party != ScoredBy.SELF:
                value = _survey_rate(obj)
            achieved = row.get("achieved")
            earned = rules.points(
                rules.ScoreInput(
                    rule=indicator.rule,
                    weight=indicator.weight,
                    value=value,
                    target=target,
                    achieved=None if achieved in (None, "") else achieved in (True, "true", "1", "on", "yes"),
                    direction=indicator.direction,
                ),
                bands=[rules.RatioBand(Decimal(str(f)), Decimal(str(x)), bool(p)) for f, x, p in indicator.bands]
                or rules.DEFAULT_BANDS,
            )
            Score.objects.update_or_create(
                round=obj,
                indicator=indicator,
                by=party,
                defaults={
                    "value": value if indicator.rule != ScoringRule.YES_NO else None,
                    "achieved": None
                    if indicator.rule != ScoringRule.YES_NO
                    else achieved in (True, "true", "1", "on", "yes"),
                    "target": target,
                    "points": earned,
                    "evidence": str(row.get("evidence") or "")[:4000],
                    "comment": str(row.get("comment") or "")[:4000],
                    "scored_by": actor,
                },
            )
            changed.append(indicator.name)
        obj.version += 1
        obj.save(update_fields=["version", "updated_at"])
        common.round_event(actor, "performance.round.scored", obj, None, party=party, indicators=", ".join(changed))
    return obj


def _totals(obj: EvaluationRound, party: str) -> tuple[Decimal, str]:
    """The total and grade from one party's scores; every indicator must be scored."""
    earned = dict(Score.objects.filter(round=obj, by=party).values_list("indicator_id", "points"))
    missing = [i.name for i in obj.template.indicators.all() if i.pk not in earned]
    if missing:
        raise ValidationFailed(
            _("Score every indicator first; missing: %(names)s.") % {"names": "、".join(missing)}, code="scores_missing"
        )
    total = rules.total_score(earned.values())
    return total, rules.grade_for(total)


def _move(
    actor: Any, obj: EvaluationRound, after: str, action: str, fields: list[str], organisation: Any, **data: Any
) -> None:
    before = obj.status
    rules.check_round_transition(before, after)
    obj.status = after
    obj.version += 1
    obj.save(update_fields=["status", "version", "updated_at", *fields])
    common.round_event(actor, action, obj, organisation, {"status": (before, after)}, **data)


def submit_self_assessment(*, actor: Any, round: EvaluationRound | int, version: Any) -> EvaluationRound:
    with transaction.atomic():
        obj = common.lock_round(getattr(round, "pk", round))
        if not rules.acts_for_provider(scope_for(actor), obj.contract.provider_id):
            raise NotFound()
        common.check_version(obj, version)
        total, _grade = _totals(obj, ScoredBy.SELF)
        obj.self_submitted_at = timezone.now()
        _move(
            actor,
            obj,
            RoundStatus.PURCHASER_EVALUATION,
            "performance.round.self_assessed",
            ["self_submitted_at"],
            obj.contract.provider_id,
            total=str(total),
        )
    return obj


def _purchaser_round(actor: Any, round: Any, version: Any) -> EvaluationRound:
    obj = common.lock_round(getattr(round, "pk", round))
    if not rules.acts_for_purchaser(scope_for(actor), obj.contract.purchaser_id):
        raise NotFound()
    common.check_version(obj, version)
    return obj


def submit_evaluation(*, actor: Any, round: EvaluationRound | int, version: Any) -> EvaluationRound:
    """The purchaser's evaluator submits; a different person finalises (four eyes)."""
    with transaction.atomic():
        obj = _purchaser_round(actor, round, version)
        total, _grade = _totals(obj, ScoredBy.PURCHASER)
        obj.submitted_by, obj.submitted_at = actor, timezone.now()
        _move(
            actor,
            obj,
            RoundStatus.AWAITING_APPROVAL,
            "performance.round.submitted",
            ["submitted_by", "submitted_at"],
            obj.contract.purchaser_id,
            total=str(total),
        )
    return obj


def return_evaluation(*, actor: Any, round: EvaluationRound | int, version: Any, reason: str) -> EvaluationRound:
    text = str(reason or "").strip()
    if not text:
        raise ValidationFailed(_("Give the reason for returning it."), code="reason_missing")
    with transaction.atomic():
        obj = _purchaser_round(actor, round, version)
        _move(
            actor,
            obj,
            RoundStatus.PURCHASER_EVALUATION,
            "performance.round.returned",
            [],
            obj.contract.purchaser_id,
            reason=text[:2000],
        )
    return obj


def _notify_provider(obj: EvaluationRound) -> list[str]:
    now = timezone.now()
    policy = common.policy_on(timezone.localdate())
    obj.notified_at = now
    obj.response_due = rules.response_deadline(now, get_calendar(), common.response_period(policy))
    return ["notified_at", "response_due"]


def finalise(*, actor: Any, round: EvaluationRound | int, version: Any) -> EvaluationRound:
    """A second person of the purchaser finalises: the score and grade are computed; a key
    project (or one selected) goes to the finance bureau, any other to the provider's response."""
    with transaction.atomic():
        obj = _purchaser_round(actor, round, version)
        rules.check_four_eyes(submitted_by=obj.submitted_by_id, approver=actor.pk)
        total, grade = _totals(obj, ScoredBy.PURCHASER)
        obj.total, obj.grade = total, grade
        obj.finalised_by, obj.finalised_at = actor, timezone.now()
        after = rules.after_approval(reevaluate=obj.reevaluation_required or obj.reevaluation_selected)
        fields = ["total", "grade", "finalised_by", "finalised_at"]
        if after == RoundStatus.PROVIDER_RESPONSE:
            fields += _notify_provider(obj)
        _move(
            actor,
            obj,
            after,
            "performance.round.finalised",
            fields,
            obj.contract.purchaser_id,
            total=str(total),
            grade=grade,
        )
    return obj


def select_for_reevaluation(*, actor: Any, round: EvaluationRound | int, version: Any) -> EvaluationRound:
    """The finance bureau selects any round, before it is finalised, for its re-evaluation."""
    with transaction.atomic():
        obj = common.lock_round(getattr(round, "pk", round))
        if not rules.acts_as_finance(scope_for(actor), obj.contract.region_id):
            raise NotFound()
        common.check_version(obj, version)
        if obj.status not in (
            RoundStatus.SELF_ASSESSMENT,
            RoundStatus.PURCHASER_EVALUATION,
            RoundStatus.AWAITING_APPROVAL,
        ):
            raise TransitionRefused(_("The round is already finalised."), code="round_finalised")
        obj.reevaluation_selected = True
        obj.version += 1
        obj.save(update_fields=["reevaluation_selected", "version", "updated_at"])
        common.round_event(actor, "performance.round.selected", obj, None)
    return obj


def reevaluate(*, actor: Any, round: EvaluationRound | int, version: Any) -> EvaluationRound:
    """The finance bureau's re-evaluation (再評價): its scores decide the result."""
    with transaction.atomic():
        obj = common.lock_round(getattr(round, "pk", round))
        if not rules.acts_as_finance(scope_for(actor), obj.contract.region_id):
            raise NotFound()
        common.check_version(obj, version)
        total, grade = _totals(obj, ScoredBy.FINANCE)
        before = (str(obj.total), obj.grade)
        obj.total, obj.grade = total, grade
        obj.reevaluated_by, obj.reevaluated_at = actor, timezone.now()
        fields = ["total", "grade", "reevaluated_by", "reevaluated_at", *_notify_provider(obj)]
        _move(
            actor,
            obj,
            RoundStatus.PROVIDER_RESPONSE,
            "performance.round.reevaluated",
            fields,
            None,
            total=str(total),
            grade=grade,
            before=" ".join(before),
        )
    return obj


def respond(*, actor: Any, round: EvaluationRound | int, version: Any, body: str) -> ProviderResponse:
    text = str(body or "").strip()
    if not text:
        raise ValidationFailed(_("Write the response."), code="response_empty")
    with transaction.atomic():
        obj = common.lock_round(getattr(round, "pk", round))
        if not rules.acts_for_provider(scope_for(actor), obj.contract.provider_id):
            raise NotFound()
        common.check_version(obj, version)
        if obj.status != RoundStatus.PROVIDER_RESPONSE or ProviderResponse.objects.filter(round=obj).exists():
            raise TransitionRefused(_("The result is not open for your response."), code="response_closed")
        response = ProviderResponse.objects.create(round=obj, body=text[:4000], responded_by=actor)
        obj.version += 1
        obj.save(update_fields=["version", "updated_at"])
        common.round_event(actor, "performance.round.responded", obj, obj.contract.provider_id)
    return response


def publish(*, actor: Any, round: EvaluationRound | int, version: Any) -> EvaluationRound:
    """Publish the result once the provider has responded or its response period has ended. A
    差 (or 優) grade is a fact for the provider's credit record."""
    with transaction.atomic():
        obj = _purchaser_round(actor, round, version)
        now = timezone.now()
        responded = ProviderResponse.objects.filter(round=obj).exists()
        period = common.response_period(common.policy_on(timezone.localdate()))
        if obj.notified_at is not None and not rules.may_publish(
            now=now, notified_at=obj.notified_at, responded=responded, calendar=get_calendar(), limit=period
        ):
            due = rules.response_deadline(obj.notified_at, get_calendar(), period)
            raise TransitionRefused(
                _("The provider may respond until %(due)s; publish after that.")
                % {"due": timezone.localtime(due).strftime("%Y-%m-%d %H:%M")},
                code="response_period",
            )
        obj.published_at = now
        fields = ["published_at", *report.store_report(obj)]
        _move(
            actor,
            obj,
            RoundStatus.PUBLISHED,
            "performance.round.published",
            fields,
            obj.contract.purchaser_id,
            grade=obj.grade,
            report_sha256=obj.report_sha256,
        )
        if obj.kind == RoundKind.FINAL:
            # The final evaluation is an implementation document of the contracting process (OCDS).
            publication.announce(
                "implementationUpdate", obj_type="performance.evaluationround", obj_id=obj.pk, occurred_at=now
            )
        kinds = {str(Grade.POOR): "performance.grade_poor", str(Grade.EXCELLENT): "performance.grade_excellent"}
        kind = kinds.get(obj.grade)
        if kind:
            facts.report(
                kind,
                provider_id=obj.contract.provider_id,
                source_type="performance.evaluationround",
                source_id=obj.pk,
                occurred_at=now,
                actor=actor,
                summary=f"合同{obj.contract.reference}绩效评价得分{obj.total}，等级{Grade(obj.grade).label}",
                data={"contract": obj.contract_id, "total": str(obj.total), "grade": obj.grade, "kind": obj.kind},
            )
    return obj
