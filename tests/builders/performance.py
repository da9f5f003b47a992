"""Performance helpers of the one test builder: the elderly-care indicator template, a contract
in delivery for provider A, a survey with answers, a round walked to awaiting confirmation, and
published rounds. The fixtures at the end are registered for every test by the root conftest."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from govbuy.contracts.models import Contract
from govbuy.performance.models import EvaluationRound
from govbuy.performance.services import rounds, surveys, templates

INDICATORS = [
    {
        "family": "output_quantity",
        "name": "上门服务人次",
        "weight": "30",
        "rule": "ratio",
        "unit": "人次",
        "target_source": "template",
        "target_value": "1200",
    },
    {"family": "output_quality", "name": "服务记录完整规范", "weight": "20", "rule": "graded"},
    {"family": "output_timeliness", "name": "按时提交月度报告", "weight": "10", "rule": "yes_no"},
    {
        "family": "output_cost",
        "name": "服务管理费用",
        "weight": "10",
        "rule": "ratio",
        "direction": "lower",
        "target_source": "cost_lines",
        "target_key": "management",
    },
    {"family": "benefit_social", "name": "老人居家安全事件下降", "weight": "10", "rule": "graded"},
    {
        "family": "satisfaction",
        "name": "服务对象满意度",
        "weight": "20",
        "rule": "ratio",
        "unit": "%",
        "target_source": "survey",
        "target_value": "90",
    },
]


def make_contract(world, project, *, value="180000.00", status="published", provider=None, region=None):
    now = timezone.now()
    return Contract.objects.create(
        reference=f"HT-{project.pk}-{Contract.objects.count() + 1}",
        title=project.title,
        basis="commission",
        commission_reason="试点委托",
        purchaser=project.purchaser,
        provider=provider or world.provider_a_org,
        region=region or project.region,
        project=project,
        award_notice_at=now,
        content="上门助老服务",
        quantity_quality="1200人次，合格率95%",
        settlement="按季度支付",
        rights_duties="见合同",
        liability="见合同",
        original_value=Decimal(value),
        value=Decimal(value),
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
        status=status,
        signed_at=now,
        published_at=now,
    )


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


def published_rounds(world, contract, template, n=1, grade="good"):
    last = EvaluationRound.objects.filter(contract=contract).count()
    for i in range(n):
        EvaluationRound.objects.create(
            contract=contract,
            number=last + i + 1,
            kind="periodic",
            template=template,
            status="published",
            total=Decimal("85.00"),
            grade=grade,
            published_at=timezone.now(),
        )


# --- Fixtures (registered for every test by the root conftest) ---------------------------------


@pytest.fixture
def template(world):
    return templates.create_template(
        actor=world.city_finance,
        category_code="A05",
        category_name="养老服务",
        effective_from=dt.date(2020, 1, 1),
        indicators=INDICATORS,
    )


@pytest.fixture
def contract(world, approved):
    """A contract in delivery for provider A on purchaser A's approved project."""
    return make_contract(world, approved)
