from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.apps import apps

from govbuy.accounts.models import User
from govbuy.accounts.testing import force_login_verified
from govbuy.accounts.tests.helpers import T0, enrol
from govbuy.audit.models import AuditEvent
from govbuy.core.testing import PASSWORD

TOKEN = "/api/v1/auth/token/"
ME = "/api/v1/me/"


def get_token(client, username, password=PASSWORD, totp="", ip="10.0.0.1"):
    body = {"username": username, "password": password}
    if totp:
        body["totp"] = totp
    return client.post(TOKEN, body, content_type="application/json", REMOTE_ADDR=ip)


def test_token_for_a_provider_and_me_with_bearer(client, world):
    response = get_token(client, "provider_a")
    assert response.status_code == 201
    key = response.json()["token"]
    assert response.json()["user"]["username"] == "provider_a"
    me = client.get(ME, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert me.status_code == 200
    body = me.json()
    assert body["two_factor"] == {"enabled": False, "required": False}
    [membership] = body["memberships"]
    assert membership["role"] == "admin"
    assert membership["organisation"]["kind"] == "social_service_organisation"
    assert membership["organisation"]["region"]["code"] == "110101"
    event = AuditEvent.objects.get(action="accounts.token.created")
    assert key not in str(event.data)
    assert key not in event.object_id


def test_new_token_replaces_the_old_one_and_delete_revokes(client, world):
    first = get_token(client, "provider_a").json()["token"]
    second = get_token(client, "provider_a").json()["token"]
    assert first != second
    assert client.get(ME, HTTP_AUTHORIZATION=f"Bearer {first}").status_code == 401
    assert client.delete(TOKEN, HTTP_AUTHORIZATION=f"Bearer {second}").status_code == 204
    assert client.get(ME, HTTP_AUTHORIZATION=f"Bearer {second}").status_code == 401
    assert AuditEvent.objects.filter(action="accounts.token.revoked").count() == 1


def test_wrong_password_and_lockout_share_the_page_rules(client, world):
    with time_machine.travel(T0, tick=False) as traveller:
        statuses = [get_token(client, "provider_a", "wrong-password-1").status_code for _ in range(5)]
        assert statuses == [400, 400, 400, 400, 429]
        locked = get_token(client, "provider_a")
        assert locked.status_code == 429
        assert locked.json()["code"] == "login_locked"
        assert set(locked.json()) == {"code", "message", "fields"}
        # Another user, and the same user from elsewhere, are not affected.
        assert get_token(client, "provider_b").status_code == 201
        assert get_token(client, "provider_a", ip="10.0.0.2").status_code == 201
        # The web sign-in from the locked address is locked too.
        page = client.post("/accounts/login/", {"username": "provider_a", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
        assert page.status_code == 429
        traveller.shift(timedelta(minutes=15, seconds=1))
        assert get_token(client, "provider_a").status_code == 201


def test_totp_is_needed_once_enrolled_and_cannot_be_replayed(client, world):
    totp = enrol(world.purchaser_a)
    with time_machine.travel(T0, tick=False):
        missing = get_token(client, "purchaser_a")
        assert missing.status_code == 400
        assert missing.json()["code"] == "totp_required"
        code = totp.now()
        ok = get_token(client, "purchaser_a", totp=code)
        assert ok.status_code == 201
        assert ok.json()["user"]["two_factor"] == {"enabled": True, "required": True}
        replay = get_token(client, "purchaser_a", totp=code)
        assert replay.status_code == 400
        assert replay.json()["code"] == "invalid_code"


def test_required_but_not_enrolled_gets_no_token(client, world):
    response = get_token(client, "city_finance")
    assert response.status_code == 403
    assert response.json()["code"] == "two_factor_required"


def test_token_endpoint_is_throttled_per_address(client, world, monkeypatch):
    # Patched by name: accounts code (tests included) does not import the api layer.
    monkeypatch.setattr("govbuy.api.accounts.views.LoginRateThrottle.THROTTLE_RATES", {"login": "3/min"})
    statuses = [get_token(client, f"nobody{i}", "x").status_code for i in range(4)]
    # A made-up X-Forwarded-For does not buy a new allowance.
    spoofed = client.post(
        TOKEN,
        {"username": "a", "password": "b"},
        content_type="application/json",
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="1.2.3.4",
    )
    other_address = get_token(client, "provider_a", ip="10.0.0.2")
    assert statuses == [400, 400, 400, 429]
    assert spoofed.status_code == 429
    assert other_address.status_code == 201


def test_me_requires_authentication(client, db):
    assert client.get(ME).status_code == 401


def test_me_with_session_for_a_verified_user(client, world):
    force_login_verified(client, world.platform_admin)
    body = client.get(ME).json()
    assert body["is_platform_admin"] is True
    assert body["two_factor"]["required"] is True


@pytest.mark.parametrize("rows", [2, 20])
def test_me_query_count_does_not_grow_with_memberships(client, world, django_assert_num_queries, rows):
    organisation_model = apps.get_model("organizations", "Organisation")
    membership_model = apps.get_model("organizations", "Membership")
    user = world.provider_a
    for i in range(rows - 1):
        org = organisation_model.objects.create(
            name_zh=f"机构{i}", name_en=f"org {i}", kind="individual", region=world.district_b, uscc=None
        )
        membership_model.objects.create(user=user, organisation=org, role="staff")
    key = get_token(client, "provider_a").json()["token"]
    # The first use stamps last_used_at (one write, then none for a minute).
    client.get(ME, HTTP_AUTHORIZATION=f"Bearer {key}")
    with django_assert_num_queries(4):
        # token + user, two-factor kinds, is the user an evaluation expert, memberships
        response = client.get(ME, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert len(response.json()["memberships"]) == rows


def test_password_change_through_the_api(client, world):
    key = get_token(client, "provider_a").json()["token"]
    bad = client.post(
        "/api/v1/me/password/",
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert bad.status_code == 400
    assert "new_password1" in bad.json()["fields"]
    ok = client.post(
        "/api/v1/me/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Quiet-river-stone-2031",
            "new_password2": "Quiet-river-stone-2031",
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert ok.status_code == 204
    assert User.objects.get(pk=world.provider_a.pk).check_password("Quiet-river-stone-2031")


def test_schema_documents_the_account_endpoints(client, world):
    force_login_verified(client, world.provider_a)
    schema = client.get("/api/v1/schema/?format=json").content.decode()
    for needle in ("/api/v1/auth/token/", "/api/v1/me/", "/api/v1/me/password/", "auth_token_create", "me_retrieve"):
        assert needle in schema
