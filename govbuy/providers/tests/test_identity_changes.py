"""A verified provider that changes who it is — its unified social credit code, its names, its
kind or region, its legal representative or identity number, its registration authority — goes
back to verification, through the organisation API and pages as through the services, and the
history of the change is kept. Contacts and address are not identity."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from govbuy.accounts.testing import force_login_verified
from govbuy.audit.models import AuditEvent
from govbuy.organizations.uscc import make_code
from govbuy.providers import selectors
from govbuy.providers.models import IdentityChange, ProviderProfile
from govbuy.providers.samples import resident_id
from govbuy.providers.services import registration, standing
from tests.builders.procurement import verified_profile

pytestmark = pytest.mark.django_db

S = ProviderProfile.State


@pytest.fixture
def verified(world):
    return verified_profile(world)


def _state(profile) -> str:
    profile.refresh_from_db()
    return profile.state


def test_changing_the_uscc_through_the_organisation_api_sends_it_back_to_verification(world, verified):
    org = world.provider_a_org
    org.refresh_from_db()
    new_code = make_code("52", world.district_a.code, "30009999")
    client = force_login_verified(Client(), world.provider_a)
    response = client.patch(
        f"/api/v1/organisations/{org.pk}/",
        {"version": org.version, "uscc": new_code},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert _state(verified) == S.REGISTERED
    assert verified.identity_changed_at is not None
    change = IdentityChange.objects.get(profile=verified)
    assert change.changes["uscc"] == [org.uscc, new_code]
    assert (change.state_before, change.state_after, change.changed_by) == (S.VERIFIED, S.REGISTERED, world.provider_a)
    assert AuditEvent.objects.filter(action="providers.provider.reverification_required").count() == 1
    # No longer verified: it may not bid until the authority verifies it again.
    assert not selectors.participation(org.pk, gate=selectors.Gate.BID).allowed
    verified.refresh_from_db()
    standing.verify_provider(actor=world.civil_affairs, profile=verified, version=verified.version)
    assert _state(verified) == S.VERIFIED
    assert verified.identity_changed_at is None
    assert IdentityChange.objects.filter(profile=verified).count() == 1  # the history stays


@pytest.mark.parametrize(("field", "value"), [("name_zh", "东城区新名称养老服务中心"), ("name_en", "New Name Centre")])
def test_changing_a_name_on_the_page_sends_it_back(world, verified, field, value):
    org = world.provider_a_org
    org.refresh_from_db()
    client = force_login_verified(Client(), world.provider_a)
    form = {"version": org.version, "name_zh": org.name_zh, "name_en": org.name_en, "uscc": org.uscc or ""}
    form[field] = value
    response = client.post(f"/organizations/{org.pk}/edit/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _state(verified) == S.REGISTERED
    assert field in IdentityChange.objects.get(profile=verified).changes


@pytest.mark.parametrize(
    ("fields", "identity"),
    [
        ({"legal_representative": "赵六"}, True),
        ({"legal_representative_id": resident_id(77)}, True),
        ({"registration_authority": "北京市东城区民政局"}, True),
        ({"contact_phone": "010-87654321", "registered_address": "北京市东城区另一街2号"}, False),
    ],
)
def test_registration_facts_that_are_identity_send_it_back_and_contacts_do_not(world, verified, fields, identity):
    verified.refresh_from_db()
    registration.update_profile(actor=world.provider_a, profile=verified, version=verified.version, **fields)
    assert _state(verified) == (S.REGISTERED if identity else S.VERIFIED)
    assert IdentityChange.objects.filter(profile=verified).exists() is identity
    if "legal_representative_id" in fields:
        assert IdentityChange.objects.get(profile=verified).changes["legal_representative_key"] == ["…", "…"]
        assert fields["legal_representative_id"] not in str(IdentityChange.objects.get(profile=verified).changes)


def test_the_registration_authority_correcting_a_name_keeps_it_verified_but_the_history(world, verified):
    """The authority that verifies the provider has checked what it changes itself."""
    verified.refresh_from_db()
    standing.record_identity_change(actor=world.civil_affairs, locked=verified, changes={"name_zh": ("旧", "新")})
    assert _state(verified) == S.VERIFIED
    assert IdentityChange.objects.get(profile=verified).state_after == S.VERIFIED


def test_a_suspended_provider_whose_identity_changed_is_reinstated_only_to_be_verified(world, verified):
    verified.refresh_from_db()
    until = timezone.localdate() + dt.timedelta(days=10)
    standing.suspend_provider(
        actor=world.civil_affairs, profile=verified, version=verified.version, reason="调查", until=until
    )
    verified.refresh_from_db()
    registration.update_profile(
        actor=world.provider_a, profile=verified, version=verified.version, legal_representative="赵六"
    )
    assert _state(verified) == S.REGISTERED
    verified.refresh_from_db()
    standing.reinstate_provider(actor=world.civil_affairs, profile=verified, version=verified.version)
    assert _state(verified) == S.REGISTERED
