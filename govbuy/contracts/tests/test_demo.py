"""The demo data (`manage.py seed_demo`) holds contracts in every state, built through the
services; loading it again adds nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from govbuy.contracts.models import (
    Contract,
    ContractStatus,
    DeliverableStatus,
    FlagKind,
    SubcontractingFlag,
    TerminationCause,
)
from govbuy.core.storage import read_verified

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
    before = Contract.objects.count()
    call_command("seed_demo", verbosity=0)
    assert Contract.objects.count() == before
