from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from govbuy.accounts.models import LoginFailure
from govbuy.accounts.sessions import LOGIN_AT, is_two_factor_verified
from govbuy.accounts.tests.helpers import T0, enrol
from govbuy.audit.models import AuditEvent
from govbuy.core.testing import PASSWORD

LOGIN = "/accounts/login/"


def attempt(client, username, password, ip="10.0.0.1", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def fail_times(client, username, times, ip="10.0.0.1"):
    return [attempt(client, username, "wrong-password-123", ip=ip).status_code for _ in range(times)]


def test_login_page_renders_and_uses_our_view(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert "accounts/login.html" in [t.name for t in response.templates]


def test_successful_login_cycles_session_key_and_stamps_login_time(client, world):
    client.get(LOGIN)
    client.cookies["sessionid"] = "x" * 32  # a planted key must not survive the sign-in
    response = attempt(client, "provider_a", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert client.cookies["sessionid"].value != "x" * 32
    session = client.session
    assert str(session["_auth_user_id"]) == str(world.provider_a.pk)
    assert isinstance(session[LOGIN_AT], float)


def test_signing_in_again_as_the_same_user_gets_a_new_session_key(client, world):
    attempt(client, "provider_a", PASSWORD)
    first = client.cookies["sessionid"].value
    attempt(client, "provider_a", PASSWORD)
    assert client.cookies["sessionid"].value != first
    assert client.get("/workspace/").status_code == 200


def test_wrong_password_is_refused_with_a_translated_message(client, world):
    response = attempt(client, "provider_a", "not-the-password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "用户名或密码不正确" in response.content.decode() or "The username or password" in response.content.decode()


def test_five_failures_lock_the_pair_with_429_even_for_the_right_password(client, world):
    with time_machine.travel(T0, tick=False):
        assert fail_times(client, "provider_a", 4) == [200, 200, 200, 200]
        # The fifth failure locks at once.
        assert fail_times(client, "provider_a", 1) == [429]
        response = attempt(client, "provider_a", PASSWORD)
    # Checked before the password: the right password gets the same 429, not a sign-in.
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert int(response["Retry-After"]) == 15 * 60
    assert "15" in response.content.decode()
    assert LoginFailure.objects.filter(username="provider_a").count() == 5


def test_lock_message_is_translated(client, world, settings):
    with time_machine.travel(T0, tick=False):
        fail_times(client, "provider_a", 5)
        zh = attempt(client, "provider_a", PASSWORD, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        en = attempt(client, "provider_a", PASSWORD, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Too many failed sign-in attempts. Try again in 15 minutes." in en
    assert 'id="lockout-message"' in zh


def test_lock_does_not_affect_other_users_or_the_same_user_elsewhere(client, world):
    with time_machine.travel(T0, tick=False):
        fail_times(client, "provider_a", 5, ip="10.0.0.1")
        assert attempt(client, "provider_a", PASSWORD, ip="10.0.0.1").status_code == 429
        # User B from the same address: unaffected.
        assert attempt(client, "provider_b", PASSWORD, ip="10.0.0.1").status_code == 302
        client.post(reverse("accounts:logout"))
        # User A from another address: unaffected.
        assert attempt(client, "provider_a", PASSWORD, ip="10.0.0.2").status_code == 302


def test_lock_expires_after_fifteen_minutes(client, world):
    with time_machine.travel(T0, tick=False) as traveller:
        fail_times(client, "provider_a", 5)
        traveller.shift(timedelta(minutes=14, seconds=59))
        assert attempt(client, "provider_a", PASSWORD).status_code == 429
        traveller.shift(timedelta(seconds=2))
        assert attempt(client, "provider_a", PASSWORD).status_code == 302
        # Success clears the pair's failures.
        assert not LoginFailure.objects.filter(username="provider_a", ip="10.0.0.1").exists()


def test_after_expiry_a_fresh_run_is_needed_to_lock_again(client, world):
    with time_machine.travel(T0, tick=False) as traveller:
        fail_times(client, "provider_a", 5)
        traveller.shift(timedelta(minutes=16))
        assert fail_times(client, "provider_a", 4) == [200, 200, 200, 200]
        assert fail_times(client, "provider_a", 1) == [429]


def test_inactive_user_with_right_password_fails_like_a_wrong_password(client, world):
    world.provider_a.is_active = False
    world.provider_a.save()
    response = attempt(client, "provider_a", PASSWORD)
    wrong = attempt(client, "provider_b", "wrong-password-123")
    assert response.status_code == wrong.status_code == 200
    assert "_auth_user_id" not in client.session


def test_lockout_writes_one_audit_event(client, world):
    with time_machine.travel(T0, tick=False):
        fail_times(client, "provider_a", 7)
    events = AuditEvent.objects.filter(action="accounts.user.login_locked")
    assert events.count() == 1
    event = events.get()
    assert event.object_id == str(world.provider_a.pk)
    assert event.data["ip"] == "10.0.0.1"
    assert event.data["username"] == "provider_a"


def test_two_step_login_with_totp(client, world):
    totp = enrol(world.purchaser_a)
    with time_machine.travel(T0, tick=False):
        response = attempt(client, "purchaser_a", PASSWORD)
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:login_verify")
        assert "_auth_user_id" not in client.session  # not signed in before the code
        assert client.get("/workspace/").status_code == 302
        response = client.post(reverse("accounts:login_verify"), {"code": totp.now()})
        assert response.status_code == 302
        assert response["Location"] == reverse("core:home")
        assert is_two_factor_verified(client.session, world.purchaser_a)
        assert client.get("/workspace/").status_code == 200


def test_totp_code_cannot_be_replayed_at_sign_in(client, world):
    totp = enrol(world.purchaser_a)
    with time_machine.travel(T0, tick=False):
        code = totp.now()
        attempt(client, "purchaser_a", PASSWORD)
        assert client.post(reverse("accounts:login_verify"), {"code": code}).status_code == 302
        client.post(reverse("accounts:logout"))
        attempt(client, "purchaser_a", PASSWORD)
        response = client.post(reverse("accounts:login_verify"), {"code": code})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_wrong_totp_codes_count_towards_the_lock(client, world):
    totp = enrol(world.purchaser_a)
    with time_machine.travel(T0, tick=False):
        attempt(client, "purchaser_a", PASSWORD)
        statuses = [
            client.post(reverse("accounts:login_verify"), {"code": "000000"}, REMOTE_ADDR="10.0.0.1").status_code
            for _ in range(5)
        ]
        assert statuses == [200, 200, 200, 200, 429]
        assert attempt(client, "purchaser_a", PASSWORD).status_code == 429
        assert totp.now() != "000000"


def test_pending_second_step_expires(client, world):
    totp = enrol(world.purchaser_a)
    with time_machine.travel(T0, tick=False) as traveller:
        attempt(client, "purchaser_a", PASSWORD)
        traveller.shift(timedelta(minutes=6))
        response = client.post(reverse("accounts:login_verify"), {"code": totp.now()})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_next_is_followed_only_when_local(client, world):
    ok = client.post(LOGIN + "?next=/accounts/security/", {"username": "provider_a", "password": PASSWORD})
    assert ok["Location"] == "/accounts/security/"
    client.post(reverse("accounts:logout"))
    evil = client.post(LOGIN + "?next=https://evil.example/", {"username": "provider_a", "password": PASSWORD})
    assert evil["Location"] == reverse("core:home")


def test_logout_is_post_only_and_ends_the_session(client, world):
    attempt(client, "provider_a", PASSWORD)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_admin_login_goes_through_our_sign_in(client, world):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_logs_never_contain_the_password_and_carry_request_ids(client, world, caplog):
    caplog.set_level(logging.DEBUG)
    secret_password = "Canary-Password-9431!"
    with time_machine.travel(T0, tick=False):
        responses = [attempt(client, "provider_a", secret_password) for _ in range(5)]
        responses.append(attempt(client, "provider_a", PASSWORD, ip="10.9.9.9"))
    for record in caplog.records:
        assert secret_password not in record.getMessage()
        assert PASSWORD not in record.getMessage()
    assert secret_password not in caplog.text
    assert PASSWORD not in caplog.text
    security = [r for r in caplog.records if r.name == "govbuy.security"]
    messages = [r.getMessage() for r in security]
    assert sum(m.startswith("login.failed ") for m in messages) == 5
    assert sum(m.startswith("login.locked ") for m in messages) == 1
    assert sum(m.startswith("login.succeeded ") for m in messages) == 1
    request_ids = {r["X-Request-ID"] for r in responses}
    for message in messages:
        assert "username='provider_a'" in message
        assert re.search(r"ip='10\.\d+\.\d+\.\d+'", message)
        found = re.search(r"request_id='([^']+)'", message)
        assert found
        assert found.group(1) in request_ids


def test_username_with_newline_cannot_forge_a_log_line(client, db, caplog):
    caplog.set_level(logging.INFO, logger="govbuy.security")
    attempt(client, "eve\nlogin.succeeded username='admin'", "x")
    messages = [r.getMessage() for r in caplog.records if r.name == "govbuy.security"]
    assert messages
    assert all("\n" not in m for m in messages)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_sign_in_page_shows_why_a_session_ended(client, db, language):
    response = client.get(LOGIN + "?reason=idle", HTTP_ACCEPT_LANGUAGE=language)
    text = response.content.decode()
    if language == "en":
        assert "idle for too long" in text
    else:
        assert 'class="message info"' in text
