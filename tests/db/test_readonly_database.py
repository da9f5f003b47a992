"""A database that cannot be written — a read-only SQLite file or folder, a PostgreSQL standby or a
primary in read-only mode, a full disk — answers 503 with Retry-After like the other faults of
availability (R16), never a 500 with a stack trace, and writes nothing."""

from __future__ import annotations

import pytest
from django.db import InternalError, OperationalError, connection

from govbuy.accounts.testing import api_token_for
from govbuy.audit.models import AuditEvent
from govbuy.core.middleware import database_fault
from govbuy.organizations.models import Organisation

UPDATED = "organizations.organisation.updated"


def _token(user) -> str:
    return api_token_for(user, f"readonly-database-token-{user.pk:08d}")


def _patch_org(client, user, org, name, token):
    return client.patch(
        f"/api/v1/organisations/{org.pk}/",
        data={"version": org.version, "name_zh": name},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def _assert_unavailable_api(response) -> None:
    assert response.status_code == 503, response.content[:500]
    assert response["Retry-After"].isdigit()
    body = response.json()
    assert body["code"] == "service_unavailable"
    for word in ("Traceback", "readonly", "read-only", "sqlite", "psycopg"):
        assert word.lower() not in response.content.decode().lower(), word


sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


def _wrapped(django_class: type[Exception], cause: BaseException | None, text: str = "") -> Exception:
    exc = django_class(text)
    exc.__cause__ = cause
    return exc


@pytest.mark.parametrize(
    "text",
    [
        "attempt to write a readonly database",
        "database or disk is full",
        "disk I/O error",
        "unable to open database file",
    ],
)
def test_sqlite_texts_of_an_unwritable_database_are_faults(text):
    assert database_fault(_wrapped(OperationalError, None, text)) == "sqlite_unwritable"


def test_postgresql_read_only_transaction_and_full_disk_are_faults():
    psycopg = pytest.importorskip("psycopg")
    errors = psycopg.errors
    assert database_fault(_wrapped(InternalError, errors.ReadOnlySqlTransaction())) == "sqlstate_25006"
    assert database_fault(_wrapped(OperationalError, errors.DiskFull())) == "sqlstate_53100"
    # Other internal errors stay bugs.
    assert database_fault(_wrapped(InternalError, errors.InFailedSqlTransaction())) is None
    assert database_fault(InternalError("something else")) is None


@sqlite_only
@pytest.mark.django_db
def test_a_read_only_sqlite_database_answers_503_and_writes_nothing(world, client):
    org = world.purchaser_a_org
    before = (org.name_zh, org.version)
    token = _token(world.platform_admin)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA query_only = ON")
    try:
        response = _patch_org(client, world.platform_admin, org, "只读时的新名称", token)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = OFF")
    _assert_unavailable_api(response)
    fresh = Organisation.objects.get(pk=org.pk)
    assert (fresh.name_zh, fresh.version) == before
    assert not AuditEvent.objects.filter(action="organizations.organisation.updated").exists()


@sqlite_only
@pytest.mark.django_db
def test_a_read_only_sqlite_database_answers_a_page_with_503(world, client):
    from govbuy.accounts.testing import force_login_verified

    force_login_verified(client, world.platform_admin)
    org = world.purchaser_a_org
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA query_only = ON")
    try:
        response = client.post(f"/organizations/{org.pk}/deactivate/", {"version": org.version, "reason": "撤销"})
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = OFF")
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert b"Traceback" not in response.content


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_read_only_postgresql_transaction_answers_503_and_writes_nothing(world, client):
    org = world.purchaser_a_org
    before = (org.name_zh, org.version)
    token = _token(world.platform_admin)
    with connection.cursor() as cursor:
        cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    try:
        response = _patch_org(client, world.platform_admin, org, "只读时的新名称", token)
    finally:
        connection.close()  # a fresh session: read-write again
    _assert_unavailable_api(response)
    fresh = Organisation.objects.get(pk=org.pk)
    assert (fresh.name_zh, fresh.version) == before
