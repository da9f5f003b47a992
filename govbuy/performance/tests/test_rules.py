"""The pure rules of performance evaluation: each test fails when its rule is removed."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal as D

import pytest

from govbuy.core.calendar.rules import WorkingCalendar
from govbuy.core.errors import TransitionRefused, ValidationFailed
from govbuy.performance import rules as r


def ind(weight, family="output_quantity", rule=r.RATIO, name="服务人次"):
    return r.IndicatorInput(name=name, family=family, weight=D(weight), rule=rule)


class TestTemplateWeights:
    def test_weights_summing_to_100_are_accepted(self):
        r.check_template([ind(40), ind(35, "output_quality", r.GRADED), ind("25", "satisfaction")])

    @pytest.mark.parametrize("weights", [[40, 35, 20], [50, 51], [100.5]])
    def test_weights_not_summing_to_100_are_refused(self, weights):
        with pytest.raises(ValidationFailed) as caught:
            r.check_template([ind(w) for w in weights])
        assert caught.value.code == "weights_not_100"

    def test_an_empty_template_is_refused(self):
        with pytest.raises(ValidationFailed):
            r.check_template([])

    def test_a_zero_weight_or_unknown_family_is_refused(self):
        with pytest.raises(ValidationFailed):
            r.check_template([ind(0), ind(100)])
        with pytest.raises(ValidationFailed):
            r.check_template([ind(100, family="economic_guess")])


class TestRatioBands:
    @pytest.mark.parametrize(
        ("ratio", "expected"),
        [
            ("1.20", "20.00"),  # ≥ 100 %: full marks, no bonus
            ("1.00", "20.00"),
            ("0.90", "18.00"),  # 80–100 %: in proportion
            ("0.80", "16.00"),
            ("0.70", "7.00"),  # 60–80 %: in proportion at half rate
            ("0.60", "6.00"),
            ("0.59", "0.00"),  # < 60 %: zero
            ("0", "0.00"),
        ],
    )
    def test_default_bands(self, ratio, expected):
        assert r.ratio_points(D(20), D(ratio)) == D(expected)

    def test_bands_are_data(self):
        strict = (r.RatioBand(D("1.00"), D(1)), r.RatioBand(D(0), D(0)))
        assert r.ratio_points(D(20), D("0.99"), strict) == D("0.00")

    def test_cost_indicator_counts_target_over_actual(self):
        # spent 125 against a target of 100: 80 % achievement
        score = r.ScoreInput(rule=r.RATIO, weight=D(10), value=D(125), target=D(100), direction=r.LOWER_IS_BETTER)
        assert r.points(score) == D("8.00")
        assert r.points(r.ScoreInput(rule=r.RATIO, weight=D(10), value=D(90), target=D(100))) == D("9.00")

    def test_ratio_without_a_positive_target_is_refused(self):
        with pytest.raises(ValidationFailed):
            r.points(r.ScoreInput(rule=r.RATIO, weight=D(10), value=D(5), target=D(0)))


class TestOtherScoringRules:
    def test_yes_no_gives_full_marks_or_zero(self):
        assert r.points(r.ScoreInput(rule=r.YES_NO, weight=D(5), achieved=True)) == D("5.00")
        assert r.points(r.ScoreInput(rule=r.YES_NO, weight=D(5), achieved=False)) == D("0.00")

    def test_graded_score_within_range_is_kept(self):
        assert r.points(r.ScoreInput(rule=r.GRADED, weight=D(15), value=D("12.5"))) == D("12.50")

    @pytest.mark.parametrize("value", ["-1", "15.01", "100"])
    def test_graded_score_outside_the_range_is_refused(self, value):
        with pytest.raises(ValidationFailed) as caught:
            r.points(r.ScoreInput(rule=r.GRADED, weight=D(15), value=D(value)))
        assert caught.value.code == "score_out_of_range"


class TestTotalAndGrade:
    def test_total_is_the_sum_of_points(self):
        assert r.total_score([D("18.00"), D("30"), D("41.5")]) == D("89.50")

    @pytest.mark.parametrize(
        ("total", "grade"),
        [
            ("100", r.EXCELLENT),
            ("90", r.EXCELLENT),
            ("89.99", r.GOOD),
            ("80", r.GOOD),
            ("79.5", r.FAIR),
            ("60", r.FAIR),
            ("59.99", r.POOR),
            ("0", r.POOR),
        ],
    )
    def test_grade_bands(self, total, grade):
        assert r.grade_for(D(total)) == grade


class TestKeyProjects:
    rows = (r.KeyThreshold(date(2014, 1, 1), D("2000000")), r.KeyThreshold(date(2027, 1, 1), D("3000000")))

    def test_city_contract_over_the_threshold_requires_reevaluation(self):
        assert r.requires_reevaluation(city_level=True, value=D("2000000.01"), day=date(2026, 6, 1), rows=self.rows)

    def test_at_the_threshold_or_district_level_it_does_not(self):
        assert not r.requires_reevaluation(city_level=True, value=D("2000000"), day=date(2026, 6, 1), rows=self.rows)
        assert not r.requires_reevaluation(city_level=False, value=D("9000000"), day=date(2026, 6, 1), rows=self.rows)

    def test_the_threshold_row_in_force_on_the_day_applies(self):
        assert not r.requires_reevaluation(city_level=True, value=D("2500000"), day=date(2027, 1, 1), rows=self.rows)
        assert r.threshold_on(date(2026, 12, 31), self.rows).amount == D("2000000")

    def test_without_rows_the_default_is_two_million(self):
        assert r.threshold_on(date(2026, 1, 1), ()).amount == D("2000000")


class TestEvaluatorRefusals:
    def facts(self, **kw):
        base = {"evaluator_id": 9, "provider_id": 12, "purchaser_id": 10}
        return r.CommissionFacts(**(base | kw))

    def test_an_unrelated_evaluator_is_accepted(self):
        r.check_evaluator(self.facts(), today=date(2026, 6, 1))

    def test_related_to_the_provider_is_refused(self):
        with pytest.raises(ValidationFailed) as caught:
            r.check_evaluator(self.facts(related_to_provider=frozenset({9})), today=date(2026, 6, 1))
        assert caught.value.code == "evaluator_refused"
        assert r.evaluator_refusals(self.facts(related_to_provider=frozenset({9})), today=date(2026, 6, 1)) == [
            r.RELATED
        ]

    def test_bid_in_the_same_tender_is_refused(self):
        assert r.evaluator_refusals(self.facts(bidders=frozenset({9, 12})), today=date(2026, 6, 1)) == [r.BID]

    def test_same_provider_and_purchaser_within_two_years_is_refused(self):
        recent = (r.PastEvaluation(9, 12, 10, date(2024, 6, 2)),)
        assert r.evaluator_refusals(self.facts(history=recent), today=date(2026, 6, 1)) == [r.REPEAT]

    def test_older_or_other_purchaser_history_is_accepted(self):
        history = (r.PastEvaluation(9, 12, 10, date(2024, 6, 1)), r.PastEvaluation(9, 12, 11, date(2026, 1, 1)))
        assert r.evaluator_refusals(self.facts(history=history), today=date(2026, 6, 1)) == []

    def test_the_look_back_period_is_data(self):
        history = (r.PastEvaluation(9, 12, 10, date(2023, 6, 2)),)
        assert r.evaluator_refusals(self.facts(history=history), today=date(2026, 6, 1), lookback_years=3) == [r.REPEAT]


class TestRoundTransitions:
    def test_the_happy_path(self):
        path = [
            r.SELF_ASSESSMENT,
            r.PURCHASER_EVALUATION,
            r.AWAITING_APPROVAL,
            r.FINANCE_REVIEW,
            r.PROVIDER_RESPONSE,
            r.PUBLISHED,
        ]
        for before, after in itertools.pairwise(path):
            r.check_round_transition(before, after)

    def test_skipping_a_step_is_refused(self):
        with pytest.raises(TransitionRefused):
            r.check_round_transition(r.SELF_ASSESSMENT, r.PUBLISHED)
        with pytest.raises(TransitionRefused):
            r.check_round_transition(r.PUBLISHED, r.CANCELLED)

    def test_key_projects_go_to_finance_after_approval(self):
        assert r.after_approval(reevaluate=True) == r.FINANCE_REVIEW
        assert r.after_approval(reevaluate=False) == r.PROVIDER_RESPONSE

    def test_four_eyes(self):
        r.check_four_eyes(submitted_by=1, approver=2)
        with pytest.raises(ValidationFailed):
            r.check_four_eyes(submitted_by=1, approver=1)


class TestPublication:
    calendar = WorkingCalendar.from_days([(date(2026, 10, 1), "holiday"), (date(2026, 10, 2), "holiday")])
    notified = datetime(2026, 9, 29, 2, 0, tzinfo=UTC)  # Tuesday

    def test_five_working_days_skip_holidays(self):
        # Wed 30 Sep, (Thu 1, Fri 2 holidays, weekend), Mon 5, Tue 6, Wed 7, Thu 8 Oct
        assert r.response_deadline(self.notified, self.calendar).date() == date(2026, 10, 8)

    def test_not_publishable_before_the_period_ends_unless_the_provider_responded(self):
        before = datetime(2026, 10, 8, 10, 0, tzinfo=UTC)
        after = datetime(2026, 10, 8, 16, 30, tzinfo=UTC)  # 00:30 on the 9th in Beijing
        assert not r.may_publish(now=before, notified_at=self.notified, responded=False, calendar=self.calendar)
        assert r.may_publish(now=after, notified_at=self.notified, responded=False, calendar=self.calendar)
        assert r.may_publish(now=before, notified_at=self.notified, responded=True, calendar=self.calendar)


class TestSurveyRules:
    def test_codes_are_long_and_from_the_unambiguous_alphabet(self):
        code = r.new_code()
        assert len(code) == r.CODE_LENGTH >= 12
        assert set(code) <= set(r.CODE_ALPHABET)
        assert not set("01OIL") & set(r.CODE_ALPHABET)

    def test_code_hash_is_keyed_and_forgives_typing(self):
        assert r.hash_code("abcd-efgh 2345", "k1") == r.hash_code("ABCDEFGH2345", "k1")
        assert r.hash_code("ABCDEFGH2345", "k1") != r.hash_code("ABCDEFGH2345", "k2")

    def test_aggregates_only_from_the_minimum(self):
        assert not r.aggregates_visible(4, 5)
        assert r.aggregates_visible(5, 5)

    def test_wilson_interval(self):
        low, high = r.wilson_interval(81, 100)
        assert round(low, 4) == 0.7222
        assert round(high, 4) == 0.8749
        assert r.wilson_interval(0, 0) == (0.0, 1.0)
        assert r.wilson_interval(10, 10)[1] == 1.0

    def test_summary_rates(self):
        s = r.SurveySummary(invitations=40, answers=20, satisfied=17)
        assert s.response_rate == D("50.00")
        assert s.satisfaction_rate == D("85.00")
        low, high = s.interval()
        assert low < D(85) < high

    def test_rating_outside_the_scale_is_refused(self):
        r.check_rating(5)
        with pytest.raises(ValidationFailed):
            r.check_rating(6)


class TestSuspiciousPatterns:
    issued = datetime(2026, 6, 1, 0, 0, tzinfo=UTC)  # 08:00 Beijing

    def answer(self, n, minutes, address="a", ratings=(5, 4, 5), issued=None):
        at = self.issued + timedelta(minutes=minutes)
        return r.AnswerFacts(n, at, issued or self.issued - timedelta(days=1), address, ratings)

    def test_a_burst_from_one_address_is_flagged(self):
        answers = [self.answer(n, 60 + n, ratings=(n % 5 + 1,)) for n in range(5)]
        flags = r.suspicious(answers)
        assert all(r.BURST in flags[n] for n in range(5))

    def test_spread_out_answers_from_one_address_are_not(self):
        answers = [self.answer(n, 60 + 20 * n, ratings=(n % 5 + 1,)) for n in range(5)]
        assert r.suspicious(answers) == {}

    def test_identical_answer_sets_are_flagged(self):
        answers = [self.answer(n, 60 + 30 * n, address=str(n)) for n in range(5)]
        assert all(flags == {r.IDENTICAL} for flags in r.suspicious(answers).values())
        assert len(r.suspicious(answers)) == 5

    def test_answers_seconds_after_issue_are_flagged(self):
        quick = self.answer(1, 60, issued=self.issued + timedelta(minutes=60, seconds=-20))
        assert r.suspicious([quick]) == {1: {r.TOO_FAST}}

    def test_answers_outside_configured_hours_are_flagged(self):
        night = self.answer(1, -60 * 6)  # 02:00 Beijing
        assert r.suspicious([night]) == {1: {r.OUT_OF_HOURS}}
        all_day = r.FlagPolicy(hours_from=time(0, 0), hours_to=time(23, 59, 59))
        assert r.suspicious([night], all_day) == {}
