"""Address and contacts of an organisation (issue 16): kept by its own administrator through the
service (page and API), checked (six-digit postcode, a telephone with digits, a valid e-mail),
audited with a sentence naming the fields, versioned; others are refused or get 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from govbuy.audit.describe import describe
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from govbuy.organizations import services

pytestmark = pytest.mark.django_db

CONTACTS = {
    "address": "北京市东城区交道口南大街136号",
    "postcode": "100007",
    "contact_person": "何春梅",
    "phone": "010-6512 3456",
    "email": "service@sunshine.example.com",
}


def test_the_administrator_sets_the_contacts_and_the_change_is_audited(world, events):
    org = world.provider_a_org
    changed = services.update_contacts(actor=world.provider_a, organisation=org, version=org.version, **CONTACTS)
    assert (changed.address, changed.postcode, changed.phone) == (CONTACTS["address"], "100007", "010-6512 3456")
    assert changed.version == org.version + 1
    [event] = events("organizations.organisation.contacts_updated")
    assert event.changes["phone"] == ["", "010-6512 3456"]
    sentence = describe(event)
    assert "邮政编码" in sentence
    assert "postcode" not in sentence
    # Saving the same values again changes nothing and records nothing.
    services.update_contacts(actor=world.provider_a, organisation=org, version=changed.version, **CONTACTS)
    assert len(events("organizations.organisation.contacts_updated")) == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("postcode", "10007"), ("postcode", "1000a7"), ("phone", "call me"), ("email", "not-an-address")],
)
def test_malformed_contacts_are_refused(world, field, value):
    org = world.provider_a_org
    with pytest.raises(ValidationFailed) as refused:
        services.update_contacts(
            actor=world.provider_a, organisation=org, version=org.version, **{**CONTACTS, field: value}
        )
    assert field in refused.value.fields


def test_only_the_organisations_administrator_or_manager_edits_and_a_stale_version_conflicts(world):
    org = world.purchaser_a_org
    with pytest.raises(PermissionRefused):  # staff, not its administrator
        services.update_contacts(actor=world.purchaser_a, organisation=org, version=org.version, **CONTACTS)
    with pytest.raises(NotFound):  # another organisation is outside the provider's scope
        services.update_contacts(actor=world.provider_a, organisation=world.provider_b_org, version=1, **CONTACTS)
    mine = world.provider_a_org
    services.update_contacts(actor=world.provider_a, organisation=mine, version=mine.version, **CONTACTS)
    with pytest.raises(Conflict):
        services.update_contacts(
            actor=world.provider_a, organisation=mine, version=mine.version, **{**CONTACTS, "phone": "010-1234 5678"}
        )


def test_the_page_and_the_api(world, login):
    org = world.provider_a_org
    client = login(world.provider_a)
    url = reverse("organizations:contacts", args=[org.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {**CONTACTS, "postcode": "12", "version": org.version})
    assert bad.status_code == 400
    saved = client.post(url, {**CONTACTS, "version": org.version})
    assert saved.status_code == 302
    detail = client.get(reverse("organizations:detail", args=[org.pk])).content.decode()
    assert CONTACTS["address"] in detail
    org.refresh_from_db()
    api = client.post(
        reverse("api:organisation-contacts", args=[org.pk]),
        {**CONTACTS, "phone": "138 0013 8000", "version": org.version},
        content_type="application/json",
    )
    assert api.status_code == 200
    assert api.json()["phone"] == "138 0013 8000"
    stale = client.post(
        reverse("api:organisation-contacts", args=[org.pk]), {**CONTACTS, "version": 1}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert login(world.outsider).get(url).status_code == 404
    assert login(world.provider_b).get(url).status_code == 404
