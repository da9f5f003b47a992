"""The demo (`manage.py seed_demo`) holds templates for three categories and evaluations in every
state it can reach, of contracts in elderly care, community social work and health, through the
services; a milestone tied to its evaluation is paid only once the round is published, and loading
twice changes nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from govbuy.contracts.models import Milestone, Payment
from govbuy.core.storage import read_verified
from govbuy.performance.models import (
    Answer,
    EvaluationRound,
    IndicatorTemplate,
    PublicConsultation,
    SurveyFlag,
    ThirdPartyCommission,
)

pytestmark = pytest.mark.django_db


def test_the_demo_has_evaluations_in_every_state():
    call_command("seed_demo", verbosity=0)
    assert set(IndicatorTemplate.objects.values_list("category_code", flat=True)) == {"A05", "B03", "A08"}
    states = set(EvaluationRound.objects.values_list("status", flat=True))
    assert {
        "published",
        "finance_review",
        "provider_response",
        "awaiting_approval",
        "purchaser_evaluation",
        "self_assessment",
    } <= states
    assert set(EvaluationRound.objects.values_list("template__category_code", flat=True)) == {"A05", "B03", "A08"}
    assert EvaluationRound.objects.filter(status="published", reevaluated_at__isnull=False).exists()
    assert ThirdPartyCommission.objects.filter(status="reported").exists()
    assert Answer.objects.count() >= 20
    assert SurveyFlag.objects.filter(kind="burst").exists()
    published = EvaluationRound.objects.filter(status="published").exclude(report_path="")
    assert published.exists()
    first = published.first()
    assert read_verified(first.report_path, first.report_sha256).startswith(b"%PDF")
    # The tied milestones: paid after the published round, waiting while the round is open.
    tied = {m.evaluation_rounds.get().status: m for m in Milestone.objects.filter(needs_evaluation=True)}
    assert Payment.objects.filter(milestone=tied["published"]).exists()
    assert tied["purchaser_evaluation"].status == "accepted"
    assert not Payment.objects.filter(milestone=tied["purchaser_evaluation"]).exists()
    # Public consultations: a finance bureau's draft catalog with a published comment and its
    # summary; a purchaser's draft plan open for comment now.
    catalog = PublicConsultation.objects.get(subject="catalog")
    assert catalog.status == "summarised"
    assert catalog.catalog_version.status == "draft"
    assert catalog.comments.filter(status="published").count() == 1
    assert catalog.summary_received
    plan = PublicConsultation.objects.get(subject="annual_plan")
    assert plan.opens_at < timezone.now() < plan.closes_at
    rounds_before = EvaluationRound.objects.count()
    call_command("seed_demo", verbosity=0)
    assert EvaluationRound.objects.count() == rounds_before
    assert PublicConsultation.objects.count() == 2
