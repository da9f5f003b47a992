"""The performance API: public results and survey answers, rounds in scope, computed grades that
cannot be typed in, errors in the {code, message, fields} shape."""

from __future__ import annotations

import pytest
from django.test import Client

from govbuy.accounts.testing import api_token_for
from govbuy.performance.models import Answer, EvaluationRound
from tests.builders.performance import published_rounds, survey_with_answers

pytestmark = pytest.mark.django_db


def api(user=None):
    if user is None:
        return Client()
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_for(user)}")


def test_results_are_public_and_the_query_count_does_not_grow(world, template, contract, django_assert_num_queries):
    client = api()
    published_rounds(world, contract, template)
    with django_assert_num_queries(2):
        body = client.get("/api/v1/performance/results/").json()
    assert body["count"] == 1
    published_rounds(world, contract, template, n=20, grade="poor")
    with django_assert_num_queries(2):
        assert client.get("/api/v1/performance/results/?grade=poor").json()["count"] == 20


def test_open_a_round_and_the_grade_cannot_be_typed(world, template, contract):
    client = api(world.purchaser_a)
    created = client.post(
        "/api/v1/performance/rounds/",
        {"contract": contract.pk, "kind": "final", "grade": "excellent"},
        content_type="application/json",
    )
    assert created.status_code == 400
    assert set(created.json()) == {"code", "message", "fields"}
    assert "grade" in created.json()["fields"]
    created = client.post(
        "/api/v1/performance/rounds/", {"contract": contract.pk, "kind": "final"}, content_type="application/json"
    )
    assert created.status_code == 201
    assert created.json()["grade"] == ""


@pytest.mark.parametrize("persona", ["outsider", "purchaser_b", "provider_b", "evaluator"])
def test_outsiders_get_404_for_a_round(world, template, contract, persona):
    owner = api(world.purchaser_a)
    pk = owner.post(
        "/api/v1/performance/rounds/", {"contract": contract.pk, "kind": "final"}, content_type="application/json"
    ).json()["id"]
    client = api(getattr(world, persona))
    assert client.get(f"/api/v1/performance/rounds/{pk}/").status_code == 404
    assert (
        client.post(
            f"/api/v1/performance/rounds/{pk}/publish/", {"version": 1}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.get("/api/v1/performance/rounds/").json()["count"] == 0


def test_a_stale_version_is_409(world, template, contract):
    client = api(world.provider_a)
    obj_id = (
        api(world.purchaser_a)
        .post(
            "/api/v1/performance/rounds/", {"contract": contract.pk, "kind": "final"}, content_type="application/json"
        )
        .json()["id"]
    )
    stale = client.post(
        f"/api/v1/performance/rounds/{obj_id}/scores/", {"version": 99, "scores": []}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert EvaluationRound.objects.get().version == 1


def test_an_anonymous_answer_by_api_once_per_code(world, template, contract):
    survey, codes = survey_with_answers(world, contract, n=0)
    client = api()
    body = {"code": codes[0], "ratings": [5, 4, 5]}
    assert client.post("/api/v1/performance/survey-answers/", body, content_type="application/json").status_code == 201
    again = client.post("/api/v1/performance/survey-answers/", body, content_type="application/json")
    assert again.status_code == 400
    assert again.json()["code"] == "code_invalid"
    assert Answer.objects.filter(survey=survey).count() == 1


def test_survey_aggregates_only_from_the_minimum_and_codes_issued_once(world, template, contract):
    survey, _codes = survey_with_answers(world, contract, n=4)
    client = api(world.purchaser_a)
    body = client.get(f"/api/v1/performance/surveys/{survey.pk}/").json()
    assert body["answers"] == 4
    assert body["distribution"] is None
    assert body["satisfaction_rate"] is None
    issued = client.post(
        f"/api/v1/performance/surveys/{survey.pk}/issue/",
        {"version": body["version"], "count": 3},
        content_type="application/json",
    )
    assert issued.status_code == 201
    assert len(issued.json()["codes"]) == 3
    assert "no-store" in issued["Cache-Control"]
    for code in issued.json()["codes"][:1]:
        api().post(
            "/api/v1/performance/survey-answers/", {"code": code, "ratings": [5, 5, 5]}, content_type="application/json"
        )
    assert client.get(f"/api/v1/performance/surveys/{survey.pk}/").json()["distribution"]["5"] >= 3
    assert api(world.purchaser_b).get(f"/api/v1/performance/surveys/{survey.pk}/").status_code == 404
    assert api(world.provider_a).get(f"/api/v1/performance/surveys/{survey.pk}/").status_code == 404
