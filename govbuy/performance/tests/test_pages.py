"""Pages: the anonymous survey form (labelled, no JavaScript needed), published results with
filters, staff round pages, query counts that do not grow with rows, and 404 for outsiders."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from govbuy.performance.models import Answer, EvaluationRound
from govbuy.performance.services import rounds
from tests.builders.performance import make_contract, published_rounds, survey_with_answers

pytestmark = pytest.mark.django_db


class TestSurveyPage:
    def test_answer_without_javascript_then_the_code_is_spent(self, client, world, template, contract):
        survey, codes = survey_with_answers(world, contract, n=0)
        url = reverse("performance-public:survey", args=[codes[0]])
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        # every radio button has its label, every question its legend
        for match in re.finditer(r'<input type="radio" id="([^"]+)"', html):
            assert f'<label for="{match.group(1)}">' in html
        assert html.count("<legend>") == len(survey.questions)
        assert "<script" not in html.split('id="survey-form"')[1].split("</form>")[0]
        answer = client.post(url, {"q1": "5", "q2": "4", "q3": "5", "comment": "很好"})
        assert answer.status_code == 302
        assert Answer.objects.filter(survey=survey).count() == 1
        assert client.get(url).status_code == 400  # used code

    def test_a_missing_rating_shows_the_form_again(self, client, world, template, contract):
        _survey, codes = survey_with_answers(world, contract, n=0)
        url = reverse("performance-public:survey", args=[codes[0]])
        again = client.post(url, {"q1": "5"})
        assert again.status_code == 400
        assert 'role="alert"' in again.content.decode()
        assert not Answer.objects.exists()

    def test_the_code_form_redirects_to_the_short_link(self, client, world, template, contract):
        _survey, codes = survey_with_answers(world, contract, n=0)
        start = client.post(reverse("performance-public:survey-start"), {"code": codes[0].lower()})
        assert start.status_code == 302
        assert start["Location"].endswith(f"/s/{codes[0]}/")


class TestResults:
    def test_the_results_list_filters_and_its_query_count_does_not_grow(
        self, client, world, template, contract, django_assert_num_queries
    ):
        published_rounds(world, contract, template)
        url = reverse("performance-public:results")
        with django_assert_num_queries(5):
            assert client.get(url).status_code == 200
        published_rounds(world, contract, template, n=30, grade="poor")
        with django_assert_num_queries(5):
            assert client.get(url).status_code == 200
        poor = client.get(
            url, {"grade": "poor", "year": timezone.now().year, "category": "A05", "region": contract.region_id}
        )
        assert poor.content.decode().count('<tr id="result-') == 25
        assert client.get(url, {"category": "B01"}).content.decode().count('<tr id="result-') == 0

    def test_an_unpublished_result_is_not_public(self, client, world, template, contract):
        obj = rounds.open_round(actor=world.purchaser_a, contract=contract, kind="final")
        assert client.get(reverse("performance-public:result", args=[obj.pk])).status_code == 404

    def test_a_published_result_shows_grade_and_families(self, client, world, template, contract):
        published_rounds(world, contract, template)
        obj = EvaluationRound.objects.get()
        page = client.get(reverse("performance-public:result", args=[obj.pk]))
        assert page.status_code == 200
        assert "良" in page.content.decode()


class TestStaffPages:
    def test_round_list_query_count_does_not_grow(self, world, template, contract, login, django_assert_num_queries):
        client = login(world.purchaser_a)
        published_rounds(world, contract, template)
        url = reverse("performance:rounds")
        client.get(url)
        with django_assert_num_queries(5):
            assert client.get(url).status_code == 200
        published_rounds(world, contract, template, n=30)
        with django_assert_num_queries(5):
            assert client.get(url).status_code == 200

    @pytest.mark.parametrize("persona", ["outsider", "purchaser_b", "provider_b", "evaluator", "district_finance_b"])
    def test_outsiders_get_404_on_a_round(self, world, template, contract, login, persona):
        obj = rounds.open_round(actor=world.purchaser_a, contract=contract, kind="final")
        client = login(getattr(world, persona))
        assert client.get(reverse("performance:round", args=[obj.pk])).status_code == 404
        assert client.post(reverse("performance:round-action", args=[obj.pk, "publish"])).status_code == 404

    @pytest.mark.parametrize("persona", ["purchaser_a", "provider_a", "district_finance_a", "city_finance"])
    def test_the_parties_see_the_round(self, world, template, contract, login, persona):
        obj = rounds.open_round(actor=world.purchaser_a, contract=contract, kind="final")
        assert login(getattr(world, persona)).get(reverse("performance:round", args=[obj.pk])).status_code == 200

    def test_the_provider_enters_scores_on_the_page(self, world, template, contract, login):
        obj = rounds.open_round(actor=world.purchaser_a, contract=contract, kind="final")
        indicator = obj.template.indicators.get(rule="graded", family="output_quality")
        client = login(world.provider_a)
        client.post(
            reverse("performance:round-action", args=[obj.pk, "scores"]),
            {"version": obj.version, f"i{indicator.pk}-value": "18", f"i{indicator.pk}-evidence": "台账"},
        )
        assert obj.scores.get().points == Decimal("18.00")

    def test_issuing_codes_prints_a_sheet_with_qr_codes_once(self, world, template, contract, login):
        survey, _codes = survey_with_answers(world, contract, n=0)
        survey.refresh_from_db()
        client = login(world.purchaser_a)
        sheet = client.post(
            reverse("performance:survey-issue", args=[survey.pk]), {"version": survey.version, "count": "3"}
        )
        html = sheet.content.decode()
        assert html.count('class="card"') == 3
        assert html.count("data:image/svg+xml;base64,") == 3
        assert "no-store" in sheet["Cache-Control"]
        assert login(world.purchaser_b).get(reverse("performance:survey", args=[survey.pk])).status_code == 404

    def test_another_contract_of_another_purchaser_is_hidden(self, world, template, project, login):
        other = make_contract(world, project, provider=world.provider_b_org)
        obj = rounds.open_round(actor=world.purchaser_a, contract=other, kind="final")
        assert login(world.provider_a).get(reverse("performance:round", args=[obj.pk])).status_code == 404


def test_charts_come_with_their_data_tables(client, world, template, contract):
    published_rounds(world, contract, template)
    page = client.get(reverse("performance-public:results")).content.decode()
    assert 'data-chart="stacked"' in page
    assert "vendor/echarts/5.5.1/echarts.min.js" in page
    assert '<table id="grades-by-year"' in page
