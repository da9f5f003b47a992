"""The demo (`manage.py seed_demo`) holds templates for three categories and evaluations in every
state it can reach with the demo contracts, through the services; loading twice changes nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from govbuy.performance.models import (
    Answer,
    EvaluationRound,
    IndicatorTemplate,
    SurveyFlag,
    ThirdPartyCommission,
)

pytestmark = pytest.mark.django_db


def test_the_demo_has_evaluations_in_every_state():
    call_command("seed_demo", verbosity=0)
    assert set(IndicatorTemplate.objects.values_list("category_code", flat=True)) == {"A05", "B03", "A08"}
    states = set(EvaluationRound.objects.values_list("status", flat=True))
    assert {"published", "finance_review", "provider_response", "awaiting_approval", "self_assessment"} <= states
    assert EvaluationRound.objects.filter(status="published", reevaluated_at__isnull=False).exists()
    assert ThirdPartyCommission.objects.filter(status="reported").exists()
    assert Answer.objects.count() >= 20
    assert SurveyFlag.objects.filter(kind="burst").exists()
    rounds_before = EvaluationRound.objects.count()
    call_command("seed_demo", verbosity=0)
    assert EvaluationRound.objects.count() == rounds_before
