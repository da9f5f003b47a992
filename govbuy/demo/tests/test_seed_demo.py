import time

import pyotp
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from govbuy.audit.models import AuditEvent
from govbuy.audit.verify import verify_chain
from govbuy.demo import data
from govbuy.organizations.kinds import OVERSIGHT_KINDS, PROVIDER_KINDS, PURCHASER_KINDS
from govbuy.organizations.models import Organisation, Region
from govbuy.organizations.uscc import kind_mismatch_warning, parse
from govbuy.procurement import demo as procurement_demo


@pytest.fixture
def seeded(db):
    call_command("seed_demo", verbosity=0)


def test_demo_world_has_what_the_issue_asks_for(seeded):
    city = Region.objects.get(level="city")
    assert city.name_zh == "北京市"
    assert Region.objects.filter(level="district", parent=city).count() >= 3
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert set(OVERSIGHT_KINDS) <= kinds, "every oversight body"
    assert Organisation.objects.filter(kind__in=PURCHASER_KINDS).count() == 5
    providers = Organisation.objects.filter(kind__in=PROVIDER_KINDS)
    assert providers.count() == 10
    for provider in providers:
        info = parse(provider.uscc)  # raises on an invalid code
        if provider.kind != "grassroots_self_governing":  # no published category for these yet
            assert kind_mismatch_warning(info, provider.kind) is None, provider


def test_seed_demo_is_idempotent_and_audited(seeded):
    counts = (Organisation.objects.count(), get_user_model().objects.count(), AuditEvent.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (Organisation.objects.count(), get_user_model().objects.count(), AuditEvent.objects.count()) == counts
    assert AuditEvent.objects.filter(action="organizations.organisation.registered").count() == len(data.ORGANISATIONS)
    assert verify_chain().ok


def test_every_demo_role_signs_in_and_sees_its_home(seeded, client):
    """The real login form, with the TOTP step for roles that need it, for every demo user."""
    for username, *_rest in data.USERS:
        client.logout()
        response = client.post("/accounts/login/", {"username": username, "password": data.DEMO_PASSWORD})
        assert response.status_code == 302, username
        user = get_user_model().objects.get(username=username)
        if user.has_two_factor:
            # The demo enrolled them months ago (govbuy.core.timeline); a step it consumed today
            # cannot be used again, so take the next one then.
            totp = pyotp.TOTP(user.totp_secret)
            code = totp.at(max(time.time(), user.totp_last_step * 30 + 30))
            response = client.post(response["Location"], {"code": code}, follow=False)
            assert response.status_code == 302, (username, response.content[:300])
        home = client.get("/workspace/")
        assert home.status_code == 200, username
        assert user.display_name.encode() in home.content, username


def test_print_logins_lists_every_role(seeded, capsys):
    call_command("seed_demo", "--print-logins")
    out = capsys.readouterr().out
    for username, *_rest in data.USERS + procurement_demo.EXPERTS:
        assert username in out
    assert data.DEMO_PASSWORD in out
    assert "INFO" not in out


def test_seed_demo_is_refused_under_production(db, settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")
    with pytest.raises(CommandError, match="production"):
        call_command("totp_code", "admin")
