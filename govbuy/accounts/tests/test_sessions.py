from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse

from govbuy.accounts import services
from govbuy.accounts.models import UserSession
from govbuy.accounts.testing import force_login_verified
from govbuy.accounts.tests.helpers import T0
from govbuy.audit.models import AuditEvent
from govbuy.core.errors import PermissionRefused, TransitionRefused
from govbuy.core.testing import PASSWORD


def signed_out_to_login(response, reason):
    return response.status_code == 302 and response["Location"].startswith(
        f"{reverse('accounts:login')}?reason={reason}"
    )


def test_idle_limit_signs_out_after_thirty_minutes(client, world):
    with time_machine.travel(T0, tick=False) as traveller:
        force_login_verified(client, world.provider_a)
        traveller.shift(timedelta(minutes=29))
        assert client.get("/workspace/").status_code == 200
        # Activity moved the idle clock: 29 more minutes are fine.
        traveller.shift(timedelta(minutes=29))
        assert client.get("/workspace/").status_code == 200
        traveller.shift(timedelta(minutes=30, seconds=1))
        response = client.get("/accounts/security/")
        assert signed_out_to_login(response, "idle")
        assert "next=%2Faccounts%2Fsecurity%2F" in response["Location"]
        assert "_auth_user_id" not in client.session
        assert client.get("/workspace/").status_code == 302


def test_absolute_limit_signs_out_after_twelve_hours_despite_activity(client, world):
    with time_machine.travel(T0, tick=False) as traveller:
        force_login_verified(client, world.provider_a)
        for _ in range(24):
            traveller.shift(timedelta(minutes=29, seconds=50))
            response = client.get("/workspace/")
            if response.status_code != 200:
                break
        # 24 × 29m50s = 11h56m: still inside; the next request passes 12 h.
        assert response.status_code == 200
        traveller.shift(timedelta(minutes=5))
        assert signed_out_to_login(client.get("/workspace/"), "absolute")


def test_api_session_past_its_limit_is_answered_as_signed_out(client, world):
    with time_machine.travel(T0, tick=False) as traveller:
        force_login_verified(client, world.provider_a)
        assert client.get("/api/v1/me/").status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert "code" in response.json()


def test_login_page_explains_the_idle_sign_out_in_english(client, world):
    with time_machine.travel(T0, tick=False) as traveller:
        force_login_verified(client, world.provider_a)
        traveller.shift(timedelta(minutes=31))
        response = client.get("/workspace/", follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "idle for too long" in response.content.decode()


def test_busy_session_is_not_written_on_every_request(client, world):
    force_login_verified(client, world.provider_a)
    client.get("/workspace/")
    before = Session.objects.get().expire_date
    client.get("/workspace/")
    assert Session.objects.get().expire_date == before


def test_deactivation_ends_an_existing_session_at_once(client, world):
    force_login_verified(client, world.provider_a)
    assert client.get("/workspace/").status_code == 200
    key = client.session.session_key
    assert UserSession.objects.filter(user=world.provider_a, session_key=key).exists()
    services.deactivate_user(user=world.provider_a, actor=world.platform_admin)
    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(user=world.provider_a).exists()
    assert client.get("/workspace/").status_code == 302
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action="accounts.user.deactivated")
    assert event.changes == {"is_active": [True, False]}
    assert event.data["sessions_ended"] == 1


def test_inactive_user_is_refused_even_if_the_session_survives(client, world):
    force_login_verified(client, world.provider_b)
    world.provider_b.is_active = False
    world.provider_b.save(update_fields=["is_active"])  # bypasses the service: sessions remain
    response = client.get("/workspace/")
    assert signed_out_to_login(response, "ended")
    assert "_auth_user_id" not in client.session


def test_only_platform_admins_deactivate_and_not_themselves(world):
    with pytest.raises(PermissionRefused):
        services.deactivate_user(user=world.provider_a, actor=world.city_finance)
    with pytest.raises(PermissionRefused):
        services.deactivate_user(user=world.platform_admin, actor=world.platform_admin)
    services.deactivate_user(user=world.provider_a, actor=world.platform_admin)
    with pytest.raises(TransitionRefused):
        services.deactivate_user(user=world.provider_a, actor=world.platform_admin)


def test_deactivation_ends_every_session_of_the_user(client, world, client_factory):
    other = client_factory()
    client.post(reverse("accounts:login"), {"username": "provider_a", "password": PASSWORD})
    other.post(reverse("accounts:login"), {"username": "provider_a", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert client.get("/workspace/").status_code == 200
    assert other.get("/workspace/").status_code == 200
    services.deactivate_user(user=world.provider_a, actor=world.platform_admin)
    assert client.get("/workspace/").status_code == 302
    assert other.get("/workspace/").status_code == 302


@pytest.fixture
def client_factory():
    from django.test import Client

    return Client
