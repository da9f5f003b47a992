"""Contract stages of the one test builder, through the contracts services: a confirmed award of
purchaser A's tender to provider A, a contract drawn from it, milestones and payee prepared,
signed by both parties, published (in delivery). One call per stage; the fixtures at the end
wrap the same calls."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from govbuy.contracts.services import drafting, signing
from tests.builders.procurement import awarded_tender

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


def confirmed_award(world: Any, tender: Any = None) -> Any:
    """The award of the tender to its top-ranked bid, confirmed (see `awarded_tender`)."""
    return awarded_tender(world, tender).award


def draw(world: Any, award: Any, **terms: Any) -> Any:
    """Purchaser A draws the contract from the award (no financing guarantee unless told)."""
    terms.setdefault("no_financing_guarantee", True)
    return drafting.draw_from_award(actor=world.purchaser_a, award=award, **terms)


def prepare(world: Any, contract: Any) -> Any:
    """The milestones set by purchaser A and the payee account chosen by provider A."""
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


def sign_both(world: Any, contract: Any) -> Any:
    """Provider A signs, then purchaser A."""
    contract = signing.provider_sign(actor=world.provider_a, contract=contract, version=contract.version)
    return signing.purchaser_sign(actor=world.purchaser_a, contract=contract, version=contract.version)


def publish(world: Any, contract: Any) -> Any:
    """The signed contract published by purchaser A: in delivery."""
    return signing.publish(actor=world.purchaser_a, contract=contract, version=contract.version)


# --- Fixtures (registered for every test by the root conftest) ---------------------------------


@pytest.fixture
def award(world, published, providers):
    return confirmed_award(world, published)


@pytest.fixture
def draft(world, award):
    return draw(world, award)


@pytest.fixture
def ready(world, draft):
    return prepare(world, draft)


@pytest.fixture
def signed(world, ready):
    return sign_both(world, ready)


@pytest.fixture
def live(world, signed):
    """Signed and published: in delivery."""
    return publish(world, signed)
