"""Issue 14: a ban is enforced at the contract's gates at the moment of the request, under the
provider row's lock that imposing a ban takes too — drawing from an award, each signature, the
deliverables — and a signature racing a ban either committed before it or is refused."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import transaction
from django.utils import timezone

from govbuy.contracts.models import Contract, ContractStatus
from govbuy.contracts.services import signing
from govbuy.core.errors import DomainError, TransitionRefused
from govbuy.core.testing import needs_file_database, race
from govbuy.providers.models import Restriction
from govbuy.providers.services import restrictions
from tests.builders.contracts import draw

from .test_delivery import submit

BASIS = "《政府采购法》第七十七条"


def ban_now(world, organisation_id, *, starts_at=None):
    return restrictions.impose_restriction(
        actor=world.city_finance,
        organisation_id=organisation_id,
        kind="ban",
        starts_at=starts_at or timezone.now(),
        ends_at=timezone.now() + dt.timedelta(days=365),
        legal_basis=BASIS,
        reason="提供虚假材料谋取中标",
        authority=world.orgs["city_finance_org"],
    )


@pytest.mark.django_db
def test_a_provider_banned_after_the_award_cannot_have_the_contract_drawn(world, award):
    ban_now(world, award.provider_id)
    with pytest.raises(TransitionRefused, match="banned until") as err:
        draw(world, award)
    assert err.value.code == "provider_banned"
    assert BASIS in str(err.value.message)
    assert not Contract.objects.exists()


@pytest.mark.django_db
def test_a_provider_banned_between_drawing_and_signing_cannot_sign_with_the_bans_reason(world, ready):
    ban_now(world, ready.provider_id)
    with pytest.raises(TransitionRefused, match="banned until") as err:
        signing.provider_sign(actor=world.provider_a, contract=ready, version=ready.version)
    assert err.value.code == "provider_banned"
    assert BASIS in str(err.value.message)
    assert Contract.objects.get(pk=ready.pk).status == ContractStatus.DRAFT


@pytest.mark.django_db
def test_the_purchaser_cannot_sign_for_a_provider_banned_after_its_signature(world, ready):
    signed = signing.provider_sign(actor=world.provider_a, contract=ready, version=ready.version)
    ban_now(world, signed.provider_id)
    with pytest.raises(TransitionRefused, match="banned until") as err:
        signing.purchaser_sign(actor=world.purchaser_a, contract=signed, version=signed.version)
    assert err.value.code == "provider_banned"
    assert Contract.objects.get(pk=ready.pk).status == ContractStatus.PROVIDER_SIGNED


@pytest.mark.django_db
def test_a_banned_provider_cannot_submit_a_deliverable(world, live):
    ban_now(world, live.provider_id)
    with pytest.raises(TransitionRefused) as err:
        submit(world, live)
    assert err.value.code == "provider_banned"


@pytest.mark.django_db(transaction=True)
def test_a_signature_racing_a_ban_either_committed_before_it_or_is_refused(world, ready):
    needs_file_database()
    org_id = ready.provider_id
    ban_start: list[dt.datetime] = []

    def work(index: int):
        if index == 0:
            return signing.provider_sign(actor=world.provider_a, contract=ready.pk, version=ready.version)
        # The ban's start is taken under the provider's lock, so it orders the ban against the
        # signature, which checks the ban under the same lock.
        with transaction.atomic():
            restrictions.lock_provider(org_id)
            moment = timezone.now()
            ban_now(world, org_id, starts_at=moment)
            ban_start.append(moment)
        return moment

    outcome = race(work, 2).outcomes
    signature = outcome[0]
    assert not isinstance(outcome[1], BaseException), outcome[1]
    (moment,) = ban_start
    assert Restriction.objects.filter(profile__organisation_id=org_id).count() == 1
    stored = Contract.objects.get(pk=ready.pk)
    if isinstance(signature, BaseException):
        assert isinstance(signature, DomainError), signature
        assert signature.code == "provider_banned"
        assert stored.status == ContractStatus.DRAFT
    else:
        assert stored.status == ContractStatus.PROVIDER_SIGNED
        assert stored.provider_signed_at < moment
    # Whichever came first, the next step for this provider is refused.
    if stored.status == ContractStatus.PROVIDER_SIGNED:
        next_step, actor = signing.purchaser_sign, world.purchaser_a
    else:
        next_step, actor = signing.provider_sign, world.provider_a
    with pytest.raises(TransitionRefused):
        next_step(actor=actor, contract=stored, version=stored.version)


@pytest.mark.django_db(transaction=True)
def test_a_signature_reaching_the_gate_while_a_ban_is_being_imposed_waits_for_it_and_is_refused(world, ready):
    """The signature's gate takes the provider row's lock: while a ban holds it, the signature
    waits, then sees the ban. Reading without the lock, it would pass on the state before the ban
    and commit after it."""
    needs_file_database()

    org_id = ready.provider_id
    held = threading.Event()

    def work(index: int):
        if index == 0:
            with transaction.atomic():
                restrictions.lock_provider(org_id)
                held.set()
                time.sleep(1)  # the signature reaches its gate meanwhile
                return ban_now(world, org_id)
        held.wait(30)
        return signing.provider_sign(actor=world.provider_a, contract=ready.pk, version=ready.version)

    ban, signature = race(work, 2).outcomes
    assert isinstance(ban, Restriction), ban
    assert isinstance(signature, TransitionRefused), signature
    assert signature.code == "provider_banned"
    assert Contract.objects.get(pk=ready.pk).status == ContractStatus.DRAFT
