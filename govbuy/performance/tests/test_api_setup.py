"""The performance API's new endpoints: surveys opened from a template, commissions and the
evaluator's report, template versions and thresholds, consultations (staff and public); outsiders
get 404, errors come as {code, message, fields} in Chinese, list query counts do not grow."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from govbuy.accounts.testing import api_token_for
from govbuy.core.tests.test_uploads import make_pdf
from govbuy.performance.models import ConsultationComment, IndicatorTemplate, Survey, ThirdPartyCommission
from govbuy.performance.services import consultations, rounds
from govbuy.providers.models import RelatedParty
from tests.builders.performance import INDICATORS

pytestmark = pytest.mark.django_db
JSON = "application/json"


def api(user=None):
    if user is None:
        return Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_for(user)}", HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_open_a_survey_from_a_template(world, template, contract, django_assert_num_queries):
    client = api(world.purchaser_a)
    closes = (timezone.now() + timedelta(days=10)).isoformat()
    body = {"contract": contract.pk, "template": "social_work", "count": 3, "closes_at": closes}
    created = client.post("/api/v1/performance/surveys/", body, content_type=JSON)
    assert created.status_code == 201
    assert len(created.json()["codes"]) == 3
    assert "no-store" in created["Cache-Control"]
    refused = api(world.purchaser_b).post("/api/v1/performance/surveys/", body, content_type=JSON)
    assert refused.status_code == 404
    past = client.post(
        "/api/v1/performance/surveys/",
        {**body, "closes_at": (timezone.now() - timedelta(days=1)).isoformat()},
        content_type=JSON,
    )
    assert past.status_code == 400
    assert past.json()["fields"]["closes_at"] == ["调查截止时间须晚于现在。"]
    assert Survey.objects.count() == 1
    with django_assert_num_queries(4):
        assert client.get("/api/v1/performance/surveys/").json()["count"] == 1
    for _i in range(3):
        client.post("/api/v1/performance/surveys/", body, content_type=JSON)
    with django_assert_num_queries(4):
        assert client.get("/api/v1/performance/surveys/").json()["count"] == 4


def test_commission_refusal_and_report(world, template, contract):
    obj = rounds.open_round(actor=world.purchaser_a, contract=contract, kind="final")
    a, b = sorted([world.evaluator_org.pk, world.provider_a_org.pk])
    link = RelatedParty.objects.create(first_id=a, second_id=b, basis="control")
    body = {"round": obj.pk, "version": obj.version, "evaluator": world.evaluator_org.pk}
    refused = api(world.purchaser_a).post("/api/v1/performance/commissions/", body, content_type=JSON)
    assert refused.status_code == 400
    assert refused.json()["code"] == "evaluator_refused"
    assert refused.json()["fields"]["evaluator"] == ["该评价机构与承接主体存在关联关系。"]
    link.delete()
    assert api(world.provider_a).post("/api/v1/performance/commissions/", body, content_type=JSON).status_code == 404
    created = api(world.purchaser_a).post("/api/v1/performance/commissions/", body, content_type=JSON)
    assert created.status_code == 201
    pk = created.json()["id"]
    evaluator = api(world.evaluator)
    assert [row["id"] for row in evaluator.get("/api/v1/performance/commissions/").json()["results"]] == [pk]
    assert api(world.purchaser_a).get(f"/api/v1/performance/commissions/{pk}/").status_code == 404
    report = {
        "version": created.json()["version"],
        "name": "评估报告.pdf",
        "content_base64": base64.b64encode(make_pdf()).decode(),
    }
    assert (
        api(world.provider_a)
        .post(f"/api/v1/performance/commissions/{pk}/report/", report, content_type=JSON)
        .status_code
        == 404
    )
    done = evaluator.post(f"/api/v1/performance/commissions/{pk}/report/", report, content_type=JSON)
    assert done.status_code == 200
    assert done.json()["status"] == "reported"
    assert ThirdPartyCommission.objects.get().report_sha256


def test_templates_and_thresholds_are_city_finance_only(world):
    body = {
        "category_code": "A06",
        "category_name": "社区社会工作服务",
        "effective_from": "2027-01-01",
        "indicators": [dict(row) for row in INDICATORS],
    }
    assert (
        api(world.district_finance_a).post("/api/v1/performance/templates/", body, content_type=JSON).status_code == 404
    )
    client = api(world.city_finance)
    wrong = {**body, "indicators": [{**row, "weight": "10"} for row in body["indicators"]]}
    refused = client.post("/api/v1/performance/templates/", wrong, content_type=JSON)
    assert refused.status_code == 400
    assert refused.json()["fields"]["indicators.0.weight"][0].startswith("模板各指标权重之和须为 100")
    assert not IndicatorTemplate.objects.exists()
    assert client.post("/api/v1/performance/templates/", body, content_type=JSON).status_code == 201
    assert api(world.purchaser_a).get("/api/v1/performance/thresholds/").status_code == 404
    made = client.post(
        "/api/v1/performance/thresholds/", {"effective_from": "2027-01-01", "amount": "3000000"}, content_type=JSON
    )
    assert made.status_code == 201
    assert client.get("/api/v1/performance/thresholds/").json()["count"] == 1


def test_consultations_staff_and_public(world, django_assert_num_queries):
    owner = api(world.purchaser_a)
    now = timezone.now()
    body = {
        "subject": "annual_plan",
        "fiscal_year": 2027,
        "title": "2027年度购买服务计划（征求意见稿）",
        "description": "拟购买居家养老上门服务。",
        "opens_at": (now - timedelta(minutes=5)).isoformat(),
        "closes_at": (now + timedelta(days=7)).isoformat(),
    }
    created = owner.post("/api/v1/performance/consultations/", body, content_type=JSON)
    assert created.status_code == 201
    pk = created.json()["id"]
    assert api(world.provider_a).post("/api/v1/performance/consultations/", body, content_type=JSON).status_code == 404
    public = api()
    empty = public.post(f"/api/v1/performance/public-consultations/{pk}/comments/", {"message": " "}, content_type=JSON)
    assert empty.status_code == 400
    assert empty.json()["message"] == "请填写 1 至 2000 个字符。"
    sent = public.post(
        f"/api/v1/performance/public-consultations/{pk}/comments/", {"message": "建议增加助浴服务。"}, content_type=JSON
    )
    assert sent.status_code == 202
    comment = ConsultationComment.objects.get()
    for persona in ("purchaser_b", "provider_a", "outsider"):
        client = api(getattr(world, persona))
        assert client.get(f"/api/v1/performance/consultations/{pk}/").status_code == 404
        assert (
            client.post(
                f"/api/v1/performance/consultation-comments/{comment.pk}/publish/",
                {"version": comment.version},
                content_type=JSON,
            ).status_code
            == 404
        )
    published = owner.post(
        f"/api/v1/performance/consultation-comments/{comment.pk}/publish/",
        {"version": comment.version},
        content_type=JSON,
    )
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    with django_assert_num_queries(3):
        listed = public.get(f"/api/v1/performance/public-consultations/{pk}/comments/").json()
    assert listed["results"][0]["message"] == "建议增加助浴服务。"
    assert "status" not in listed["results"][0]
    for n in range(4):
        consultations.submit_comment(consultation=pk, message=f"意见{n}", client_address=f"10.4.0.{n}")
    with django_assert_num_queries(5):
        assert owner.get(f"/api/v1/performance/consultations/{pk}/comments/?status=pending").json()["count"] == 4
    early = owner.post(
        f"/api/v1/performance/consultations/{pk}/summary/",
        {"version": created.json()["version"], "received": "共收到意见5条。"},
        content_type=JSON,
    )
    assert early.status_code == 409
    with django_assert_num_queries(2):
        assert public.get("/api/v1/performance/public-consultations/").json()["count"] == 1


def test_a_template_version_by_id(world, template):
    assert api(world.purchaser_a).get(f"/api/v1/performance/templates/{template.pk}/").json()["number"] == 1
    assert api(world.outsider).get(f"/api/v1/performance/templates/{template.pk}/").status_code == 404
    assert api(world.purchaser_a).get("/api/v1/performance/templates/0/").status_code == 404
