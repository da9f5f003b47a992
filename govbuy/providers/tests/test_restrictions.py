"""Bans and suspensions are restrictions with a period (issue 14): the participation gate reads
them at the request, so a ban ending at midnight Beijing time lets the next request through with
no job running; a period ending before it starts is refused; a lifted ban stops applying."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from govbuy.audit.describe import describe
from govbuy.audit.models import AuditEvent
from govbuy.core.calendar.rules import SHANGHAI
from govbuy.core.errors import PermissionRefused, ValidationFailed
from govbuy.providers import rules, selectors
from govbuy.providers.models import Restriction
from govbuy.providers.services import restrictions
from tests.builders.procurement import verified_profile

pytestmark = pytest.mark.django_db
Gate = selectors.Gate


def ban(world, profile, *, starts_at, ends_at, actor=None):
    return restrictions.impose_restriction(
        actor=actor if actor is not None else world.city_finance,
        organisation_id=profile.organisation_id,
        kind="ban",
        starts_at=starts_at,
        ends_at=ends_at,
        legal_basis="《政府采购法》第七十七条",
        reason="提供虚假材料谋取中标",
        authority=world.orgs["city_finance_org"],
    )


def test_a_ban_ending_at_midnight_beijing_lets_the_next_request_through(world):
    profile = verified_profile(world)
    last_day = timezone.localdate() + dt.timedelta(days=5)
    ends_at = rules.restriction_end(last_day)
    assert ends_at == dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time.min, tzinfo=SHANGHAI)
    ban(world, profile, starts_at=timezone.now(), ends_at=ends_at)
    org = profile.organisation_id
    for gate in Gate:
        assert selectors.participation(org, gate=gate).code == "banned"
    one_before = ends_at - dt.timedelta(microseconds=1)
    assert selectors.participation(org, gate=Gate.BID, at=one_before).code == "banned"
    assert selectors.participation(org, gate=Gate.BID, at=ends_at).allowed
    assert org not in selectors.participating_ids(gate=Gate.INVITATION, at=one_before)
    assert org in selectors.participating_ids(gate=Gate.INVITATION, at=ends_at)


def test_an_expired_ban_is_over_without_any_job(world):
    profile = verified_profile(world)
    now = timezone.now()
    Restriction.objects.create(
        profile=profile,
        kind="ban",
        starts_at=now - dt.timedelta(days=400),
        ends_at=now - dt.timedelta(seconds=1),
        legal_basis="《政府采购法》第七十七条",
        reason="串通投标",
        authority_name="北京市财政局",
    )
    assert selectors.participation(profile.organisation_id, gate=Gate.AWARD).allowed


def test_the_gate_gives_the_end_basis_and_authority(world):
    profile = verified_profile(world)
    last_day = timezone.localdate() + dt.timedelta(days=365)
    ban(world, profile, starts_at=timezone.now(), ends_at=rules.restriction_end(last_day))
    result = selectors.participation(profile.organisation_id, gate=Gate.SIGNING)
    assert not result.allowed
    assert last_day.isoformat() in result.message
    assert "第七十七条" in result.message
    event = AuditEvent.objects.get(action="providers.restriction.ban_imposed")
    assert last_day.isoformat() in describe(event)


def test_a_ban_ending_before_it_starts_is_refused_by_the_service_and_the_database(world):
    profile = verified_profile(world)
    now = timezone.now()
    with pytest.raises(ValidationFailed) as exc:
        ban(world, profile, starts_at=now, ends_at=now - dt.timedelta(days=1))
    assert exc.value.code == "period_invalid"
    with pytest.raises(IntegrityError), transaction.atomic():
        Restriction.objects.create(
            profile=profile,
            kind="ban",
            starts_at=now,
            ends_at=now,
            legal_basis="x",
            reason="x",
            authority_name="x",
        )


def test_a_lifted_ban_no_longer_applies_and_is_kept(world):
    profile = verified_profile(world)
    now = timezone.now()
    restriction = ban(world, profile, starts_at=now, ends_at=now + dt.timedelta(days=400))
    with pytest.raises(ValidationFailed):
        restrictions.lift_restriction(actor=world.city_finance, restriction=restriction, reason="")
    restrictions.lift_restriction(actor=world.city_finance, restriction=restriction, reason="异议成立")
    assert selectors.participation(profile.organisation_id, gate=Gate.BID).allowed
    assert selectors.restrictions_of(profile)[0].lift_reason == "异议成立"


def test_only_a_finance_bureau_bans(world):
    profile = verified_profile(world)
    now = timezone.now()
    with pytest.raises(PermissionRefused):
        ban(world, profile, starts_at=now, ends_at=now + dt.timedelta(days=400), actor=world.purchaser_a)
    assert not Restriction.objects.exists()


def test_the_migration_turns_a_suspension_for_ever_into_one_with_a_period():
    """0005_credit_restrictions: a profile suspended by hand keeps a one-year restriction from its
    suspension, with its reason, and goes back to the state it had (the data step alone, with
    stand-in models: today's schema no longer allows the "suspended" state)."""
    import importlib
    from types import SimpleNamespace

    migration = importlib.import_module("govbuy.providers.migrations.0005_credit_restrictions")
    since = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    suspended = SimpleNamespace(
        pk=1,
        state="suspended",
        suspended_at=since,
        suspension_reason="严重违法",
        verified_at=since,
        registration_authority="北京市民政局",
        saved=None,
    )
    suspended.save = lambda update_fields: setattr(suspended, "saved", update_fields)
    created = []

    class Query(list):
        def order_by(self, *_args):
            return self

    profiles = SimpleNamespace(objects=SimpleNamespace(filter=lambda **kw: Query([suspended])))
    restrictions_model = SimpleNamespace(objects=SimpleNamespace(create=lambda **kw: created.append(kw)))
    apps = SimpleNamespace(get_model=lambda app, name: profiles if name == "ProviderProfile" else restrictions_model)
    migration.convert_suspensions(apps, None)
    (made,) = created
    assert made["kind"] == "suspension"
    assert made["ends_at"] - made["starts_at"] == dt.timedelta(days=365)
    assert made["reason"] == "严重违法"
    assert suspended.state == "verified"
