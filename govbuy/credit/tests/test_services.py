"""Credit services: facts reported by earlier stages and entered by authorities (evidence, four
eyes), corrections as new facts, objections in their period decided with reasons, bans of one to
three years enforced at the gate."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from govbuy.audit.describe import describe
from govbuy.audit.models import AuditEvent
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.credit import selectors
from govbuy.credit.models import Ban, CreditFact, Objection
from govbuy.credit.services import bans, objections, records
from govbuy.providers import selectors as provider_selectors

from .conftest import evidence, report

pytestmark = pytest.mark.django_db


def test_a_reported_fact_is_recorded_once_with_its_direction(world, provider):
    report("procurement.refused_to_sign", provider, source_id=7, actor=world.purchaser_a)
    report("procurement.refused_to_sign", provider, source_id=7, actor=world.purchaser_a)
    report("contracts.completed_on_time", provider, source_id=8)
    report("performance.grade_poor", provider, source_id=9)
    recorded = {f.kind: f for f in CreditFact.objects.all()}
    assert len(recorded) == 3
    assert recorded["procurement.refused_to_sign"].direction == "negative"
    assert recorded["contracts.completed_on_time"].direction == "positive"
    assert recorded["procurement.refused_to_sign"].notified_at is not None
    event = AuditEvent.objects.filter(action="credit.fact.recorded").first()
    assert "refused to sign" in describe(event)


def test_an_authority_fact_needs_evidence_and_a_second_person(world, provider, second_finance):
    args = {
        "provider": provider,
        "kind": "credit.false_materials",
        "occurred_on": timezone.localdate(),
        "summary": "投标文件中提供虚假业绩证明",
        "legal_basis": "《政府采购法》第七十七条第一款第（一）项",
    }
    with pytest.raises(ValidationFailed) as exc:
        records.enter_fact(actor=world.city_finance, **args)
    assert exc.value.code == "evidence_required"
    with pytest.raises(PermissionRefused):
        records.enter_fact(actor=world.purchaser_a, documents=evidence(), **args)
    fact = records.enter_fact(actor=world.city_finance, documents=evidence(), **args)
    assert fact.documents.count() == 1
    assert fact.confirmed_at is None
    with pytest.raises(PermissionRefused, match="four eyes"):
        records.confirm_fact(actor=world.city_finance, fact=fact)
    confirmed = records.confirm_fact(actor=second_finance, fact=fact)
    assert confirmed.confirmed_by == second_finance
    with pytest.raises(Conflict):
        records.confirm_fact(actor=second_finance, fact=fact)


def test_a_correction_is_a_new_fact_and_the_old_one_stops_counting(world, provider):
    fact = report("performance.grade_poor", provider)
    before = selectors.score_of(provider.pk).score
    records.correct_fact(actor=world.city_finance, fact=CreditFact.objects.get(), reason="评价结果录入错误")
    after = selectors.score_of(provider.pk)
    assert after.score > before
    assert CreditFact.objects.count() == 2
    original = CreditFact.objects.get(kind="performance.grade_poor")
    assert original.summary == fact.summary  # never edited
    assert original.corrected_by.kind == "credit.withdrawn"


def test_an_objection_within_its_period_is_decided_with_reasons_each_way(world, provider):
    report("performance.grade_poor", provider, source_id=1)
    report("procurement.complaint_upheld_against", provider, source_id=2)
    first, second = CreditFact.objects.order_by("pk")
    with pytest.raises(NotFound):
        objections.file_objection(actor=world.provider_b, fact=first, text="x")
    upheld = objections.file_objection(
        actor=world.provider_a, fact=first, text="评价未考虑不可抗力", documents=evidence()
    )
    rejected = objections.file_objection(actor=world.provider_a, fact=second, text="投诉不实")
    assert selectors.score_of(provider.pk).lines[0].under_objection
    with pytest.raises(ValidationFailed):
        objections.decide_objection(actor=world.city_finance, objection=upheld, version=1, upheld=True, reasons="")
    with pytest.raises(PermissionRefused):
        objections.decide_objection(actor=world.provider_a, objection=upheld, version=1, upheld=True, reasons="x")
    with pytest.raises(NotFound):
        objections.decide_objection(actor=world.purchaser_b, objection=upheld, version=1, upheld=True, reasons="x")
    objections.decide_objection(actor=world.city_finance, objection=upheld, version=1, upheld=True, reasons="证据充分")
    objections.decide_objection(
        actor=world.city_finance, objection=rejected, version=1, upheld=False, reasons="投诉处理决定已生效"
    )
    assert CreditFact.objects.filter(corrects=first).exists()
    assert not CreditFact.objects.filter(corrects=second).exists()
    assert set(Objection.objects.values_list("status", flat=True)) == {"upheld", "rejected"}
    with pytest.raises(TransitionRefused):
        objections.decide_objection(actor=world.city_finance, objection=rejected, version=2, upheld=True, reasons="x")


def test_an_objection_after_its_period_is_refused(world, provider):
    report("performance.grade_poor", provider)
    fact = CreditFact.objects.get()
    CreditFact.objects.filter(pk=fact.pk).update(notified_at=timezone.now() - dt.timedelta(days=30))
    with pytest.raises(TransitionRefused) as exc:
        objections.file_objection(actor=world.provider_a, fact=fact, text="迟到的异议")
    assert exc.value.code == "objection_late"
    assert not Objection.objects.exists()


def test_a_ban_is_one_to_three_years_and_refuses_the_provider_at_every_gate(world, provider):
    today = timezone.localdate()
    args = {
        "provider": provider,
        "facts": "提供虚假材料谋取中标",
        "penalty": "罚款采购金额千分之五，一年内禁止参加政府采购活动",
        "legal_basis": "《政府采购法》第七十七条",
        "decision_number": "京财采处〔2026〕1号",
    }
    with pytest.raises(ValidationFailed, match="end after it starts"):
        bans.decide_ban(actor=world.city_finance, starts_on=today, ends_on=today - dt.timedelta(days=1), **args)
    with pytest.raises(ValidationFailed, match="one to three years"):
        bans.decide_ban(actor=world.city_finance, starts_on=today, ends_on=today + dt.timedelta(days=4 * 365), **args)
    with pytest.raises(PermissionRefused):
        bans.decide_ban(actor=world.civil_affairs, starts_on=today, ends_on=today + dt.timedelta(days=400), **args)
    ban = bans.decide_ban(actor=world.city_finance, starts_on=today, ends_on=today + dt.timedelta(days=400), **args)
    assert ban.restriction.kind == "ban"
    assert Ban.objects.get().restriction.source == f"credit.ban:{ban.pk}"
    for gate in provider_selectors.Gate:
        assert provider_selectors.participation(provider.pk, gate=gate).code == "banned"
    event = AuditEvent.objects.get(action="credit.ban.decided")
    assert "京财采处" in describe(event)
