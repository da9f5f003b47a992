"""Drawing and signing (Order 102 Art. 23–24, 29; Reg. Art. 48, 50, 54; Law Art. 46–47)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from govbuy.audit.models import AuditEvent
from govbuy.contracts.models import Contract, ContractStatus
from govbuy.contracts.services import drafting, signing
from govbuy.core.calendar.rules import SHANGHAI
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.procurement.services import challenges
from govbuy.providers.models import ProviderProfile
from govbuy.providers.services import standing
from tests.builders.contracts import draw, prepare, sign_both

from .conftest import backdate

pytestmark = pytest.mark.django_db


def test_the_contract_is_drawn_from_the_confirmed_award_with_the_award_amount(world, award):
    contract = draw(world, award)
    assert contract.value == award.amount == contract.original_value
    assert contract.provider_id == award.provider_id
    assert contract.purchaser_id == world.purchaser_a_org.pk
    assert contract.status == ContractStatus.DRAFT
    assert contract.award_notice_at == award.confirmed_at
    assert "上门助老服务" in contract.quantity_quality
    assert "服务合格率" in contract.quantity_quality
    assert AuditEvent.objects.filter(action="contracts.contract.drawn", object_id=str(contract.pk)).exists()
    with pytest.raises(Conflict):
        draw(world, award)


def test_a_contract_is_refused_while_a_challenge_awaits_its_answer(world, award):
    challenges.lodge_challenge(
        actor=world.provider_b, tender=award.tender, provider=world.provider_b_org, grounds="评分有误"
    )
    with pytest.raises(TransitionRefused, match=r"Reg. Art. 54") as err:
        draw(world, award)
    assert err.value.code == "signing_suspended"
    assert not Contract.objects.exists()


def test_a_challenge_lodged_after_the_draft_blocks_the_signatures(world, ready):
    challenges.lodge_challenge(
        actor=world.provider_b, tender=ready.award.tender, provider=world.provider_b_org, grounds="评分有误"
    )
    with pytest.raises(TransitionRefused, match=r"Reg. Art. 54"):
        signing.provider_sign(actor=world.provider_a, contract=ready, version=ready.version)


def test_a_provider_suspended_since_the_award_cannot_sign(world, award):
    profile = ProviderProfile.objects.get(organisation=world.provider_a_org)
    standing.suspend_provider(
        actor=world.civil_affairs,
        profile=profile,
        version=profile.version,
        reason="列入名单",
        until=timezone.localdate() + dt.timedelta(days=90),
    )
    with pytest.raises(TransitionRefused) as err:
        draw(world, award)
    assert err.value.code == "provider_suspended"


def test_the_purchaser_must_declare_no_financing_guarantee(world, award):
    with pytest.raises(ValidationFailed, match=r"Art. 29"):
        draw(world, award, no_financing_guarantee=False)


def test_a_bond_of_10_01_percent_or_in_cash_is_refused(world, award):
    with pytest.raises(ValidationFailed, match=r"Reg. Art. 48"):
        draw(world, award, bond_amount="10.01", bond_form="bank_guarantee")  # the award is 100.00
    with pytest.raises(ValidationFailed, match="non-cash"):
        draw(world, award, bond_amount="5.00", bond_form="cash")
    contract = draw(world, award, bond_amount="10.00", bond_form="bank_guarantee")
    assert contract.bond_amount == Decimal("10.00")


def test_a_term_of_three_years_and_a_day_is_refused(world, award):
    with pytest.raises(ValidationFailed, match=r"Art. 24"):
        draw(world, award, period_start=dt.date(2027, 1, 1), period_end=dt.date(2028, 1, 1))


def test_outsiders_and_providers_cannot_draw(world, award):
    with pytest.raises(NotFound):
        drafting.draw_from_award(actor=world.outsider, award=award, no_financing_guarantee=True)
    with pytest.raises((NotFound, PermissionRefused)):
        drafting.draw_from_award(actor=world.provider_a, award=award, no_financing_guarantee=True)


def test_signing_needs_the_schedule_and_the_providers_own_payee(world, draft):
    with pytest.raises(TransitionRefused, match="milestone"):
        signing.provider_sign(actor=world.provider_a, contract=draft, version=draft.version)


def test_provider_signs_first_then_purchaser_and_the_pdf_is_stored_with_its_hash(world, ready):
    with pytest.raises(TransitionRefused):
        signing.purchaser_sign(actor=world.purchaser_a, contract=ready, version=ready.version)
    with pytest.raises(PermissionRefused):
        signing.provider_sign(actor=world.purchaser_a, contract=ready, version=ready.version)
    contract = signing.provider_sign(actor=world.provider_a, contract=ready, version=ready.version)
    assert contract.status == ContractStatus.PROVIDER_SIGNED
    assert len(contract.pdf_sha256) == 64
    from govbuy.core.storage import read_verified

    assert read_verified(contract.pdf_path, contract.pdf_sha256).startswith(b"%PDF")
    mail.outbox.clear()
    contract = signing.purchaser_sign(actor=world.purchaser_a, contract=contract, version=contract.version)
    assert contract.status == ContractStatus.SIGNED
    assert contract.signed_at is not None
    assert not contract.signed_late


def test_a_stale_version_is_refused(world, ready):
    with pytest.raises(Conflict):
        signing.provider_sign(actor=world.provider_a, contract=ready, version=ready.version - 1)


def test_signing_on_day_31_after_the_award_notice_is_allowed_and_marked_late(world, ready):
    now = dt.datetime.now(SHANGHAI)
    backdate(ready, award_notice_at=now - dt.timedelta(days=31))
    contract = sign_both(world, ready)
    assert contract.signed_late is True
    event = AuditEvent.objects.get(action="contracts.contract.signed")
    assert event.data["late"] == "late"


def test_signing_on_day_30_is_in_time(world, ready):
    now = dt.datetime.now(SHANGHAI)
    backdate(ready, award_notice_at=now - dt.timedelta(days=30))
    assert sign_both(world, ready).signed_late is False


def test_above_the_threshold_the_purchaser_signature_needs_two_users(world, ready, settings):
    settings.GOVBUY_AWARD_FOUR_EYES_THRESHOLD = "50.00"
    contract = signing.provider_sign(actor=world.provider_a, contract=ready, version=ready.version)
    contract = signing.purchaser_sign(actor=world.purchaser_a, contract=contract, version=contract.version)
    assert contract.status == ContractStatus.PROVIDER_SIGNED
    with pytest.raises(PermissionRefused, match="four eyes"):
        signing.purchaser_sign(actor=world.purchaser_a, contract=contract, version=contract.version)
    contract = signing.purchaser_sign(actor=world.purchaser_a_approver, contract=contract, version=contract.version)
    assert contract.status == ContractStatus.SIGNED
    assert contract.purchaser_first_signer == world.purchaser_a
    assert contract.purchaser_signed_by == world.purchaser_a_approver


def test_publication_within_two_working_days_is_in_time_and_later_is_marked_late(world, signed):
    contract = signing.publish(
        actor=world.purchaser_a,
        contract=signed,
        version=signed.version,
        withheld=[{"section": "settlement", "reason": "单价构成属商业秘密"}],
    )
    assert contract.status == ContractStatus.PUBLISHED
    assert contract.published_late is False
    assert contract.withheld == [{"section": "settlement", "reason": "单价构成属商业秘密"}]


def test_publication_three_working_days_after_signing_is_late(world, signed):
    # Ten calendar days always hold at least three working days.
    backdate(signed, signed_at=signed.signed_at - dt.timedelta(days=10))
    contract = signing.publish(actor=world.purchaser_a, contract=signed, version=signed.version)
    assert contract.published_late is True


def test_filing_within_seven_working_days_and_late_after(world, signed):
    contract = signing.file_with_finance(actor=world.purchaser_a, contract=signed, version=signed.version)
    assert contract.filed_at is not None
    assert contract.filed_late is False
    with pytest.raises(Conflict):
        signing.file_with_finance(actor=world.purchaser_a, contract=contract, version=contract.version)


def test_filing_twenty_days_after_signing_is_late(world, signed):
    backdate(signed, signed_at=signed.signed_at - dt.timedelta(days=20))
    contract = signing.file_with_finance(actor=world.purchaser_a, contract=signed, version=signed.version)
    assert contract.filed_late is True


def test_an_unsigned_contract_is_cancelled_with_its_reason(world, ready):
    contract = signing.cancel(
        actor=world.purchaser_a, contract=ready, version=ready.version, reason="投诉成立，重新评审"
    )
    assert contract.status == ContractStatus.CANCELLED


def test_a_payee_of_another_organisation_is_refused(world, draft):
    other = drafting.add_payee_account(
        actor=world.provider_b,
        organisation=world.provider_b_org,
        bank_name="中国银行",
        account_name="朝阳区康乐",
        account_number="6222000011112222",
    )
    with pytest.raises(ValidationFailed, match="own account"):
        drafting.choose_payee(actor=world.provider_a, contract=draft, version=draft.version, account=other)


def test_prepare_helper_produces_a_signable_contract(world, draft):
    contract = prepare(world, draft)
    assert contract.milestones.count() == 2
    assert contract.payee.organisation_id == world.provider_a_org.pk


def _refuse(world, award):
    from govbuy.procurement.services import refusals
    from govbuy.providers.samples import minimal_pdf

    refusals.record_refusal(
        actor=world.purchaser_a,
        tender=award.tender,
        award=award,
        ground="refused",
        reason="中标供应商书面放弃签约。",
        evidence=("函.pdf", minimal_pdf("放弃")),
    )


def test_a_superseded_award_is_never_drawn_nor_its_draft_signed(world, award):
    """Reg. Art. 49: once the winner's refusal to sign is recorded, its award no longer binds."""
    from govbuy.procurement.services import refusals

    contract = prepare(world, draw(world, award))
    _refuse(world, award)
    with pytest.raises(TransitionRefused, match="refusal to sign") as refused:
        signing.provider_sign(actor=world.provider_a, contract=contract, version=contract.version)
    assert refused.value.code == "award_superseded"
    signing.cancel(actor=world.purchaser_a, contract=contract, version=contract.version, reason="中标供应商拒签")
    refusals.confirm_refusal(actor=world.purchaser_a_approver, tender=award.tender, award=award)
    with pytest.raises(TransitionRefused, match="confirmed award only"):
        draw(world, award)


def test_no_refusal_to_sign_is_recorded_once_the_provider_signed(world, ready):
    """Reg. Art. 49: a winner that signed did not refuse; contracts answers procurement's question
    through govbuy.core.signing_gate."""
    award = ready.award
    signing.provider_sign(actor=world.provider_a, contract=ready, version=ready.version)
    with pytest.raises(TransitionRefused, match="has signed the contract"):
        _refuse(world, award)
    award.refresh_from_db()
    assert award.status == "active"
    assert not AuditEvent.objects.filter(action="procurement.award.refusal_recorded").exists()


def test_a_refusal_is_recorded_while_the_draft_is_unsigned(world, ready):
    _refuse(world, ready.award)
    ready.award.refresh_from_db()
    assert ready.award.status == "refusal_recorded"
