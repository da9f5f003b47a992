"""The monitoring API: the same steps as the pages, the house error format, scope and query counts."""

from __future__ import annotations

import base64

import pytest
from django.test import Client
from django.urls import reverse

from govbuy.accounts.testing import force_login_verified
from govbuy.oversight.models import MonitoringCase
from govbuy.oversight.services import monitoring
from govbuy.providers.samples import minimal_pdf

pytestmark = pytest.mark.django_db


def _client(user):
    return force_login_verified(Client(), user)


def _post(client, name, args, payload):
    return client.post(reverse(name, args=args), payload, content_type="application/json")


def test_the_api_walks_a_case_to_a_published_conclusion(world, published):
    auditor = _client(world.auditor)
    opened = _post(
        auditor, "api:oversight-cases", [], {"tender": published.pk, "reason": "risk_flag", "reason_details": "风险"}
    )
    assert opened.status_code == 201
    pk = opened.json()["id"]
    asked = _post(auditor, "api:oversight-case-ask", [pk], {"version": 1, "text": "请说明", "answer_days": 5})
    assert asked.status_code == 201
    question = asked.json()["questions"][0]["id"]
    document = {"file_name": "说明.pdf", "content_base64": base64.b64encode(minimal_pdf("说明")).decode()}
    answered = _post(
        _client(world.purchaser_a),
        "api:oversight-case-answer",
        [pk, question],
        {"answer": "如附件", "documents": [document]},
    )
    assert answered.status_code == 200
    assert answered.json()["questions"][0]["documents"][0]["file_name"] == "说明.pdf"
    bare = _post(auditor, "api:oversight-case-conclude", [pk], {"version": 3, "violation": True, "conclusion": ""})
    assert bare.status_code == 400
    assert set(bare.json()) == {"code", "message", "fields"}
    assert "conclusion" in bare.json()["fields"]
    done = _post(
        auditor,
        "api:oversight-case-conclude",
        [pk],
        {"version": 3, "violation": True, "conclusion": "违规", "obligations": "整改", "remedy_days": 10},
    )
    assert done.json()["status"] == "violation"
    stale = _post(auditor, "api:oversight-case-close", [pk], {"version": 1})
    assert stale.status_code == 409
    remedy = _post(_client(world.purchaser_a), "api:oversight-case-remedy", [pk], {"version": 4, "report": "已整改"})
    assert remedy.json()["status"] == "remedy_reported"
    closed = _post(auditor, "api:oversight-case-close", [pk], {"version": 5})
    assert closed.json()["status"] == "closed"


def test_outside_the_reach_the_api_answers_404(world, published):
    case = monitoring.open_case(actor=world.auditor, tender=published, reason="plan", reason_details="抽查")
    for persona in ("outsider", "district_finance_b", "purchaser_b", "provider_a"):
        client = _client(getattr(world, persona))
        assert client.get(reverse("api:oversight-case", args=[case.pk])).status_code == 404
        asked = _post(client, "api:oversight-case-ask", [case.pk], {"version": 1, "text": "x", "answer_days": 5})
        assert asked.status_code == 404
    other = _post(
        _client(world.district_finance_b),
        "api:oversight-cases",
        [],
        {"tender": published.pk, "reason": "plan", "reason_details": "越区"},
    )
    assert other.status_code == 404
    assert MonitoringCase.objects.count() == 1


def test_the_case_list_endpoint_uses_a_fixed_number_of_queries(world, published, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(world.city_finance)
    monitoring.open_case(actor=world.auditor, tender=published, reason="plan", reason_details="抽查")
    client.get(reverse("api:oversight-cases"))
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("api:oversight-cases")).status_code == 200
    for _i in range(5):
        monitoring.open_case(actor=world.auditor, tender=published, reason="plan", reason_details="抽查")
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("api:oversight-cases"))
    assert response.json()["count"] == 6
