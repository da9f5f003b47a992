from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from django.apps import apps

from govbuy.accounts import rules

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_two_factor_kinds_are_real_organisation_kinds():
    kinds = {value for value, _label in apps.get_model("organizations", "Organisation")._meta.get_field("kind").choices}
    assert kinds >= rules.TWO_FACTOR_KINDS
    assert {
        "finance_bureau",
        "administrative_agency",
        "public_institution_administrative",
        "mass_organisation_budget_funded",
        "audit_office",
        "supervision",
    } == rules.TWO_FACTOR_KINDS


@pytest.mark.parametrize(
    ("is_superuser", "kinds", "expected"),
    [
        (True, [], True),
        (False, ["finance_bureau"], True),
        (False, ["administrative_agency"], True),
        (False, ["audit_office"], True),
        (False, ["supervision"], True),
        (False, ["social_service_organisation"], False),
        (False, ["third_party_evaluator", "staffing_office"], False),
        (False, ["enterprise", "public_institution_administrative"], True),
        (False, [], False),
    ],
)
def test_two_factor_required(is_superuser, kinds, expected):
    assert rules.two_factor_required(is_superuser=is_superuser, kinds=kinds) is expected


def _state(failures, now):
    return rules.lockout_state(recent_failures=failures, now=now, limit=5, lockout_seconds=900)


def test_four_failures_do_not_lock():
    assert not _state([T0] * 4, T0).locked


def test_five_failures_lock_for_fifteen_minutes_from_the_last():
    failures = [T0 + timedelta(minutes=m) for m in (4, 3, 2, 1, 0)]
    assert _state(failures, T0 + timedelta(minutes=4)).locked
    assert _state(failures, T0 + timedelta(minutes=18, seconds=59)).locked
    assert _state(failures, T0 + timedelta(minutes=18, seconds=59)).seconds_left(T0 + timedelta(minutes=18)) == 60
    assert not _state(failures, T0 + timedelta(minutes=19)).locked


def test_failures_spread_wider_than_the_window_do_not_lock():
    failures = [T0 + timedelta(minutes=m) for m in (20, 3, 2, 1, 0)]
    assert not _state(failures, T0 + timedelta(minutes=20)).locked


def test_session_end_reason():
    kwargs = {"idle_seconds": 1800, "absolute_seconds": 43200}
    assert rules.session_end_reason(now=100.0, login_at=0.0, seen_at=50.0, **kwargs) is None
    assert rules.session_end_reason(now=1850.0, login_at=0.0, seen_at=50.0, **kwargs) == "idle"
    assert rules.session_end_reason(now=43200.0, login_at=0.0, seen_at=43199.0, **kwargs) == "absolute"


def test_totp_accepts_neighbour_steps_once_and_refuses_others():
    secret = pyotp.random_base32()
    totp = pyotp.TOTP(secret)
    now = 1_800_000_015.0
    step = int(now) // 30
    for offset in (-1, 0, 1):
        code = totp.at((step + offset) * 30)
        assert rules.totp_step_for(secret=secret, code=code, now=now, last_step=0) == step + offset
    assert rules.totp_step_for(secret=secret, code=totp.at((step - 2) * 30), now=now, last_step=0) is None
    assert rules.totp_step_for(secret=secret, code=totp.at((step + 2) * 30), now=now, last_step=0) is None
    # Replay: the step was used already, and so was every step before a later one.
    assert rules.totp_step_for(secret=secret, code=totp.at(step * 30), now=now, last_step=step) is None
    assert rules.totp_step_for(secret=secret, code=totp.at((step - 1) * 30), now=now, last_step=step) is None
    assert rules.totp_step_for(secret=secret, code="12345", now=now, last_step=0) is None
    assert rules.totp_step_for(secret=secret, code="abcdef", now=now, last_step=0) is None
    spaced = totp.at(step * 30)
    assert rules.totp_step_for(secret=secret, code=f"{spaced[:3]} {spaced[3:]}", now=now, last_step=0) == step
