"""Facts referred by a monitoring body (issue 15, item 2): recorded unconfirmed for the finance
bureau of the provider's region (the city's when the region has none), confirmed there by someone
other than the referrer; only a monitoring body refers, and never a commendation."""

from __future__ import annotations

import pytest
from django.utils import timezone

from govbuy.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from govbuy.credit import selectors
from govbuy.credit.models import CreditFact
from govbuy.credit.services import records
from govbuy.credit.tests.conftest import evidence
from govbuy.organizations.models import Organisation, Region

pytestmark = pytest.mark.django_db


def _refer(actor, provider, **overrides):
    args = {
        "provider": provider,
        "kind": "credit.collusion",
        "occurred_on": timezone.localdate(),
        "summary": "投标人之间串通投标",
        "legal_basis": "《政府采购法》第七十七条第一款第（三）项",
        "documents": evidence(),
        "source_type": "oversight.monitoringcase",
        "source_id": 7,
        **overrides,
    }
    return records.refer_fact(actor=actor, **args)


def test_a_referred_fact_waits_for_the_bureau_of_the_providers_region(world, provider):
    fact = _refer(world.supervisor, provider)
    assert fact.recording_authority == world.district_finance_a_org
    assert fact.entered_by == world.supervisor
    assert fact.confirmed_at is None
    assert [f.pk for f in selectors.facts_to_confirm(world.district_finance_a)] == [fact.pk]
    assert list(selectors.facts_to_confirm(world.city_finance)) == []
    assert records.confirm_fact(actor=world.district_finance_a, fact=fact).confirmed_at is not None
    assert [line.fact_id for line in selectors.score_of(provider.pk).lines] == [fact.pk]


def test_a_region_without_a_bureau_refers_to_the_city(world, provider, second_finance):
    west = Region.objects.create(code="110102", name_zh="西城区", level="district", parent=world.city)
    Organisation.objects.filter(pk=provider.pk).update(region=west)
    fact = _refer(world.city_finance, provider)
    assert fact.recording_authority == world.city_finance_org
    with pytest.raises(PermissionRefused):
        records.confirm_fact(actor=world.city_finance, fact=fact)
    assert records.confirm_fact(actor=second_finance, fact=fact).confirmed_by == second_finance


def test_only_a_monitoring_body_refers_and_never_a_commendation(world, provider):
    for actor in (world.purchaser_a, world.provider_b, world.outsider):
        with pytest.raises(PermissionRefused):
            _refer(actor, provider)
    with pytest.raises(ValidationFailed) as exc:
        _refer(world.auditor, provider, kind="credit.commendation")
    assert exc.value.code == "invalid_kind"
    with pytest.raises(ValidationFailed) as exc:
        _refer(world.auditor, provider, documents=[])
    assert exc.value.code == "evidence_required"
    with pytest.raises(NotFound):
        _refer(world.auditor, 10**9)
    assert CreditFact.objects.count() == 0


def test_a_case_refers_a_kind_once(world, provider):
    _refer(world.auditor, provider)
    with pytest.raises(Conflict):
        _refer(world.auditor, provider)
    assert CreditFact.objects.count() == 1
