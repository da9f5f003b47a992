"""Fixtures for contracts: a confirmed award of purchaser A's tender to provider A (through the
procurement services), and a contract drawn from it at each step of signing."""

from __future__ import annotations

import datetime as dt

import pytest

from govbuy.contracts.services import drafting, signing
from govbuy.procurement.models import Ranking
from govbuy.procurement.services import awards, evaluation
from tests.builders import evaluated_tender, opened_tender

SCHEDULE = [
    {
        "title": "上半年服务",
        "due_date": dt.date(2027, 6, 30),
        "percentage": "40",
        "quantity_target": "600 人次",
        "quality_target": "服务合格率 ≥ 95%",
    },
    {
        "title": "下半年服务",
        "due_date": dt.date(2027, 12, 31),
        "percentage": "60",
        "quantity_target": "600 人次",
        "quality_target": "满意度 ≥ 90%",
    },
]


@pytest.fixture(autouse=True)
def _english_messages():
    from django.utils import translation

    with translation.override("en"):
        yield


def confirm_award(world, tender):
    opened_tender(world, tender)
    evaluated_tender(world, tender)
    top = Ranking.objects.filter(evaluation__tender=tender).order_by("rank").first().bid
    evaluation.record_credit_check(
        actor=world.purchaser_a,
        tender=tender,
        bid=top,
        dishonest_debtors="clear",
        tax_violations="clear",
        procurement_violations="clear",
        reference="信用中国 2027-001",
    )
    return awards.propose_award(actor=world.purchaser_a, tender=tender, bid=top)


@pytest.fixture
def award(world, published, providers):
    return confirm_award(world, published)


def draw(world, award, **terms):
    terms.setdefault("no_financing_guarantee", True)
    return drafting.draw_from_award(actor=world.purchaser_a, award=award, **terms)


@pytest.fixture
def draft(world, award):
    return draw(world, award)


def prepare(world, contract):
    contract = drafting.set_milestones(
        actor=world.purchaser_a, contract=contract, version=contract.version, milestones=SCHEDULE
    )
    account = drafting.add_payee_account(
        actor=world.provider_a,
        organisation=world.provider_a_org,
        bank_name="中国工商银行北京东城支行",
        account_name=world.provider_a_org.name_zh,
        account_number="0200001234567890123",
    )
    return drafting.choose_payee(actor=world.provider_a, contract=contract, version=contract.version, account=account)


@pytest.fixture
def ready(world, draft):
    return prepare(world, draft)


def sign_both(world, contract):
    contract = signing.provider_sign(actor=world.provider_a, contract=contract, version=contract.version)
    return signing.purchaser_sign(actor=world.purchaser_a, contract=contract, version=contract.version)


@pytest.fixture
def signed(world, ready):
    return sign_both(world, ready)


@pytest.fixture
def live(world, signed):
    """Signed and published: in delivery."""
    return signing.publish(actor=world.purchaser_a, contract=signed, version=signed.version)


def backdate(contract, **fields):
    """Tests move time by moving the recorded moments in the database (never by sleeping)."""
    type(contract).objects.filter(pk=contract.pk).update(**fields)
    contract.refresh_from_db()
    return contract
