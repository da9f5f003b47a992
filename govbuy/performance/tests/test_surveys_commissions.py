"""Satisfaction surveys (one answer per code, keyed hashes, guessing refused, anonymity, flags,
minimum answers) and third-party commissions (refusals, commission-only access, the report)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from govbuy.core.errors import NotFound, RateLimited, TransitionRefused, ValidationFailed
from govbuy.core.tests.test_uploads import make_pdf
from govbuy.performance import rules
from govbuy.performance.models import Answer, CommissionStatus, Invitation, Score, SurveyFlag, ThirdPartyCommission
from govbuy.performance.services import commissions, rounds, surveys
from govbuy.providers.models import RelatedParty
from tests.builders.performance import make_contract, scores_for, survey_with_answers

pytestmark = pytest.mark.django_db


class TestSurveys:
    def test_a_code_is_stored_only_as_its_keyed_hash(self, world, template, contract):
        _survey, codes = survey_with_answers(world, contract, n=0)
        stored = set(Invitation.objects.values_list("code_hash", flat=True))
        assert not set(codes) & stored
        assert rules.hash_code(codes[0], surveys.code_key()) in stored

    def test_one_answer_per_code(self, world, template, contract):
        survey, codes = survey_with_answers(world, contract, n=1)
        with pytest.raises(ValidationFailed) as caught:
            surveys.submit_answer(code=codes[0], ratings=[5, 5, 5], client_address="10.1.1.1")
        assert caught.value.code == "code_invalid"
        assert Answer.objects.filter(survey=survey).count() == 1

    def test_a_guessed_code_is_refused_then_rate_limited(self, world, template, contract):
        _survey, codes = survey_with_answers(world, contract, n=0)
        for _i in range(rules.DEFAULT_CODE_ATTEMPTS):
            with pytest.raises(ValidationFailed):
                surveys.submit_answer(code=rules.new_code(), ratings=[5, 5, 5], client_address="10.9.9.9")
        with pytest.raises(RateLimited):
            surveys.submit_answer(code=codes[0], ratings=[5, 5, 5], client_address="10.9.9.9")
        assert not Answer.objects.exists()
        # another sender is not affected
        surveys.submit_answer(code=codes[0], ratings=[5, 5, 5], client_address="10.9.9.8")

    def test_an_answer_has_no_link_to_a_person_or_its_code(self):
        fields = {f.name for f in Answer._meta.get_fields()}
        assert not fields & {"user", "invitation", "code", "code_hash", "name", "address"}

    def test_a_rating_outside_the_scale_spends_nothing(self, world, template, contract):
        _survey, codes = survey_with_answers(world, contract, n=0)
        with pytest.raises(ValidationFailed):
            surveys.submit_answer(code=codes[0], ratings=[6, 5, 5], client_address="10.1.1.1")
        assert not Invitation.objects.filter(used_at__isnull=False).exists()

    def test_suspicious_patterns_are_flagged_not_dropped(self, world, template, contract):
        survey, codes = survey_with_answers(world, contract, n=0, extra=6)
        for code in codes:
            surveys.submit_answer(code=code, ratings=[5, 5, 5], client_address="10.2.2.2")
        assert Answer.objects.filter(survey=survey).count() == 6
        kinds = set(SurveyFlag.objects.values_list("kind", flat=True))
        assert {"burst", "identical", "too_fast"} <= kinds

    def test_aggregates_are_hidden_below_the_minimum(self, world, template, contract):
        obj = rounds.open_round(actor=world.purchaser_a, contract=contract, kind="final")
        survey_with_answers(world, contract, obj, n=4)
        summary, visible = surveys.summary_for_round(obj)
        assert summary.answers == 4
        assert not visible
        survey_with_answers(world, contract, obj, n=5)
        assert surveys.summary_for_round(obj)[1]

    def test_a_closed_survey_takes_no_answers(self, world, template, contract):
        survey, codes = survey_with_answers(world, contract, n=0)
        surveys.close_survey(actor=world.purchaser_a, survey=survey, version=survey.version)
        with pytest.raises(ValidationFailed):
            surveys.submit_answer(code=codes[0], ratings=[5, 5, 5], client_address="10.1.1.1")

    def test_only_the_purchaser_opens_or_issues(self, world, template, contract):
        with pytest.raises(NotFound):
            surveys.open_survey(
                actor=world.provider_a,
                contract=contract,
                title="t",
                questions=["q"],
                closes_at=timezone.now() + timedelta(days=1),
            )


class TestCommissions:
    def test_a_commissioned_evaluator_scores_and_delivers_its_report(self, world, template, contract):
        obj = rounds.open_round(actor=world.purchaser_a, contract=contract, kind="final")
        with pytest.raises(NotFound):  # not commissioned: the round does not exist for it
            rounds.enter_scores(actor=world.evaluator, round=obj, version=obj.version, scores=[])
        commission = commissions.commission(
            actor=world.purchaser_a, round=obj, version=obj.version, evaluator=world.evaluator_org
        )
        obj.refresh_from_db()
        rounds.enter_scores(actor=world.evaluator, round=obj, version=obj.version, scores=scores_for(obj)[:1])
        assert Score.objects.filter(by="third_party").count() == 1
        done = commissions.deliver_report(
            actor=world.evaluator,
            commission=commission,
            version=commission.version,
            name="评估报告.pdf",
            data=make_pdf(),
        )
        assert done.status == CommissionStatus.REPORTED
        assert done.report_sha256

    def test_an_evaluator_related_to_the_provider_is_refused(self, world, template, contract):
        a, b = sorted([world.evaluator_org.pk, world.provider_a_org.pk])
        RelatedParty.objects.create(first_id=a, second_id=b, basis="control")
        obj = rounds.open_round(actor=world.purchaser_a, contract=contract, kind="final")
        with pytest.raises(ValidationFailed) as caught:
            commissions.commission(
                actor=world.purchaser_a, round=obj, version=obj.version, evaluator=world.evaluator_org
            )
        assert caught.value.code == "evaluator_refused"

    def test_a_repeat_for_the_same_provider_and_purchaser_is_refused(self, world, template, contract, project):
        first = rounds.open_round(actor=world.purchaser_a, contract=contract, kind="final")
        commissions.commission(
            actor=world.purchaser_a, round=first, version=first.version, evaluator=world.evaluator_org
        )
        second_contract = make_contract(world, project)
        second = rounds.open_round(actor=world.purchaser_a, contract=second_contract, kind="final")
        with pytest.raises(ValidationFailed) as caught:
            commissions.commission(
                actor=world.district_finance_a, round=second, version=second.version, evaluator=world.evaluator_org
            )
        assert "2" in caught.value.message

    def test_only_an_evaluator_organisation_can_be_commissioned(self, world, template, contract):
        obj = rounds.open_round(actor=world.purchaser_a, contract=contract, kind="final")
        with pytest.raises(ValidationFailed):
            commissions.commission(
                actor=world.purchaser_a, round=obj, version=obj.version, evaluator=world.provider_b_org
            )
        with pytest.raises(NotFound):
            commissions.commission(
                actor=world.provider_a, round=obj, version=obj.version, evaluator=world.evaluator_org
            )


def test_resending_a_used_code_is_refused_but_not_counted_as_a_guess(world, template, contract):
    from govbuy.performance.models import CodeAttempt

    _survey, codes = survey_with_answers(world, contract, n=1)
    for _i in range(rules.DEFAULT_CODE_ATTEMPTS + 2):
        with pytest.raises(ValidationFailed):
            surveys.submit_answer(code=codes[0], ratings=[5, 5, 5], client_address="10.0.0.0")
    assert not CodeAttempt.objects.exists()
    surveys.submit_answer(code=codes[1], ratings=[4, 4, 4], client_address="10.0.0.0")


def test_an_evaluator_banned_as_a_provider_cannot_be_commissioned(world, template, contract):
    """Issue 14: an evaluator that is also in the provider registry is checked at commissioning,
    under the provider row's lock, and refused while a ban runs; one outside the registry is not."""
    import datetime as dt

    from govbuy.providers.models import ProviderProfile
    from govbuy.providers.services import restrictions

    ProviderProfile.objects.create(
        organisation=world.evaluator_org,
        state=ProviderProfile.State.VERIFIED,
        verified_at=timezone.now(),
        authority_kind="market_regulation",
        registration_authority="北京市市场监督管理局",
        legal_representative="王评",
        legal_representative_key="k",
        registered_address="北京市东城区",
        registration_date=dt.date(2015, 1, 1),
        contact_name="王评",
        contact_phone="010-12345678",
    )
    restrictions.impose_restriction(
        actor=world.city_finance,
        organisation_id=world.evaluator_org.pk,
        kind="ban",
        starts_at=timezone.now(),
        ends_at=timezone.now() + timedelta(days=365),
        legal_basis="《政府采购法》第七十七条",
        reason="提供虚假材料",
        authority=world.orgs["city_finance_org"],
    )
    obj = rounds.open_round(actor=world.purchaser_a, contract=contract, kind="final")
    with pytest.raises(TransitionRefused, match="第七十七条") as caught:
        commissions.commission(actor=world.purchaser_a, round=obj, version=obj.version, evaluator=world.evaluator_org)
    assert caught.value.code == "evaluator_banned"
    assert not ThirdPartyCommission.objects.exists()
