"""`manage.py check --deploy` passes with production settings (design/reliability.md R12)."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings


@pytest.fixture
def production_env(tmp_path) -> dict[str, str]:
    # Nothing from the developer's or CI's environment leaks into the production profile.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GOVBUY_", "DATABASE_URL"))}
    env.update(
        {
            "DJANGO_ENV": "production",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "govbuy.example.gov.cn",
            "DJANGO_AUDIT_KEY": secrets.token_urlsafe(48),
            "GOVBUY_BID_KEK": base64.b64encode(secrets.token_bytes(32)).decode(),
            "GOVBUY_IDENTITY_KEY": secrets.token_urlsafe(48),
            "GOVBUY_TOTP_KEY": secrets.token_urlsafe(48),
            "GOVBUY_SURVEY_CODE_KEY": secrets.token_urlsafe(48),
            "GOVBUY_AUDIT_CHAIN_KEY": secrets.token_urlsafe(48),
            "GOVBUY_AUDIT_CHECKPOINT_FILE": str(tmp_path / "audit-copy" / "checkpoints.jsonl"),
            "OCDS_OCID_PREFIX": "ocds-a1b2c3",
            "GOVBUY_PUBLIC_URL": "https://govbuy.example.gov.cn",
            "GOVBUY_SQLITE_PATH": str(tmp_path / "deploy-check.sqlite3"),
            "GOVBUY_MEDIA_ROOT": str(tmp_path / "media"),
        }
    )
    return env


def run_manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_reports_no_issue_in_production(production_env):
    result = run_manage(production_env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_profile_values(production_env):
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_CSP['frame-ancestors'] == [\"'none'\"])"
    )
    result = run_manage(production_env, "shell", "--no-imports", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["False", "True", "True", "True", "True", "True"]


@pytest.mark.parametrize("variable", ["DJANGO_SECRET_KEY", "DJANGO_AUDIT_KEY"])
def test_production_refuses_to_start_without_its_secrets(production_env, variable):
    del production_env[variable]
    result = run_manage(production_env, "check")
    assert result.returncode != 0
    assert variable in result.stderr


def test_check_deploy_would_catch_a_weak_secret_key(production_env):
    production_env["DJANGO_SECRET_KEY"] = "short"
    result = run_manage(production_env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("variable", "check_id"), [("GOVBUY_IDENTITY_KEY", "accounts.E001"), ("GOVBUY_TOTP_KEY", "accounts.E002")]
)
def test_production_refuses_account_keys_missing_or_borrowed_from_secret_key(production_env, variable, check_id):
    del production_env[variable]
    missing = run_manage(production_env, "check")
    assert missing.returncode != 0
    assert check_id in missing.stderr
    production_env[variable] = production_env["DJANGO_SECRET_KEY"]
    borrowed = run_manage(production_env, "check")
    assert borrowed.returncode != 0
    assert check_id in borrowed.stderr


def test_check_deploy_refuses_a_survey_code_key_missing_or_borrowed_from_secret_key(production_env):
    del production_env["GOVBUY_SURVEY_CODE_KEY"]
    missing = run_manage(production_env, "check", "--deploy")
    assert missing.returncode != 0
    assert "performance.E001" in missing.stderr
    production_env["GOVBUY_SURVEY_CODE_KEY"] = production_env["DJANGO_SECRET_KEY"]
    borrowed = run_manage(production_env, "check", "--deploy")
    assert borrowed.returncode != 0
    assert "performance.E001" in borrowed.stderr


@pytest.mark.parametrize(
    ("variable", "value", "check_id"),
    [
        ("GOVBUY_AUDIT_CHAIN_KEY", None, "audit.E001"),
        ("GOVBUY_AUDIT_CHECKPOINT_FILE", None, "audit.E002"),
        ("OCDS_OCID_PREFIX", None, "disclosure.E001"),
        ("OCDS_OCID_PREFIX", "ocds-xxxxxx", "disclosure.E001"),
        ("GOVBUY_PUBLIC_URL", None, "disclosure.E002"),
        ("GOVBUY_PUBLIC_URL", "http://127.0.0.1:8000", "disclosure.E002"),
    ],
)
def test_production_refuses_to_start_without_its_audit_and_open_data_settings(
    production_env, variable, value, check_id
):
    if value is None:
        del production_env[variable]
    else:
        production_env[variable] = value
    result = run_manage(production_env, "check")
    assert result.returncode != 0
    assert check_id in result.stderr
