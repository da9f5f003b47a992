"""The evaluation report PDF in Chinese: rendered when the result is published, stored once under
its sha256 and served only after its hash is checked; the text read back from the PDF holds the
contract, the indicators by family, the grade, satisfaction with its response rate and interval,
the third-party report and the provider's response."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from govbuy.audit.models import AuditEvent
from govbuy.core.storage import read_verified
from govbuy.core.tests.test_uploads import make_pdf
from govbuy.performance.models import EvaluationRound
from govbuy.performance.services import commissions, rounds
from govbuy.performance.tests.test_api import api
from tests.builders.performance import survey_with_answers, to_awaiting

pytestmark = pytest.mark.django_db


def text_of(data: bytes) -> str:
    return "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def published(world, template, contract):
    obj = rounds.open_round(actor=world.purchaser_a, contract=contract, kind="final")
    commission = commissions.commission(
        actor=world.purchaser_a, round=obj, version=obj.version, evaluator=world.evaluator_org
    )
    commissions.deliver_report(
        actor=world.evaluator,
        commission=commission,
        version=commission.version,
        name="第三方评估报告.pdf",
        data=make_pdf(),
    )
    survey_with_answers(world, contract, obj)
    obj = to_awaiting(world, EvaluationRound.objects.get(pk=obj.pk))
    obj = rounds.finalise(actor=world.purchaser_a_approver, round=obj, version=obj.version)
    rounds.respond(
        actor=world.provider_a, round=obj, version=obj.version, body="对评价结果无异议，将继续改进服务记录。"
    )
    obj.refresh_from_db()
    assert not obj.report_path  # rendered when the result is published, not before
    return rounds.publish(actor=world.purchaser_a, round=obj, version=obj.version)


def test_the_published_round_has_its_chinese_report_stored_under_its_hash(world, published, contract):
    assert len(published.report_sha256) == 64
    text = text_of(read_verified(published.report_path, published.report_sha256))
    for expected in (
        "绩效评价报告",
        contract.reference,
        world.provider_a_org.name_zh,
        "第1轮",
        "产出：数量",
        "上门服务人次",
        "满意度",
        "回复率",
        "置信区间",
        "第三方评估报告",
        world.evaluator_org.name_zh,
        "对评价结果无异议",
        "100.00",
    ):
        assert expected in text, expected
    assert "优" in text
    event = AuditEvent.objects.get(action="performance.round.published")
    assert event.data["report_sha256"] == published.report_sha256


def test_the_report_is_served_to_the_parties_and_the_public_after_its_hash_is_checked(world, login, published):
    staff = login(world.purchaser_a).get(reverse("performance:round-report", args=[published.pk]))
    assert staff.status_code == 200
    assert b"".join(staff.streaming_content).startswith(b"%PDF")
    public = login(world.outsider).get(reverse("performance-public:result-report", args=[published.pk]))
    assert public.status_code == 200
    assert login(world.outsider).get(reverse("performance:round-report", args=[published.pk])).status_code == 404


def test_no_report_before_publication(world, login, template, contract):
    obj = rounds.open_round(actor=world.purchaser_a, contract=contract, kind="final")
    client = login(world.purchaser_a)
    assert client.get(reverse("performance:round-report", args=[obj.pk])).status_code == 404
    assert client.get(reverse("performance-public:result-report", args=[obj.pk])).status_code == 404


def test_the_api_serves_the_report_of_a_round_the_caller_sees(world, published):
    url = reverse("api:performance-round-report", args=[published.pk])
    answer = api(world.purchaser_a).get(url)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert "绩效评价报告" in text_of(b"".join(answer.streaming_content))
    assert api(world.provider_a).get(url).status_code == 200
    for persona in ("outsider", "purchaser_b", "provider_b"):
        assert api(getattr(world, persona)).get(url).status_code == 404


def test_the_api_has_no_report_before_publication(world, template, contract):
    obj = rounds.open_round(actor=world.purchaser_a, contract=contract, kind="final")
    answer = api(world.purchaser_a).get(reverse("api:performance-round-report", args=[obj.pk]))
    assert answer.status_code == 404


def test_the_api_refuses_a_report_whose_hash_does_not_match(world, published):
    EvaluationRound.objects.filter(pk=published.pk).update(report_sha256="0" * 64)
    answer = api(world.purchaser_a).get(reverse("api:performance-round-report", args=[published.pk]))
    assert answer.status_code == 500
    assert answer.json()["code"] == "integrity_error"
