"""Walk a round through its states with the personas (tests and the demo read alike)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from govbuy.performance.models import EvaluationRound
from govbuy.performance.services import rounds, surveys


def scores_for(obj: EvaluationRound, *, good: bool = True) -> list[dict]:
    values = {
        "ratio": "1250" if good else "500",
        "graded": None,
        "yes_no": None,
    }
    out = []
    for indicator in obj.template.indicators.all():
        row = {"indicator": indicator.pk, "evidence": "服务台账", "comment": "按记录核实"}
        if indicator.rule == "graded":
            row["value"] = str(indicator.weight if good else 0)
        elif indicator.rule == "yes_no":
            row["achieved"] = good
        elif indicator.target_source == "cost_lines":
            row["value"] = "20000" if good else "60000"
        else:
            row["value"] = values["ratio"]
        out.append(row)
    return out


def survey_with_answers(world, contract, obj=None, *, n=6, rating=5, extra=2):
    survey = surveys.open_survey(
        actor=world.purchaser_a,
        contract=contract,
        round=obj,
        title="居家养老服务满意度调查",
        questions=["服务态度", "服务质量", "服务及时性"],
        closes_at=timezone.now() + timedelta(days=30),
    )
    survey, codes = surveys.issue_invitations(
        actor=world.purchaser_a, survey=survey, version=survey.version, count=n + extra
    )
    for i, code in enumerate(codes[:n]):
        surveys.submit_answer(code=code, ratings=[rating, rating, max(1, rating - i % 2)], client_address=f"10.0.0.{i}")
    return survey, codes


def to_awaiting(world, obj: EvaluationRound, *, good: bool = True) -> EvaluationRound:
    obj = rounds.enter_scores(actor=world.provider_a, round=obj, version=obj.version, scores=scores_for(obj))
    obj = rounds.submit_self_assessment(actor=world.provider_a, round=obj, version=obj.version)
    obj = rounds.enter_scores(
        actor=world.purchaser_a, round=obj, version=obj.version, scores=scores_for(obj, good=good)
    )
    return rounds.submit_evaluation(actor=world.purchaser_a, round=obj, version=obj.version)
