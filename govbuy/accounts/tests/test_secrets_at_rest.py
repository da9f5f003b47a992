"""A copy of the database opens nothing: API tokens are stored as their sha256 and TOTP secrets
encrypted under a key outside the database, bound to their user. Tokens and secrets from before
the change keep working after the data migrations."""

from __future__ import annotations

import hashlib
import importlib
import io
import secrets
from datetime import timedelta
from types import SimpleNamespace

import pyotp
import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from govbuy.accounts import crypto, services
from govbuy.accounts.checks import check_account_keys
from govbuy.accounts.models import ApiToken, User
from govbuy.accounts.tests.helpers import T0, enrol
from govbuy.core.testing import PASSWORD

TOKEN = "/api/v1/auth/token/"
ME = "/api/v1/me/"


@pytest.fixture
def key(client, world) -> str:
    response = client.post(TOKEN, {"username": "provider_a", "password": PASSWORD}, content_type="application/json")
    assert response.status_code == 201
    return response.json()["token"]


def stored_row_text(model, pk) -> str:
    return repr(list(model.objects.filter(pk=pk).values()))


# --- API tokens ------------------------------------------------------------------------------


def test_the_stored_token_is_its_hash_and_the_hash_does_not_sign_in(client, world, key):
    row = ApiToken.objects.get(user=world.provider_a)
    assert key not in stored_row_text(ApiToken, row.pk)
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert row.prefix == key[:8]
    # Someone holding a copy of the table has the hash, and the hash is not a token.
    assert client.get(ME, HTTP_AUTHORIZATION=f"Bearer {row.key_hash}").status_code == 401
    assert client.get(ME, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def test_revoking_deletes_the_hashed_token(client, world, key):
    assert client.delete(TOKEN, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 204
    assert not ApiToken.objects.filter(user=world.provider_a).exists()
    assert client.get(ME, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_last_use_is_stamped_at_most_once_a_minute(client, world, key, django_assert_num_queries):
    with time_machine.travel(T0, tick=False) as traveller:
        # token + user, the stamp, two-factor kinds, is the user an expert, memberships
        with django_assert_num_queries(5):
            client.get(ME, HTTP_AUTHORIZATION=f"Bearer {key}")
        assert ApiToken.objects.get(user=world.provider_a).last_used_at == T0
        traveller.shift(timedelta(seconds=59))
        with django_assert_num_queries(4):
            client.get(ME, HTTP_AUTHORIZATION=f"Bearer {key}")
        traveller.shift(timedelta(seconds=2))
        client.get(ME, HTTP_AUTHORIZATION=f"Bearer {key}")
        assert ApiToken.objects.get(user=world.provider_a).last_used_at == T0 + timedelta(seconds=61)


def test_an_overlong_key_is_refused_without_a_lookup(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert services.authenticate_api_token("a" * (services.MAX_TOKEN_CHARS + 1)) is None


def test_the_security_page_shows_the_prefix_only(client, world, key, login):
    page = login(world.provider_a).get("/accounts/security/").content.decode()
    assert key[:8] in page
    assert key not in page


def test_tokens_issued_by_drf_authtoken_keep_working_after_the_migration(client, world):
    """0004 reads DRF's old table (plain keys), stores their hashes and empties it."""
    migration = importlib.import_module("govbuy.accounts.migrations.0004_hash_authtoken_keys")
    created = "timestamp with time zone" if connection.vendor == "postgresql" else "datetime"
    old_key = secrets.token_hex(20)  # DRF's format: 40 hex digits
    with connection.cursor() as cursor:
        cursor.execute(
            f'CREATE TABLE authtoken_token ("key" varchar(40) PRIMARY KEY, created {created} NOT NULL, '
            "user_id integer NOT NULL)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s)", [old_key, "2026-03-01 08:00:00", world.provider_b.pk]
        )
    migration.hash_legacy_keys(apps, SimpleNamespace(connection=connection))
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0  # no plain key left behind
    row = ApiToken.objects.get(user=world.provider_b)
    assert row.key_hash != old_key
    assert row.created_at.year == 2026
    response = client.get(ME, HTTP_AUTHORIZATION=f"Bearer {old_key}")
    assert response.status_code == 200
    assert response.json()["username"] == "provider_b"


# --- TOTP secrets ----------------------------------------------------------------------------


def test_a_database_dump_shows_no_totp_secret(world):
    users = [world.provider_a, world.auditor, world.city_finance]
    plain = {}
    for user in users:
        plain[user.pk] = pyotp.random_base32(length=32)
        enrol(user, plain[user.pk])
    out = io.StringIO()
    call_command("dumpdata", "accounts", stdout=out)
    dump = out.getvalue()
    for user in users:
        assert plain[user.pk] not in dump
        stored = User.objects.get(pk=user.pk)
        assert stored.totp_secret_encrypted.startswith("v1:")
        assert stored.totp_secret == plain[user.pk]


def test_enrolment_stores_the_secret_encrypted(world):
    user = world.district_finance_a
    secret = services.begin_two_factor_enrolment(user=user, actor=user)
    stored = User.objects.get(pk=user.pk).totp_secret_encrypted
    assert secret not in stored
    assert stored.startswith("v1:")


def test_a_secret_copied_to_another_users_row_does_not_open(world):
    victim, attacker = world.city_finance, world.provider_a
    totp = enrol(attacker, pyotp.random_base32(length=32))
    enrol(victim)
    User.objects.filter(pk=victim.pk).update(
        totp_secret_encrypted=User.objects.get(pk=attacker.pk).totp_secret_encrypted
    )
    victim.refresh_from_db()
    with pytest.raises(crypto.UnreadableSecret):
        _ = victim.totp_secret
    with time_machine.travel(T0, tick=False), pytest.raises(services.InvalidCode):
        services.authenticate_totp(user_pk=victim.pk, username=victim.username, code=totp.now(), ip="10.0.0.9")


def test_a_secret_does_not_open_under_another_key(world, settings):
    enrol(world.auditor)
    settings.GOVBUY_TOTP_KEY = "another-key-" + "x" * 32
    with pytest.raises(crypto.UnreadableSecret):
        _ = User.objects.get(pk=world.auditor.pk).totp_secret


def test_production_refuses_to_use_a_missing_totp_key(settings):
    settings.PRODUCTION = True
    settings.GOVBUY_TOTP_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="GOVBUY_TOTP_KEY"):
        crypto.encrypt_totp_secret(user_id=1, secret="JBSWY3DPEHPK3PXP")


@pytest.mark.django_db(transaction=True)
def test_secrets_stored_in_plain_text_are_encrypted_by_the_migration():
    """0006 on a database from before: the plain secret becomes ciphertext that still opens."""
    plain = pyotp.random_base32(length=32)
    executor = MigrationExecutor(connection)
    before = [("accounts", "0005_user_totp_secret_encrypted")]
    latest = executor.loader.graph.leaf_nodes("accounts")
    try:
        executor.migrate(before)
        old_user_model = executor.loader.project_state(before).apps.get_model("accounts", "User")
        pk = old_user_model.objects.create(username="legacy", totp_secret=plain).pk
        executor.loader.build_graph()
        executor.migrate(latest)
    finally:
        executor.loader.build_graph()
        executor.migrate(latest)
    user = User.objects.get(pk=pk)
    assert plain not in user.totp_secret_encrypted
    assert user.totp_secret == plain


# --- production keys -------------------------------------------------------------------------

SECRET = "s" * 50
IDENTITY = "i" * 40
TOTP = "t" * 40


@pytest.mark.parametrize(
    ("identity", "totp", "expected"),
    [
        (IDENTITY, TOTP, set()),
        (SECRET, TOTP, {"accounts.E001"}),  # the default: identity key falls back to SECRET_KEY
        ("", TOTP, {"accounts.E001"}),
        (IDENTITY, "", {"accounts.E002"}),
        (IDENTITY, SECRET, {"accounts.E002"}),
        (IDENTITY, "short", {"accounts.E002"}),
        (IDENTITY, IDENTITY, {"accounts.E001", "accounts.E002"}),
    ],
)
def test_production_requires_its_own_account_keys(settings, identity, totp, expected):
    settings.PRODUCTION = True
    settings.SECRET_KEY = SECRET
    settings.GOVBUY_IDENTITY_KEY = identity
    settings.GOVBUY_TOTP_KEY = totp
    assert {error.id for error in check_account_keys()} == expected


def test_development_needs_no_account_keys(settings):
    settings.PRODUCTION = False
    settings.GOVBUY_IDENTITY_KEY = settings.SECRET_KEY
    settings.GOVBUY_TOTP_KEY = ""
    assert check_account_keys() == []
