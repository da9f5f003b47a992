"""Evaluation rounds through the services: computed score and grade, four eyes, key projects,
the response period, the credit fact of a 差 grade, and who may act."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from govbuy.audit.models import AuditEvent
from govbuy.core import facts
from govbuy.core.errors import NotFound, TransitionRefused, ValidationFailed
from govbuy.performance.models import EvaluationRound, IndicatorTemplate, Score
from govbuy.performance.services import rounds, templates
from tests.builders.performance import INDICATORS, make_contract, scores_for, survey_with_answers, to_awaiting

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(monkeypatch):
    seen: list[facts.ProviderFact] = []
    monkeypatch.setattr(facts, "_handlers", [(0, seen.append)])
    return seen


def open_final(world, contract):
    return rounds.open_round(actor=world.purchaser_a, contract=contract, kind="final")


class TestTemplates:
    def test_city_finance_saves_a_new_version_each_time(self, world, template):
        again = templates.create_template(
            actor=world.city_finance,
            category_code="A05",
            category_name="养老服务",
            effective_from=template.effective_from,
            indicators=INDICATORS,
        )
        assert (template.number, again.number) == (1, 2)
        assert AuditEvent.objects.filter(action="performance.template.created").count() == 2

    def test_weights_not_summing_to_100_change_nothing(self, world):
        bad = [dict(row, weight="10") for row in INDICATORS]
        with pytest.raises(ValidationFailed):
            templates.create_template(
                actor=world.city_finance,
                category_code="A05",
                category_name="养老服务",
                effective_from=timezone.localdate(),
                indicators=bad,
            )
        assert not IndicatorTemplate.objects.exists()

    @pytest.mark.parametrize("persona", ["district_finance_a", "purchaser_a", "outsider"])
    def test_only_city_finance_edits_templates(self, world, persona):
        with pytest.raises(NotFound):
            templates.create_template(
                actor=getattr(world, persona),
                category_code="A05",
                category_name="养老服务",
                effective_from=timezone.localdate(),
                indicators=INDICATORS,
            )


class TestRoundFlow:
    def test_score_and_grade_are_computed_and_four_eyes_finalise(self, world, template, contract, reported):
        obj = open_final(world, contract)
        assert obj.template == template
        survey_with_answers(world, contract, obj)
        obj = to_awaiting(world, obj)
        with pytest.raises(ValidationFailed) as caught:
            rounds.finalise(actor=world.purchaser_a, round=obj, version=obj.version)
        assert caught.value.code == "four_eyes"
        obj = rounds.finalise(actor=world.purchaser_a_approver, round=obj, version=obj.version)
        assert obj.status == "provider_response"
        assert obj.total == Decimal("100.00")
        assert obj.grade == "excellent"
        assert obj.response_due > obj.notified_at
        satisfaction = Score.objects.get(round=obj, by="purchaser", indicator__family="satisfaction")
        assert satisfaction.value == Decimal("100.00")  # every answer averaged ≥ 4

    def test_a_poor_grade_is_reported_as_a_fact_when_published(self, world, template, contract, reported):
        obj = open_final(world, contract)
        survey_with_answers(world, contract, obj, rating=1)
        obj = to_awaiting(world, obj, good=False)
        obj = rounds.finalise(actor=world.purchaser_a_approver, round=obj, version=obj.version)
        assert obj.grade == "poor"
        with pytest.raises(TransitionRefused):
            rounds.publish(actor=world.purchaser_a, round=obj, version=obj.version)
        assert reported == []
        rounds.respond(actor=world.provider_a, round=obj, version=obj.version, body="对评价结果有异议，已补充台账。")
        obj.refresh_from_db()
        obj = rounds.publish(actor=world.purchaser_a, round=obj, version=obj.version)
        assert obj.status == "published"
        assert [f.kind for f in reported] == ["performance.grade_poor"]
        assert reported[0].provider_id == world.provider_a_org.pk

    def test_publishable_after_the_response_period_without_a_response(self, world, template, contract, reported):
        obj = open_final(world, contract)
        survey_with_answers(world, contract, obj)
        obj = to_awaiting(world, obj)
        obj = rounds.finalise(actor=world.purchaser_a_approver, round=obj, version=obj.version)
        EvaluationRound.objects.filter(pk=obj.pk).update(notified_at=timezone.now() - timedelta(days=20))
        obj.refresh_from_db()
        assert rounds.publish(actor=world.purchaser_a, round=obj, version=obj.version).status == "published"

    def test_graded_score_outside_its_range_is_refused(self, world, template, contract):
        obj = open_final(world, contract)
        graded = obj.template.indicators.get(rule="graded", family="output_quality")
        with pytest.raises(ValidationFailed):
            rounds.enter_scores(
                actor=world.provider_a,
                round=obj,
                version=obj.version,
                scores=[{"indicator": graded.pk, "value": "20.5"}],
            )
        assert not Score.objects.exists()

    def test_satisfaction_needs_the_minimum_number_of_answers(self, world, template, contract):
        obj = open_final(world, contract)
        survey_with_answers(world, contract, obj, n=3)
        sat = obj.template.indicators.get(family="satisfaction")
        obj = rounds.enter_scores(
            actor=world.provider_a, round=obj, version=obj.version, scores=[{"indicator": sat.pk, "value": "95"}]
        )
        obj = rounds.enter_scores(actor=world.provider_a, round=obj, version=obj.version, scores=scores_for(obj))
        obj = rounds.submit_self_assessment(actor=world.provider_a, round=obj, version=obj.version)
        with pytest.raises(ValidationFailed) as caught:
            rounds.enter_scores(actor=world.purchaser_a, round=obj, version=obj.version, scores=[{"indicator": sat.pk}])
        assert caught.value.code == "survey_too_small"

    def test_the_provider_cannot_score_as_the_purchaser(self, world, template, contract):
        obj = open_final(world, contract)
        obj = rounds.enter_scores(actor=world.provider_a, round=obj, version=obj.version, scores=[])
        with pytest.raises(NotFound):
            rounds.enter_scores(actor=world.provider_b, round=obj, version=obj.version, scores=[])
        with pytest.raises(NotFound):
            rounds.submit_evaluation(actor=world.provider_a, round=obj, version=obj.version)

    @pytest.mark.parametrize("persona", ["outsider", "purchaser_b", "provider_a", "evaluator"])
    def test_only_the_purchaser_opens_a_round(self, world, template, contract, persona):
        with pytest.raises(NotFound):
            rounds.open_round(actor=getattr(world, persona), contract=contract, kind="periodic")

    def test_a_second_final_round_is_refused(self, world, template, contract):
        open_final(world, contract)
        with pytest.raises(TransitionRefused):
            open_final(world, contract)


class TestKeyProjects:
    def test_city_contract_over_the_threshold_goes_to_finance(self, world, template, project):
        contract = make_contract(world, project, value="2500000.00", region=world.city)
        obj = open_final(world, contract)
        assert obj.reevaluation_required
        survey_with_answers(world, contract, obj)
        obj = to_awaiting(world, obj)
        obj = rounds.finalise(actor=world.purchaser_a_approver, round=obj, version=obj.version)
        assert obj.status == "finance_review"
        rows = scores_for(obj, good=False)
        obj = rounds.enter_scores(actor=world.city_finance, round=obj, version=obj.version, scores=rows)
        obj = rounds.reevaluate(actor=world.city_finance, round=obj, version=obj.version)
        assert obj.status == "provider_response"
        assert obj.grade == "poor"  # the finance bureau's scores decide

    def test_district_contract_is_not_required_but_may_be_selected(self, world, template, contract):
        obj = open_final(world, contract)
        assert not obj.reevaluation_required
        obj = rounds.select_for_reevaluation(actor=world.district_finance_a, round=obj, version=obj.version)
        assert obj.reevaluation_selected
        with pytest.raises(NotFound):
            rounds.select_for_reevaluation(actor=world.district_finance_b, round=obj, version=obj.version)


def test_every_performance_event_has_a_sentence(world, template, contract, reported):
    from govbuy.audit.describe import describe, registered_codes

    obj = open_final(world, contract)
    survey_with_answers(world, contract, obj)
    obj = to_awaiting(world, obj)
    obj = rounds.return_evaluation(
        actor=world.purchaser_a_approver, round=obj, version=obj.version, reason="请补充证据"
    )
    obj = rounds.submit_evaluation(actor=world.purchaser_a, round=obj, version=obj.version)
    obj = rounds.finalise(actor=world.purchaser_a_approver, round=obj, version=obj.version)
    rounds.respond(actor=world.provider_a, round=obj, version=obj.version, body="无异议")
    obj.refresh_from_db()
    rounds.publish(actor=world.purchaser_a, round=obj, version=obj.version)
    events = AuditEvent.objects.filter(action__startswith="performance.")
    assert {e.action for e in events} <= registered_codes()
    assert len({e.action for e in events}) >= 12
    for event in events:
        assert "performance." not in describe(event)
