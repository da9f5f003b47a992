"""Home sections for whoever has to act, each bounded in rows."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.utils import translation

from govbuy.performance import home
from govbuy.performance.services import rounds
from tests.builders.performance import make_contract, survey_with_answers, to_awaiting

pytestmark = pytest.mark.django_db


def request_for(user):
    request = RequestFactory().get("/workspace/")
    request.user = user
    return request


def test_sections_appear_for_whoever_has_to_act(world, template, contract, project):
    obj = rounds.open_round(actor=world.purchaser_a, contract=contract, kind="final")
    assert home.self_assessment_section(request_for(world.provider_a))["id"] == "performance-self"
    assert home.self_assessment_section(request_for(world.provider_b)) is None
    survey_with_answers(world, contract, obj, n=2)
    low = home.surveys_section(request_for(world.purchaser_a))
    assert "2" in low["items"][0]["note"]
    survey_with_answers(world, contract, obj, n=6)
    to_awaiting(world, obj)
    assert home.finalise_section(request_for(world.purchaser_a)) is None  # the submitter: four eyes
    assert home.finalise_section(request_for(world.purchaser_a_approver))["items"]
    key = make_contract(world, project, value="3000000.00", region=world.city)
    key_round = rounds.open_round(actor=world.purchaser_a, contract=key, kind="final")
    survey_with_answers(world, key, key_round, n=6)
    key_round = to_awaiting(world, key_round)
    rounds.finalise(actor=world.purchaser_a_approver, round=key_round, version=key_round.version)
    assert home.reevaluation_section(request_for(world.city_finance))["items"]
    assert home.reevaluation_section(request_for(world.district_finance_b)) is None


def test_lines_read_well_in_chinese(world, template, contract, project):
    obj = rounds.open_round(actor=world.purchaser_a, contract=contract, kind="final")
    with translation.override("zh-hans"):
        line = home.self_assessment_section(request_for(world.provider_a))["items"][0]
        assert line["label"] == f"{contract.reference} · {contract.title} · 第1轮（期末）"
        assert not line["label"].endswith(" · 1")
        assert line["note"].startswith("开启于")
        survey_with_answers(world, contract, obj, n=2)
        low = home.surveys_section(request_for(world.purchaser_a))["items"][0]
        assert "已收到2份答卷" in low["note"]
        survey_with_answers(world, contract, obj, n=6)
        to_awaiting(world, obj)
        line = home.finalise_section(request_for(world.purchaser_a_approver))["items"][0]
        assert "第1轮" in line["label"]
        assert line["note"].startswith("提交人：")
        assert "T" not in line["note"].split("，")[-1]  # a Beijing time, not an ISO string
