from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
import time_machine
from django.urls import reverse

from govbuy.accounts import services
from govbuy.accounts.models import User
from govbuy.accounts.sessions import is_two_factor_verified
from govbuy.accounts.testing import force_login_verified
from govbuy.accounts.tests.helpers import T0, enrol
from govbuy.audit.models import AuditEvent
from govbuy.core.errors import TransitionRefused

SETUP = "/accounts/security/two-factor/"

REQUIRED = [
    "purchaser_a",
    "purchaser_a_approver",
    "purchaser_b",
    "city_finance",
    "district_finance_a",
    "district_finance_b",
    "supervisor",
    "auditor",
    "platform_admin",
]
NOT_REQUIRED = ["provider_a", "provider_b", "staffing", "civil_affairs", "market_regulation", "evaluator", "outsider"]


@pytest.mark.parametrize("persona", REQUIRED)
def test_required_roles_are_sent_to_enrolment(client, world, persona):
    client.force_login(world.users[persona])
    response = client.get("/accounts/security/?x=1")
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)
    assert "next=" in response["Location"]
    assert client.get("/workspace/").status_code == 302
    setup = client.get(SETUP)
    assert setup.status_code == 200
    assert b"<svg" in setup.content
    assert b'id="two-factor-secret"' in setup.content


@pytest.mark.parametrize("persona", NOT_REQUIRED)
def test_other_roles_are_not_sent_to_enrolment(client, world, persona):
    client.force_login(world.users[persona])
    assert client.get("/workspace/").status_code == 200
    assert client.get("/accounts/security/").status_code == 200


@pytest.mark.parametrize("persona", ["purchaser_a", "platform_admin", "auditor"])
def test_force_login_verified_reaches_pages(client, world, persona):
    force_login_verified(client, world.users[persona])
    assert client.get("/workspace/").status_code == 200


def test_enforcement_can_be_switched_off(client, world, settings):
    settings.GOVBUY_ENFORCE_TWO_FACTOR = False
    client.force_login(world.city_finance)
    assert client.get("/workspace/").status_code == 200


def test_logout_static_and_i18n_stay_reachable_during_enrolment(client, world):
    client.force_login(world.city_finance)
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_api_answers_403_in_the_api_shape_until_enrolled(client, world):
    client.force_login(world.city_finance)
    response = client.get("/api/v1/me/")
    assert response.status_code == 403
    assert response.json()["code"] == "two_factor_required"


def test_enrolment_confirms_with_a_code_and_marks_the_session(client, world):
    user = world.district_finance_a
    with time_machine.travel(T0, tick=False):
        client.force_login(user)
        client.get(SETUP)
        user.refresh_from_db()
        assert user.totp_secret
        assert user.totp_confirmed_at is None
        code = pyotp.TOTP(user.totp_secret).now()
        wrong = client.post(SETUP, {"code": "123456" if code != "123456" else "654321"})
        assert wrong.status_code == 200
        response = client.post(SETUP, {"code": code, "next": "/accounts/security/"})
        assert response.status_code == 302
        assert response["Location"] == "/accounts/security/"
        user.refresh_from_db()
        assert user.has_two_factor
        assert is_two_factor_verified(client.session, user)
        assert client.get("/workspace/").status_code == 200
    assert AuditEvent.objects.filter(action="accounts.user.two_factor_enabled", object_id=str(user.pk)).count() == 1
    assert AuditEvent.objects.filter(action="accounts.user.two_factor_enrolment_started").count() == 1


def test_the_secret_stays_the_same_until_confirmed(client, world):
    client.force_login(world.auditor)
    client.get(SETUP)
    first = User.objects.get(pk=world.auditor.pk).totp_secret
    client.get(SETUP)
    assert User.objects.get(pk=world.auditor.pk).totp_secret == first


def test_enrolment_code_cannot_be_replayed_later(world):
    user = world.provider_a
    with time_machine.travel(T0, tick=False) as traveller:
        secret = services.begin_two_factor_enrolment(user=user, actor=user)
        code = pyotp.TOTP(secret).now()
        services.confirm_two_factor(user=user, actor=user, code=code)
        traveller.shift(timedelta(seconds=5))
        with pytest.raises(services.InvalidCode):
            services.authenticate_totp(user_pk=user.pk, username=user.username, code=code, ip="10.0.0.1")


def test_the_same_code_is_accepted_once_with_one_step_tolerance(world):
    user = world.provider_b
    totp = enrol(user)
    with time_machine.travel(T0, tick=False):
        previous = totp.at(T0.timestamp() - 30)
        services.authenticate_totp(user_pk=user.pk, username=user.username, code=previous, ip="10.0.0.1")
        with pytest.raises(services.InvalidCode):
            services.authenticate_totp(user_pk=user.pk, username=user.username, code=previous, ip="10.0.0.1")
        too_old = totp.at(T0.timestamp() - 61)
        with pytest.raises(services.InvalidCode):
            services.authenticate_totp(user_pk=user.pk, username=user.username, code=too_old, ip="10.0.0.1")
        services.authenticate_totp(user_pk=user.pk, username=user.username, code=totp.now(), ip="10.0.0.1")


def test_required_user_cannot_turn_two_factor_off(world):
    user = world.city_finance
    totp = enrol(user)
    with pytest.raises(TransitionRefused):
        services.disable_two_factor(user=user, actor=user, code=totp.now())
    user.refresh_from_db()
    assert user.has_two_factor


def test_provider_turns_two_factor_off_with_a_code(client, world):
    user = world.provider_a
    totp = enrol(user)
    with time_machine.travel(T0, tick=False):
        force_login_verified(client, user)
        assert client.post(reverse("accounts:two_factor_disable"), {"code": "000000"}).status_code == 400
        response = client.post(reverse("accounts:two_factor_disable"), {"code": totp.now()})
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.has_two_factor
    assert AuditEvent.objects.filter(action="accounts.user.two_factor_disabled").count() == 1


def test_admin_reset_ends_the_users_sessions(client, world):
    user = world.purchaser_a
    enrol(user)
    force_login_verified(client, user)
    assert client.get("/workspace/").status_code == 200
    services.disable_two_factor(user=user, actor=world.platform_admin)
    response = client.get("/workspace/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_enrolled_but_unverified_session_is_sent_back_to_sign_in(client, world):
    enrol(world.purchaser_b)
    client.force_login(world.purchaser_b)
    response = client.get("/workspace/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


def test_platform_admin_reaches_admin_only_after_two_factor(client, world):
    client.force_login(world.platform_admin)
    assert client.get("/admin/").status_code == 302
    client.logout()
    force_login_verified(client, world.platform_admin)
    assert client.get("/admin/").status_code == 200
