from __future__ import annotations

from django.urls import reverse

from govbuy.accounts.testing import force_login_verified
from govbuy.accounts.tests.helpers import enrol


def test_every_persona_sees_their_roles_on_home(client, world, settings):
    settings.LANGUAGE_CODE = "en"
    for name, user in world.users.items():
        force_login_verified(client, user)
        text = client.get("/workspace/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert 'id="home-your-roles"' in text, name
        if name == "outsider":
            assert "You have no role in any organisation yet" in text
        elif name == "platform_admin":
            assert "Platform administrator" in text
        else:
            org = world.users[name].memberships.get().organisation
            assert org.name_zh in text, name
        client.logout()


def test_account_security_section_when_two_factor_is_missing(client, world, settings):
    settings.GOVBUY_ENFORCE_TWO_FACTOR = False
    client.force_login(world.city_finance)
    text = client.get("/workspace/").content.decode()
    assert 'id="home-account-security"' in text
    assert reverse("accounts:two_factor_setup") in text
    enrol(world.city_finance)
    assert 'id="home-account-security"' not in client.get("/workspace/").content.decode()


def test_providers_get_no_account_security_section(client, world):
    force_login_verified(client, world.provider_a)
    assert 'id="home-account-security"' not in client.get("/workspace/").content.decode()


def test_security_page_lists_roles_and_two_factor_state(client, world):
    force_login_verified(client, world.purchaser_a)
    text = client.get(reverse("accounts:security"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert world.purchaser_a_org.name_zh in text
    assert "Your role requires it." in text
