"""Django admin only for platform admins; /healthz for load balancers."""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client, RequestFactory

from govbuy.accounts.testing import force_login_verified


def test_admin_is_open_to_the_platform_admin(world):
    client = force_login_verified(Client(), world.platform_admin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/auth/group/").status_code == 200


@pytest.mark.parametrize("persona", ["purchaser_a", "city_finance", "provider_a", "auditor", "outsider"])
def test_admin_is_closed_to_everyone_else_even_with_is_staff(world, persona):
    user = getattr(world, persona)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = force_login_verified(Client(), user)
    for url in ("/admin/", "/admin/auth/group/", "/admin/auth/group/add/", "/admin/password_change/"):
        response = client.get(url, follow=True)
        assert response.status_code == 404, url
        assert b"site-name" not in response.content


def test_superuser_flag_without_is_active_opens_nothing(world):
    request = RequestFactory().get("/admin/")
    world.platform_admin.is_active = False
    request.user = world.platform_admin
    assert admin.site.has_permission(request) is False


def test_staff_non_superuser_has_no_admin_permission(world):
    request = RequestFactory().get("/admin/")
    world.purchaser_a.is_staff = True
    request.user = world.purchaser_a
    assert admin.site.has_permission(request) is False
    request.user = world.platform_admin
    assert admin.site.has_permission(request) is True


def test_admin_sign_in_goes_through_the_site_login(db, client):
    response = client.get("/admin/")
    assert response.status_code == 302
    login = client.get(response["Location"])
    assert login.status_code == 302
    assert login["Location"].startswith("/accounts/login/?next=")
    assert "/admin/" in login["Location"]


def test_admin_login_form_cannot_be_posted(world, client):
    from govbuy.core.testing import PASSWORD

    client.post("/admin/login/", {"username": "platform_admin", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_healthz_ok_when_the_database_answers(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert "no-store" in response["Cache-Control"]


def test_healthz_503_without_details_when_the_database_fails(db, client, caplog):
    secret_detail = "could not connect to server: password authentication failed for govbuy"
    with mock.patch.object(connection, "cursor", side_effect=Exception(secret_detail)):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    assert b"password" not in response.content
    assert "no-store" in response["Cache-Control"]
    assert any(record.levelname == "ERROR" for record in caplog.records)


def test_healthz_refuses_writes(db, client):
    assert client.post("/healthz").status_code == 405
