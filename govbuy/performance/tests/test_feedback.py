"""Results feed back into the stages below: a milestone drafted as "paid after its performance
evaluation" waits for the round tied to it (core.evaluation_gate), and a proposal that renews a
service shows its reviewers the last grades of that service and of its providers
(core.review_panels)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from govbuy.contracts.models import Payment
from govbuy.contracts.samples import pdf
from govbuy.contracts.services import delivery, drafting, payments
from govbuy.core import evaluation_gate
from govbuy.core.errors import ValidationFailed
from govbuy.core.review_panels import review_panels
from govbuy.core.storage import read_verified
from govbuy.performance import feedback
from govbuy.performance.models import EvaluationRound
from govbuy.performance.services import rounds
from tests.builders.contracts import SCHEDULE, publish, sign_both
from tests.builders.performance import make_contract, survey_with_answers, to_awaiting
from tests.builders.planning import advance

pytestmark = pytest.mark.django_db


@pytest.fixture
def gated(world, draft):
    """A contract in delivery whose first milestone is paid after its performance evaluation."""
    schedule = [dict(SCHEDULE[0], needs_evaluation=True), SCHEDULE[1]]
    contract = drafting.set_milestones(
        actor=world.purchaser_a, contract=draft, version=draft.version, milestones=schedule
    )
    contract = prepare_payee(world, contract)
    return publish(world, sign_both(world, contract))


def prepare_payee(world, contract):
    account = drafting.add_payee_account(
        actor=world.provider_a,
        organisation=world.provider_a_org,
        bank_name="中国工商银行北京东城支行",
        account_name=world.provider_a_org.name_zh,
        account_number="0200001234567890123",
    )
    return drafting.choose_payee(actor=world.provider_a, contract=contract, version=contract.version, account=account)


def accepted_first_milestone(world, contract):
    milestone = contract.milestones.get(sequence=1)
    deliverable = delivery.submit_deliverable(
        actor=world.provider_a,
        contract=contract,
        milestone=milestone,
        summary="完成上半年上门服务 612 人次。",
        quantity_achieved="612 人次",
        files=[("服务记录", "records.pdf", pdf("records"))],
    )
    deliverable = delivery.accept_deliverable(actor=world.purchaser_a, deliverable=deliverable, version=1)
    delivery.accept_deliverable(actor=world.purchaser_a_approver, deliverable=deliverable, version=deliverable.version)
    return milestone


def pay(world, contract, milestone, reference="GK-0001"):
    contract.refresh_from_db()
    return payments.record_payment(
        actor=world.purchaser_a,
        contract=contract,
        milestone=milestone,
        amount="1.00",
        payee=contract.payee,
        reference=reference,
    )


class TestPaymentWaitsForTheEvaluation:
    def test_the_flag_is_set_when_the_schedule_is_drafted_and_printed_in_the_contract(self, gated):
        assert [m.needs_evaluation for m in gated.milestones.order_by("sequence")] == [True, False]
        pages = PdfReader(io.BytesIO(read_verified(gated.pdf_path, gated.pdf_sha256))).pages
        assert "绩效评价定稿后支付" in "".join("".join(page.extract_text().split()) for page in pages)

    def test_refused_in_chinese_until_the_tied_round_is_finalised(self, world, template, gated):
        milestone = accepted_first_milestone(world, gated)
        with translation.override("zh-hans"):
            with pytest.raises(ValidationFailed) as refused:
                pay(world, gated, milestone)
            assert "绩效评价" in str(refused.value.message)
        assert not Payment.objects.exists()

        obj = rounds.open_round(actor=world.purchaser_a, contract=gated, kind="periodic", milestone=milestone)
        survey_with_answers(world, gated, obj)
        obj = to_awaiting(world, obj)
        with pytest.raises(ValidationFailed):  # submitted, not yet finalised by a second person
            pay(world, gated, milestone)
        rounds.finalise(actor=world.purchaser_a_approver, round=obj, version=obj.version)
        assert pay(world, gated, milestone).amount

    def test_a_milestone_without_the_flag_is_paid_on_acceptance(self, world, gated):
        gated.milestones.filter(sequence=1).update(needs_evaluation=False)
        milestone = accepted_first_milestone(world, gated)
        assert pay(world, gated, milestone).amount

    def test_a_round_of_another_milestone_does_not_open_the_gate(self, world, template, gated):
        milestone = accepted_first_milestone(world, gated)
        other = gated.milestones.get(sequence=2)
        obj = rounds.open_round(actor=world.purchaser_a, contract=gated, kind="periodic", milestone=other)
        EvaluationRound.objects.filter(pk=obj.pk).update(status="provider_response", total=90, grade="excellent")
        assert feedback.milestone_evaluation_finalised(other.pk)
        with pytest.raises(ValidationFailed):
            pay(world, gated, milestone)

    def test_without_a_registered_checker_the_gate_stays_closed(self, world, gated, monkeypatch):
        monkeypatch.setattr(evaluation_gate, "_checkers", [])
        milestone = accepted_first_milestone(world, gated)
        with pytest.raises(ValidationFailed):
            pay(world, gated, milestone)

    def test_the_milestone_form_and_the_api_carry_the_flag(self, login, world, draft):
        client = login(world.purchaser_a)
        row = SCHEDULE[0]
        response = client.post(
            reverse("contracts:milestones", args=[draft.pk]),
            {
                "version": draft.version,
                "title_1": row["title"],
                "due_1": "2027-06-30",
                "percentage_1": "100",
                "quantity_1": row["quantity_target"],
                "quality_1": row["quality_target"],
                "evaluation_1": "on",
            },
        )
        assert response.status_code == 302
        assert draft.milestones.get().needs_evaluation
        answer = client.get(f"/api/v1/contracts/{draft.pk}/")
        assert answer.status_code == 200
        assert answer.json()["milestones"][0]["needs_evaluation"] is True


def earlier_contract(world, template, approved, grade="poor", total="55.00"):
    """Purchaser A's earlier contract for the same catalog item, with a published round."""
    contract = make_contract(world, approved, provider=world.provider_b_org)
    EvaluationRound.objects.create(
        contract=contract,
        number=1,
        kind="final",
        template=template,
        status="published",
        total=total,
        grade=grade,
        published_at=timezone.now(),
    )
    return contract


class TestRenewalShowsTheLastGrades:
    def test_reviewers_see_the_grades_of_the_service_and_its_provider(self, login, world, template, approved, propose):
        earlier = earlier_contract(world, template, approved)
        elsewhere = make_contract(world, approved, provider=world.provider_b_org)
        EvaluationRound.objects.filter(contract=earlier).update(published_at=timezone.now() - dt.timedelta(days=1))
        EvaluationRound.objects.create(
            contract=elsewhere,
            number=1,
            kind="periodic",
            template=template,
            status="published",
            total="92.00",
            grade="excellent",
            published_at=timezone.now(),
        )
        renewal = advance(propose(title="东城区居家养老上门服务（续）"), world, to="under_review")
        panels = {p["id"]: p for p in review_panels(renewal.pk)}
        service = panels["renewal-service-grades"]["items"]
        assert [i["label"].split(" · ")[0] for i in service][:2] == [elsewhere.reference, earlier.reference]
        client = login(world.district_finance_a)
        with translation.override("zh-hans"):
            page = client.get(reverse("planning:project", args=[renewal.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert page.status_code == 200
        html = page.content.decode()
        assert 'id="renewal-service-grades"' in html
        assert 'id="renewal-provider-grades"' in html
        assert "第1轮" in html
        assert earlier.reference in html
        assert world.provider_b_org.name_zh in html
        answer = client.get(f"/api/v1/planning/projects/{renewal.pk}/")
        assert answer.status_code == 200
        assert {p["id"] for p in answer.json()["panels"]} == {"renewal-service-grades", "renewal-provider-grades"}

    def test_a_proposal_for_a_new_service_shows_no_panel(self, world, template, approved, propose, catalog):
        earlier_contract(world, template, approved)
        other = propose(title="社区老年人助餐服务", catalog_item=catalog["A05-02"])
        assert review_panels(other.pk) == []

    def test_unpublished_grades_are_not_shown(self, world, template, approved, propose):
        earlier = earlier_contract(world, template, approved)
        EvaluationRound.objects.filter(contract=earlier).update(status="provider_response", published_at=None)
        renewal = propose(title="东城区居家养老上门服务（续）")
        panels = {p["id"]: p for p in review_panels(renewal.pk)}
        assert panels["renewal-service-grades"]["items"] == []
