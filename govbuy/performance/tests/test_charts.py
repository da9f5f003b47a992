"""Charts (Apache ECharts, vendored with its licence): each is drawn from a data table that stays
on the page for screen readers and without JavaScript; the scripts are external files carrying
the CSP nonce, and no page has an inline handler or inline script."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from govbuy.performance.models import EvaluationRound
from govbuy.performance.services import rounds
from tests.builders.performance import published_rounds, scores_for, survey_with_answers

pytestmark = pytest.mark.django_db

VENDOR = Path(settings.BASE_DIR) / "static" / "vendor" / "echarts" / "5.5.1"
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


def check_scripts(response) -> str:
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    tags = SCRIPT.findall(html)
    assert tags
    for attributes in tags:
        assert "src=" in attributes  # no inline script
        assert f'nonce="{nonce}"' in attributes
    assert "echarts.min.js" in html
    assert "performance/charts.js" in html
    assert not INLINE_HANDLER.search(html)
    return html


def table(html: str, table_id: str) -> str:
    found = re.search(rf'<table id="{table_id}"[^>]*>.*?</table>', html, re.DOTALL)
    assert found, table_id
    return found.group(0)


def test_the_vendored_echarts_carries_its_apache_licence_and_notice():
    assert "Apache License" in (VENDOR / "LICENSE").read_text()
    assert "Apache ECharts" in (VENDOR / "NOTICE").read_text()


def test_a_contracts_indicator_scores_and_the_answers_are_charted_from_tables(world, login, template, contract):
    obj = rounds.open_round(actor=world.purchaser_a, contract=contract, kind="final")
    survey_with_answers(world, contract, obj)
    rounds.enter_scores(actor=world.provider_a, round=obj, version=obj.version, scores=scores_for(obj))
    response = login(world.purchaser_a).get(reverse("performance:round", args=[obj.pk]))
    assert response.status_code == 200
    html = check_scripts(response)
    scores = table(html, "indicator-scores")
    assert 'data-chart="grouped"' in scores
    assert "<caption>" in scores
    assert "上门服务人次" in scores
    answers = table(html, "round-distribution")
    assert 'data-chart="bar"' in answers
    assert "<td>6</td>" in answers or "<td>3</td>" in answers


def test_no_score_table_before_anyone_scored(world, login, template, contract):
    obj = rounds.open_round(actor=world.purchaser_a, contract=contract, kind="final")
    html = login(world.purchaser_a).get(reverse("performance:round", args=[obj.pk])).content.decode()
    assert 'id="indicator-scores"' not in html


def test_public_result_and_grades_by_year_are_charted_from_tables(world, client, template, contract):
    survey_with_answers(world, contract)
    published_rounds(world, contract, template, n=2, grade="good")
    obj = EvaluationRound.objects.first()
    result = client.get(reverse("performance-public:result", args=[obj.pk]))
    assert result.status_code == 200
    html = check_scripts(result)
    assert 'data-chart="bar"' in table(html, "family-scores")
    assert 'data-chart="bar"' in table(html, "result-distribution")
    listing = client.get(reverse("performance-public:results"))
    assert listing.status_code == 200
    by_year = table(check_scripts(listing), "grades-by-year")
    assert 'data-chart="stacked"' in by_year
    assert "<td>2</td>" in by_year
