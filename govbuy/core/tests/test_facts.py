"""The provider-fact hook: lower apps report, the credit app (registered at start-up) records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from govbuy.core import facts

MOMENT = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def heard():
    seen: list[facts.ProviderFact] = []
    facts.register(seen.append)
    yield seen
    facts.unregister(seen.append)


def _report(kind="contracts.subcontracting_found", **overrides):
    values = {"provider_id": 7, "source_type": "contracts.contract", "source_id": 3, "occurred_at": MOMENT}
    values.update(overrides)
    return facts.report(kind, **values)


@pytest.mark.django_db
def test_a_fact_reaches_every_handler_inside_the_transaction(heard):
    with transaction.atomic():
        fact = _report(summary="履约中发现转包", data={"contract": "HT-1"})
    assert heard == [fact]
    assert fact.provider_id == 7
    assert fact.actor_id is None
    assert fact.data == {"contract": "HT-1"}


@pytest.mark.django_db
def test_unknown_kinds_and_naive_times_are_refused(heard):
    with pytest.raises(ValueError, match="unknown provider fact"):
        _report("contracts.made_up")
    with pytest.raises(ValueError, match="aware"):
        _report(occurred_at=MOMENT.replace(tzinfo=None))
    assert heard == []


@pytest.mark.django_db(transaction=True)
def test_a_report_outside_the_transaction_of_its_fact_is_refused(heard):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        _report()
    assert heard == []
