"""The demo data (`manage.py seed_demo`) holds contracts in every state, drawn from an award and
from commissions, built through the services; loading it again adds nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from govbuy.contracts.models import (
    Basis,
    Contract,
    ContractStatus,
    DeliverableStatus,
    FlagKind,
    SubcontractingFlag,
    TerminationCause,
)
from govbuy.core.storage import read_verified
from govbuy.procurement.models import AwardStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_contracts_in_every_state_and_loads_once(db):
    call_command("seed_demo", verbosity=0)
    by_title = {c.title: c for c in Contract.objects.all()}
    states = {c.status for c in by_title.values()}
    assert {
        ContractStatus.DRAFT,
        ContractStatus.SIGNED,
        ContractStatus.PUBLISHED,
        ContractStatus.SUSPENDED,
        ContractStatus.TERMINATED,
        ContractStatus.COMPLETED,
    } <= states
    delivering = by_title["东城区居家医疗护理巡诊委托服务"]
    assert set(delivering.deliverables.values_list("status", flat=True)) == {
        DeliverableStatus.ACCEPTED,
        DeliverableStatus.RETURNED,
    }
    assert delivering.payments.exists()
    assert delivering.visits.exists()
    amended = by_title["东城区心理健康热线委托服务"]
    assert amended.value > amended.original_value
    ended = by_title["东城区社区康复站运营委托服务"]
    assert ended.termination_cause == TerminationCause.SUBCONTRACTING
    assert SubcontractingFlag.objects.filter(contract=ended, kind=FlagKind.ROSTER_ELSEWHERE).exists()
    assert SubcontractingFlag.objects.filter(contract=ended, kind=FlagKind.DOCUMENT_AUTHOR).exists()
    done = by_title["东城区控烟宣传委托服务"]
    assert done.amount_paid == done.value
    assert read_verified(done.pdf_path, done.pdf_sha256).startswith(b"%PDF")
    # Drawn from an award as well as from commissions: the tender run for it is unchallenged.
    from_award = Contract.objects.get(basis=Basis.AWARD)
    assert from_award.award.status == AwardStatus.ACTIVE
    assert from_award.provider_id == from_award.award.provider_id
    assert from_award.value == from_award.award.amount
    assert from_award.published_at is not None
    assert from_award.deliverables.filter(status=DeliverableStatus.ACCEPTED).exists()
    assert from_award.payments.exists()
    assert Contract.objects.filter(basis=Basis.COMMISSION).count() == len(by_title) - 1
    before = Contract.objects.count()
    call_command("seed_demo", verbosity=0)
    assert Contract.objects.count() == before
