"""Delivery and payments: deliverables with evidence, acceptance with four eyes or return with
reasons, monitoring visits, payments only against accepted milestones to the provider's own
account and never beyond the value (also when two race for the last yuan), completion."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from govbuy.audit.models import AuditEvent
from govbuy.contracts.models import Contract, ContractStatus, DeliverableStatus, MilestoneStatus, Payment
from govbuy.contracts.samples import pdf
from govbuy.contracts.services import changes, delivery, drafting, payments
from govbuy.core import facts
from govbuy.core.errors import DomainError, NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.providers.models import ProviderProfile
from govbuy.providers.services import standing

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported():
    seen: list[facts.ProviderFact] = []
    facts.register(seen.append, order=1000)
    yield seen
    facts.unregister(seen.append)


def submit(world, contract, sequence=1, author=""):
    milestone = contract.milestones.get(sequence=sequence)
    return delivery.submit_deliverable(
        actor=world.provider_a,
        contract=contract,
        milestone=milestone,
        summary="完成上半年上门服务 612 人次。",
        quantity_achieved="612 人次",
        files=[("服务记录", "records.pdf", pdf("records", author))],
    )


def accept(world, deliverable):
    deliverable = delivery.accept_deliverable(
        actor=world.purchaser_a, deliverable=deliverable, version=deliverable.version
    )
    return delivery.accept_deliverable(
        actor=world.purchaser_a_approver, deliverable=deliverable, version=deliverable.version
    )


def pay(world, contract, amount, sequence=1, reference="GK-0001", payee=None):
    return payments.record_payment(
        actor=world.purchaser_a,
        contract=contract,
        milestone=contract.milestones.get(sequence=sequence),
        amount=amount,
        payee=payee or contract.payee,
        reference=reference,
    )


def test_a_deliverable_with_evidence_is_accepted_by_two_different_users(world, live):
    deliverable = submit(world, live)
    assert deliverable.documents.count() == 1
    assert live.milestones.get(sequence=1).status == MilestoneStatus.SUBMITTED
    first = delivery.accept_deliverable(actor=world.purchaser_a, deliverable=deliverable, version=deliverable.version)
    assert first.status == DeliverableStatus.ACCEPTING
    with pytest.raises(PermissionRefused, match="four eyes"):
        delivery.accept_deliverable(actor=world.purchaser_a, deliverable=first, version=first.version)
    done = delivery.accept_deliverable(actor=world.purchaser_a_approver, deliverable=first, version=first.version)
    assert done.status == DeliverableStatus.ACCEPTED
    assert live.milestones.get(sequence=1).status == MilestoneStatus.ACCEPTED
    assert AuditEvent.objects.filter(action="contracts.deliverable.accepted").exists()


def test_the_upload_checks_apply_to_evidence(world, live):
    with pytest.raises(ValidationFailed) as err:
        delivery.submit_deliverable(
            actor=world.provider_a,
            contract=live,
            milestone=live.milestones.get(sequence=1),
            summary="x",
            quantity_achieved="1",
            files=[("x", "run.exe", b"MZ....")],
        )
    assert err.value.code == "upload_refused"


def test_a_returned_deliverable_states_its_reasons_and_is_reported(world, live, reported):
    deliverable = submit(world, live)
    with pytest.raises(ValidationFailed):
        delivery.return_deliverable(
            actor=world.purchaser_a, deliverable=deliverable, version=deliverable.version, reasons=""
        )
    returned = delivery.return_deliverable(
        actor=world.purchaser_a, deliverable=deliverable, version=deliverable.version, reasons="服务记录缺少签名"
    )
    assert returned.status == DeliverableStatus.RETURNED
    assert live.milestones.get(sequence=1).status == MilestoneStatus.PENDING
    assert [f.kind for f in reported] == ["contracts.deliverable_returned"]
    submit(world, live)  # the provider may submit again


def test_a_suspended_provider_cannot_submit_a_deliverable(world, live):
    profile = ProviderProfile.objects.get(organisation=world.provider_a_org)
    standing.suspend_provider(
        actor=world.civil_affairs,
        profile=profile,
        version=profile.version,
        reason="列入名单",
        until=timezone.localdate() + dt.timedelta(days=90),
    )
    with pytest.raises(TransitionRefused) as err:
        submit(world, live)
    assert err.value.code == "provider_suspended"


def test_only_the_contracting_provider_submits(world, live):
    with pytest.raises(NotFound):
        delivery.submit_deliverable(
            actor=world.outsider,
            contract=live,
            milestone=live.milestones.first(),
            summary="x",
            quantity_achieved="1",
            files=[("x", "a.pdf", pdf())],
        )


def test_a_monitoring_visit_is_recorded(world, live):
    visit = delivery.record_visit(
        actor=world.purchaser_a, contract=live, visited_on=dt.date.today(), rating="concerns", findings="部分记录不全"
    )
    assert visit.contract_id == live.pk


def test_a_payment_needs_an_accepted_milestone(world, live):
    with pytest.raises(ValidationFailed, match="accepted milestone"):
        pay(world, live, "40.00")


def test_payments_go_only_to_the_providers_own_account(world, live):
    accept(world, submit(world, live))
    other = drafting.add_payee_account(
        actor=world.provider_b,
        organisation=world.provider_b_org,
        bank_name="中国银行",
        account_name="朝阳区康乐",
        account_number="6222000011112222",
    )
    with pytest.raises(ValidationFailed, match="own account"):
        pay(world, live, "40.00", payee=other)


def test_a_payment_above_the_remaining_value_is_refused(world, live):
    accept(world, submit(world, live))
    payment = pay(world, live, "99.99")
    live.refresh_from_db()
    assert live.amount_paid == payment.amount
    with pytest.raises(ValidationFailed, match="remaining"):
        pay(world, live, "0.02", reference="GK-0002")
    pay(world, live, "0.01", reference="GK-0002")
    live.refresh_from_db()
    assert live.amount_paid == live.value


def test_the_database_refuses_paid_amounts_above_the_value(world, live):
    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.filter(pk=live.pk).update(amount_paid=live.value + Decimal("0.01"))


def test_completion_needs_every_milestone_accepted_and_paid(world, live, reported):
    accept(world, submit(world, live, 1))
    pay(world, live, "40.00")
    with pytest.raises(TransitionRefused, match="every milestone"):
        changes.complete(actor=world.purchaser_a, contract=live, version=Contract.objects.get(pk=live.pk).version)
    accept(world, submit(world, live, 2))
    pay(world, live, "60.00", sequence=2, reference="GK-0002")
    live.refresh_from_db()
    done = changes.complete(actor=world.purchaser_a, contract=live, version=live.version)
    assert done.status == ContractStatus.COMPLETED
    assert reported[-1].kind == "contracts.completed_on_time"


@pytest.mark.django_db(transaction=True)
def test_two_payments_racing_for_the_last_yuan_never_exceed_the_value(world, live):
    accept(world, submit(world, live))
    pay(world, live, "99.00")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(index: int) -> None:
        try:
            barrier.wait()
            pay(world, Contract.objects.get(pk=live.pk), "1.00", reference=f"RACE-{index}")
            result = "paid"
        except DomainError as error:
            result = error.code
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["invalid", "paid"]
    live.refresh_from_db()
    assert live.amount_paid == live.value
    assert Payment.objects.filter(contract=live).count() == 2
