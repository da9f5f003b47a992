from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from govbuy.accounts.models import LoginFailure, User
from govbuy.accounts.testing import force_login_verified
from govbuy.audit.models import AuditEvent
from govbuy.core.testing import PASSWORD

URL = "/accounts/security/password/"
NEW = "Quiet-river-stone-2031"


def change(client, old, new1, new2=None, **extra):
    return client.post(
        URL, {"old_password": old, "new_password1": new1, "new_password2": new2 if new2 is not None else new1}, **extra
    )


def test_password_change_keeps_this_session_and_ends_the_others(world):
    mine, other = Client(), Client()
    mine.post(reverse("accounts:login"), {"username": "provider_a", "password": PASSWORD})
    other.post(reverse("accounts:login"), {"username": "provider_a", "password": PASSWORD})
    response = change(mine, PASSWORD, NEW)
    assert response.status_code == 302
    assert mine.get("/workspace/").status_code == 200
    assert other.get("/workspace/").status_code == 302
    user = User.objects.get(username="provider_a")
    assert user.check_password(NEW)
    assert Session.objects.count() == 1
    assert AuditEvent.objects.filter(action="accounts.user.password_changed", object_id=str(user.pk)).count() == 1


@pytest.mark.parametrize(
    ("new", "english"),
    [
        ("Sh0rt-pass", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("123456789012345", "This password is entirely numeric."),
    ],
)
def test_password_rules_in_english(client, world, new, english):
    force_login_verified(client, world.provider_a)
    response = change(client, PASSWORD, new, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert english in response.content.decode()
    assert User.objects.get(pk=world.provider_a.pk).check_password(PASSWORD)


def test_password_rules_are_translated(client, world):
    force_login_verified(client, world.provider_a)
    text = change(client, PASSWORD, "Sh0rt-pass", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "密码" in text
    assert "12" in text
    assert "too short" not in text


def test_mismatched_new_passwords_are_refused(client, world):
    force_login_verified(client, world.provider_a)
    response = change(client, PASSWORD, NEW, NEW + "x", HTTP_ACCEPT_LANGUAGE="en")
    assert "The two new passwords do not match." in response.content.decode()
    assert User.objects.get(pk=world.provider_a.pk).check_password(PASSWORD)


def test_wrong_old_password_counts_towards_the_lock(client, world):
    force_login_verified(client, world.provider_a)
    statuses = [change(client, "not-my-password", NEW).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    assert LoginFailure.objects.filter(username="provider_a").count() == 5
    # The borrowed session is signed out and the pair is locked for sign-in as well.
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("accounts:login"), {"username": "provider_a", "password": PASSWORD})
    assert response.status_code == 429
