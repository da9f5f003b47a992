"""Amendments (Law Art. 49; a term change re-checks Order 102 Art. 24), suspension while a
complaint is decided (Reg. Art. 54), termination, subcontracting (Order 102 Art. 26, Reg. Art.
72) and the commission outside the procurement scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from govbuy.contracts.models import AmendmentStatus, Basis, ContractStatus, FlagKind, SubcontractingFlag
from govbuy.contracts.samples import pdf
from govbuy.contracts.services import changes, delivery, drafting, subcontracting
from govbuy.core import facts
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from tests.builders.planning import advance

pytestmark = pytest.mark.django_db
ROSTER = (FlagKind.ROSTER_ELSEWHERE, FlagKind.ROSTER_NOT_STAFF)


@pytest.fixture
def reported():
    seen: list[facts.ProviderFact] = []
    facts.register(seen.append, order=1000)
    yield seen
    facts.unregister(seen.append)


def amend(world, contract, change="0", end=None, rationale="value_increase"):
    contract.refresh_from_db()
    proposed = changes.propose_amendment(
        actor=world.purchaser_a,
        contract=contract,
        version=contract.version,
        rationale=rationale,
        description="增加服务人次",
        value_change=change,
        new_period_end=end,
    )
    return changes.confirm_amendment(actor=world.purchaser_a_approver, amendment=proposed)


def test_an_amendment_needs_a_second_user_and_changes_the_value(world, live):
    proposed = changes.propose_amendment(
        actor=world.purchaser_a,
        contract=live,
        version=live.version,
        rationale="value_increase",
        description="增加服务人次",
        value_change="6.00",
    )
    with pytest.raises(PermissionRefused, match="four eyes"):
        changes.confirm_amendment(actor=world.purchaser_a, amendment=proposed)
    done = changes.confirm_amendment(actor=world.purchaser_a_approver, amendment=proposed)
    assert done.status == AmendmentStatus.ACTIVE
    live.refresh_from_db()
    assert live.value == Decimal("106.00")
    assert live.original_value == Decimal("100.00")


def test_increases_may_total_10_percent_and_no_more(world, live):
    amend(world, live, "6.00")
    with pytest.raises(ValidationFailed, match=r"Law Art\. 49"):
        amend(world, live, "4.01")
    amend(world, live, "4.00")
    live.refresh_from_db()
    assert live.value == Decimal("110.00")


def test_an_amendment_needs_a_rationale_code(world, live):
    with pytest.raises(ValidationFailed):
        amend(world, live, "1.00", rationale="because")


def test_a_term_change_rechecks_article_24(world, live):
    with pytest.raises(ValidationFailed, match=r"Art\. 24"):
        amend(world, live, end=dt.date(2028, 1, 1), rationale="term_change")
    amend(world, live, end=dt.date(2027, 12, 31), rationale="term_change")


def test_suspension_while_a_complaint_is_decided_stops_delivery_and_resumption_restores_it(world, live):
    suspended = changes.suspend(
        actor=world.district_finance_a, contract=live, version=live.version, reason="投诉处理中"
    )
    assert suspended.status == ContractStatus.SUSPENDED
    with pytest.raises(TransitionRefused):
        delivery.submit_deliverable(
            actor=world.provider_a,
            contract=live,
            milestone=live.milestones.first(),
            summary="x",
            quantity_achieved="1",
            files=[("x", "a.pdf", pdf())],
        )
    resumed = changes.resume(actor=world.purchaser_a, contract=live, version=suspended.version)
    assert resumed.status == ContractStatus.PUBLISHED


def test_the_other_districts_finance_bureau_cannot_suspend(world, live):
    with pytest.raises(NotFound):
        changes.suspend(actor=world.district_finance_b, contract=live, version=live.version, reason="x")


def test_termination_records_the_amount_paid_and_the_reason(world, live, reported):
    ended = changes.terminate(
        actor=world.purchaser_a, contract=live, version=live.version, cause="provider_default", reason="连续两月未服务"
    )
    assert ended.status == ContractStatus.TERMINATED
    assert ended.termination_reason == "连续两月未服务"
    assert [f.kind for f in reported] == ["contracts.terminated_for_cause"]
    with pytest.raises(TransitionRefused):
        changes.terminate(actor=world.purchaser_a, contract=live, version=ended.version, cause="agreement", reason="x")


def test_a_roster_member_on_another_providers_staff_list_is_flagged(world, live, providers):
    from govbuy.providers.models import StaffEntry

    StaffEntry.objects.filter(section__profile__organisation=world.provider_b_org).update(certificate_number="SG-777")
    member = subcontracting.add_roster_member(
        actor=world.provider_a,
        contract=live,
        name="赵六",
        role="护理员",
        certificate_number="SG-777",
        from_date=dt.date(2027, 1, 1),
        to_date=dt.date(2027, 6, 30),
    )
    assert member.on_staff_list is False
    kinds = set(SubcontractingFlag.objects.filter(contract=live, kind__in=ROSTER).values_list("kind", flat=True))
    assert kinds == {FlagKind.ROSTER_ELSEWHERE, FlagKind.ROSTER_NOT_STAFF}


def test_a_roster_drawn_from_the_own_staff_list_raises_no_flag(world, live):
    member = subcontracting.add_roster_member(
        actor=world.provider_a,
        contract=live,
        name="王五",
        role="社工",
        from_date=dt.date(2027, 1, 1),
        to_date=dt.date(2027, 6, 30),
    )
    assert member.on_staff_list is True
    assert not SubcontractingFlag.objects.filter(contract=live, kind__in=ROSTER).exists()


def test_a_payee_account_shared_with_another_provider_is_flagged(world, live):
    drafting.add_payee_account(
        actor=world.provider_b,
        organisation=world.provider_b_org,
        bank_name="中国工商银行",
        account_name="代收",
        account_number=live.payee.account_number,
    )
    assert SubcontractingFlag.objects.filter(contract=live, kind=FlagKind.SHARED_PAYEE).exists()


def test_a_shared_phone_or_address_is_flagged(world, live):
    from govbuy.providers.models import ProviderProfile

    mine = ProviderProfile.objects.get(organisation=world.provider_a_org)
    SubcontractingFlag.objects.all().delete()
    ProviderProfile.objects.filter(organisation=world.provider_b_org).update(
        contact_phone="010-99999999", registered_address="北京市朝阳区另一地址"
    )
    subcontracting.refresh_flags(live)
    assert not SubcontractingFlag.objects.filter(contract=live).exists()
    ProviderProfile.objects.filter(organisation=world.provider_b_org).update(
        contact_phone=mine.contact_phone, registered_address=mine.registered_address
    )
    subcontracting.refresh_flags(live)
    kinds = set(SubcontractingFlag.objects.filter(contract=live).values_list("kind", flat=True))
    assert {FlagKind.SHARED_PHONE, FlagKind.SHARED_ADDRESS} <= kinds


def test_a_deliverable_authored_by_another_organisation_is_flagged(world, live):
    delivery.submit_deliverable(
        actor=world.provider_a,
        contract=live,
        milestone=live.milestones.first(),
        summary="上半年服务报告",
        quantity_achieved="600 人次",
        files=[("报告", "report.pdf", pdf("report", author=world.provider_b_org.name_en))],
    )
    flag = SubcontractingFlag.objects.get(contract=live, kind=FlagKind.DOCUMENT_AUTHOR)
    assert flag.detail == world.provider_b_org.name_zh


def test_a_subcontracting_finding_terminates_for_cause_and_reports_the_fact(world, live, reported):
    ended = subcontracting.record_finding(
        actor=world.purchaser_a, contract=live, version=live.version, finding="现场核查发现由他方人员提供服务"
    )
    assert ended.status == ContractStatus.TERMINATED
    assert ended.termination_cause == "subcontracting"
    assert [f.kind for f in reported] == ["contracts.subcontracting_found"]
    assert reported[0].provider_id == world.provider_a_org.pk


def test_a_commission_outside_the_procurement_scope_needs_its_written_reason(world, propose, providers):
    project = advance(
        propose(in_procurement_scope=False, suggested_method="commission", title="社区调解委托"), world, to="approved"
    )
    with pytest.raises(ValidationFailed):
        drafting.draw_from_commission(
            actor=world.purchaser_a, project=project, provider=world.provider_a_org, value="5000.00", reason=""
        )
    contract = drafting.draw_from_commission(
        actor=world.purchaser_a,
        project=project,
        provider=world.provider_a_org,
        value="5000.00",
        reason="法律规定由社会组织承担的委托事项",
        no_financing_guarantee=True,
    )
    assert contract.basis == Basis.COMMISSION
    assert contract.award_id is None
    with pytest.raises(ValidationFailed, match="estimate"):
        drafting.draw_from_commission(
            actor=world.purchaser_a,
            project=project,
            provider=world.provider_a_org,
            value=str(project.estimate + 1),
            reason="法律规定由社会组织承担的委托事项",
            no_financing_guarantee=True,
        )


def test_a_project_inside_the_procurement_scope_is_not_commissioned(world, approved, providers):
    with pytest.raises(TransitionRefused):
        drafting.draw_from_commission(
            actor=world.purchaser_a,
            project=approved,
            provider=world.provider_a_org,
            value="5000.00",
            reason="理由",
            no_financing_guarantee=True,
        )


def test_one_open_amendment_at_a_time(world, live):
    changes.propose_amendment(
        actor=world.purchaser_a,
        contract=live,
        version=live.version,
        rationale="value_increase",
        description="x",
        value_change="1",
    )
    live.refresh_from_db()
    with pytest.raises(Conflict):
        changes.propose_amendment(
            actor=world.purchaser_a,
            contract=live,
            version=live.version,
            rationale="value_increase",
            description="y",
            value_change="1",
        )
