"""Fixtures for procurement: an approved project of purchaser A (through planning's services),
two verified providers (through the provider registry's services), and a factory for tenders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from govbuy.planning.tests.conftest import advance, budget, catalog, line, propose  # noqa: F401
from govbuy.procurement.services import tenders
from govbuy.providers.tests.conftest import verified_profile

CANARY = "98765.43"
CRITERIA = [
    {"name": "价格", "weight": 30, "is_price": True},
    {"name": "服务方案", "weight": 50},
    {"name": "人员配置", "weight": 20},
]


@pytest.fixture
def project(world, propose):  # noqa: F811 - the imported fixture is this one's argument
    return advance(propose(), world, to="approved")


@pytest.fixture
def providers(world):
    return (
        verified_profile(world, "provider_a_org", "provider_a", serial=1),
        verified_profile(world, "provider_b_org", "provider_b", serial=2),
    )


def far_deadline(days: int = 40) -> dt.datetime:
    return (timezone.now() + dt.timedelta(days=days)).replace(microsecond=0)


@pytest.fixture
def make_tender(world, project):
    def _make(**overrides):
        kwargs = {
            "actor": world.purchaser_a,
            "project": project,
            "bid_deadline": far_deadline(),
            "bid_bond": "1000.00",
            "criteria": CRITERIA,
        }
        kwargs.update(overrides)
        return tenders.create_tender(**kwargs)

    return _make


@pytest.fixture
def published(world, make_tender):
    tender = make_tender()
    return tenders.publish_tender(actor=world.purchaser_a, tender=tender, version=tender.version)


def move_deadline(tender, moment):
    """Tests move time by moving the deadline in the database (never by sleeping)."""
    type(tender).objects.filter(pk=tender.pk).update(bid_deadline=moment)
    tender.refresh_from_db()
    return tender


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages are asserted in English (msgids); the pages run in the default language."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def announced():
    """The announcements made (the disclosure handler still runs; its releases are checked
    against the OCDS schema in tests/security/test_sealed_bids.py, outside this app's layer)."""
    from govbuy.core import publication

    seen: list[publication.Announcement] = []
    publication.register(seen.append, order=1000)
    yield seen
    publication.unregister(seen.append)
