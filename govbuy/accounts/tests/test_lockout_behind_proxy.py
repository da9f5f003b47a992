"""Behind our reverse proxy the sign-in lockout locks the (username, real client) pair, the API's
lockout and throttle count real clients, and the security log names the real address."""

from __future__ import annotations

import logging

import pytest
import time_machine

from govbuy.accounts.models import LoginFailure
from govbuy.accounts.tests.helpers import T0
from govbuy.core.testing import PASSWORD

LOGIN = "/accounts/login/"
PROXY = "10.0.0.5"

pytestmark = pytest.mark.django_db


def attempt(client, username, password, client_address):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_address,
    )


def test_the_lockout_locks_the_real_client_not_the_proxy(client, world, settings, caplog):
    settings.GOVBUY_TRUSTED_PROXIES = ["10.0.0.0/8"]
    caplog.set_level(logging.INFO, logger="govbuy.security")
    with time_machine.travel(T0, tick=False):
        codes = [attempt(client, "provider_a", "wrong-password-123", "203.0.113.7").status_code for _ in range(5)]
        assert codes == [200, 200, 200, 200, 429]
        locked = attempt(client, "provider_a", PASSWORD, "203.0.113.7")
        assert locked.status_code == 429
        assert int(locked["Retry-After"]) == settings.LOGIN_LOCKOUT_SECONDS
        # The same user from another address behind the same proxy signs in.
        assert attempt(client, "provider_a", PASSWORD, "203.0.113.8").status_code == 302
    assert set(LoginFailure.objects.values_list("ip", flat=True)) == {"203.0.113.7"}
    logged = " ".join(r.getMessage() for r in caplog.records if r.name == "govbuy.security")
    assert "203.0.113.7" in logged
    assert PROXY not in logged


def test_the_api_lockout_answers_429_with_retry_after_for_the_real_client(client, world, settings):
    settings.GOVBUY_TRUSTED_PROXIES = ["10.0.0.0/8"]
    with time_machine.travel(T0, tick=False):
        for _ in range(5):
            response = client.post(
                "/api/v1/auth/token/",
                {"username": "provider_b", "password": "wrong-password-123"},
                content_type="application/json",
                REMOTE_ADDR=PROXY,
                HTTP_X_FORWARDED_FOR="203.0.113.9",
            )
        assert response.status_code == 429
        assert response.json()["code"] == "login_locked"
        assert int(response["Retry-After"]) == settings.LOGIN_LOCKOUT_SECONDS
