"""R16: database faults answer 503 without a stack trace, write nothing partial, and pass.

A second connection kills the request's backend in the middle of a service's transaction
(PostgreSQL `pg_terminate_backend`), holds the row the service locks past `lock_timeout`, or
(SQLite) holds the write lock past the busy timeout. Each time: 503 with Retry-After and the
error shape (API) or a plain page (HTML), no change and no audit event, and the next request
works. Exceptions that are bugs still surface as before.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import DatabaseError, IntegrityError, OperationalError, ProgrammingError, connection, connections

from govbuy.accounts.testing import api_token_for
from govbuy.audit.models import AuditEvent
from govbuy.core.middleware import database_fault
from govbuy.organizations import services as org_services
from govbuy.organizations.models import Organisation

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")

UPDATED = "organizations.organisation.updated"
LEAKS = ("Traceback", "terminat", "lock", "timeout", "canceling", "OperationalError", "psycopg", "sqlite")


# --- helpers ---------------------------------------------------------------------------------


def _api(client: Any, user: Any) -> dict[str, str]:
    # The same key for the same user every time, so a second call only reads (see the lock tests).
    return {"Authorization": f"Bearer {api_token_for(user, f'database-faults-token-{user.pk:08d}')}"}


def _patch_org(client: Any, user: Any, org: Organisation, name: str) -> Any:
    org.refresh_from_db()
    return client.patch(
        f"/api/v1/organisations/{org.pk}/",
        data={"version": org.version, "name_zh": name},
        content_type="application/json",
        headers=_api(client, user),
    )


def _assert_unavailable_api(response: Any) -> None:
    assert response.status_code == 503, response.content[:500]
    assert response["Retry-After"].isdigit()
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == "service_unavailable"
    assert body["fields"] == {}
    for word in LEAKS:
        assert word.lower() not in response.content.decode().lower(), word


def _assert_unchanged(org: Organisation, name: str, version: int) -> None:
    fresh = Organisation.objects.get(pk=org.pk)
    assert (fresh.name_zh, fresh.version) == (name, version)
    assert not AuditEvent.objects.filter(action=UPDATED).exists()


def _other_connection() -> Any:
    """A second connection to the same test database, like another process."""
    other = connections.create_connection("default")
    other.ensure_connection()
    return other


@pytest.fixture
def mid_transaction(monkeypatch) -> Callable[[Callable[[], None]], None]:
    """Run a hook inside update_organisation's transaction, after its UPDATE, before its audit event."""

    original = org_services.record_event

    def install(hook: Callable[[], None]) -> None:
        def record_event(**kwargs: Any) -> Any:
            hook()
            return original(**kwargs)

        monkeypatch.setattr(org_services, "record_event", record_event)

    return install


@pytest.fixture
def short_timeouts() -> Iterator[None]:
    """Reconnect the request's connection with short timeouts, set the way settings set them:
    PostgreSQL `-c lock_timeout/statement_timeout` in OPTIONS, SQLite's busy `timeout`."""
    saved = copy.deepcopy(connection.settings_dict["OPTIONS"])
    connection.close()
    if connection.vendor == "postgresql":
        connection.settings_dict["OPTIONS"]["options"] = "-c statement_timeout=1000 -c lock_timeout=300"
    else:
        connection.settings_dict["OPTIONS"]["timeout"] = 0.3
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["OPTIONS"] = saved


def _terminate_own_backend() -> None:
    pid = connection.connection.info.backend_pid
    other = _other_connection()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0] is True
    finally:
        other.close()


# --- classification --------------------------------------------------------------------------


def _wrapped(django_class: type[Exception], cause: BaseException | None, text: str = "") -> Exception:
    exc = django_class(text)
    exc.__cause__ = cause
    return exc


def test_only_availability_faults_are_classified():
    assert database_fault(_wrapped(OperationalError, None, "database is locked")) == "sqlite_busy"
    assert database_fault(_wrapped(OperationalError, None, "no such table: x")) is None
    assert database_fault(IntegrityError("UNIQUE constraint failed")) is None
    assert database_fault(ProgrammingError("syntax error")) is None
    assert database_fault(DatabaseError("govbuy audit trail is append-only")) is None
    assert database_fault(ValueError("database is locked")) is None
    assert database_fault(None) is None


def test_postgres_sqlstates_are_classified():
    errors = pytest.importorskip("psycopg.errors")
    assert database_fault(_wrapped(OperationalError, errors.LockNotAvailable())) == "sqlstate_55P03"
    assert database_fault(_wrapped(OperationalError, errors.QueryCanceled())) == "sqlstate_57014"
    assert database_fault(_wrapped(OperationalError, errors.AdminShutdown())) == "sqlstate_57P01"
    assert database_fault(_wrapped(OperationalError, errors.DeadlockDetected())) == "sqlstate_40P01"
    assert database_fault(_wrapped(OperationalError, errors.UndefinedTable())) is None
    assert database_fault(_wrapped(OperationalError, errors.OperationalError("server closed"))) == "connection_lost"


# --- R16 (a): a connection killed mid-request ------------------------------------------------


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_killed_connection_mid_request_answers_503_and_writes_nothing(world, client, mid_transaction, caplog):
    org = world.purchaser_a_org
    org.refresh_from_db()
    name, version = org.name_zh, org.version
    mid_transaction(_terminate_own_backend)

    with caplog.at_level(logging.WARNING, logger="govbuy.database"):
        response = _patch_org(client, world.platform_admin, org, "被中断的修改")

    _assert_unavailable_api(response)
    assert any("503" in r.getMessage() for r in caplog.records if r.name == "govbuy.database")
    _assert_unchanged(org, name, version)

    # The next request reconnects and works.
    mid_transaction(lambda: None)
    again = _patch_org(client, world.platform_admin, org, "恢复后的修改")
    assert again.status_code == 200, again.content[:500]
    assert Organisation.objects.get(pk=org.pk).name_zh == "恢复后的修改"
    assert AuditEvent.objects.filter(action=UPDATED).count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_killed_connection_on_a_page_answers_a_plain_503_page(world, client, login, mid_transaction):
    org = world.purchaser_a_org
    org.refresh_from_db()
    name, version = org.name_zh, org.version
    browser = login(world.platform_admin)
    form = {
        "name_zh": "被中断的页面修改",
        "name_en": org.name_en,
        "kind": org.kind,
        "region": org.region_id,
        "uscc": org.uscc or "",
        "version": org.version,
    }
    mid_transaction(_terminate_own_backend)

    response = browser.post(f"/organizations/{org.pk}/edit/", data=form)

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"].isdigit()
    page = response.content.decode()
    assert "<h1>" in page
    for word in LEAKS:
        assert word.lower() not in page.lower(), word
    _assert_unchanged(org, name, version)

    mid_transaction(lambda: None)
    assert browser.get(f"/organizations/{org.pk}/").status_code == 200
    again = browser.post(f"/organizations/{org.pk}/edit/", data=form)
    assert again.status_code == 302
    assert Organisation.objects.get(pk=org.pk).name_zh == "被中断的页面修改"


# --- R16 (b): statement and lock timeouts bound every request --------------------------------


@postgres_only
@pytest.mark.django_db
def test_settings_bound_statements_and_lock_waits():
    from django.conf import settings

    options = settings.DATABASES["default"]["OPTIONS"]["options"]
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        statement = cursor.fetchone()[0]
        cursor.execute("SHOW lock_timeout")
        lock = cursor.fetchone()[0]
    assert statement not in ("0", "")
    assert lock not in ("0", "")
    assert "statement_timeout=" in options
    assert "lock_timeout=" in options


@pytest.mark.django_db(transaction=True)
def test_lock_held_past_the_timeout_answers_503(world, client, short_timeouts, caplog):
    org = world.purchaser_a_org
    org.refresh_from_db()
    name, version = org.name_zh, org.version
    _api(client, world.platform_admin)  # the token exists before the database is locked
    holder = _other_connection()
    try:
        with holder.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("BEGIN")
                cursor.execute("SELECT id FROM organizations_organisation WHERE id = %s FOR UPDATE", [org.pk])
            else:
                # SQLite locks the whole file: a writer waits for the busy timeout, then gives up.
                cursor.execute("BEGIN IMMEDIATE")
            with caplog.at_level(logging.WARNING, logger="govbuy.database"):
                response = _patch_org(client, world.platform_admin, org, "等锁的修改")
            cursor.execute("ROLLBACK")
    finally:
        holder.close()

    _assert_unavailable_api(response)
    assert any(r.name == "govbuy.database" for r in caplog.records)
    _assert_unchanged(org, name, version)

    again = _patch_org(client, world.platform_admin, org, "锁释放后的修改")
    assert again.status_code == 200, again.content[:500]
    assert Organisation.objects.get(pk=org.pk).name_zh == "锁释放后的修改"


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_statement_past_the_timeout_answers_503(world, client, short_timeouts, mid_transaction):
    org = world.purchaser_a_org
    org.refresh_from_db()
    name, version = org.name_zh, org.version

    def slow() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(3)")

    mid_transaction(slow)
    response = _patch_org(client, world.platform_admin, org, "太慢的修改")
    _assert_unavailable_api(response)
    _assert_unchanged(org, name, version)


# --- faults outside views, and errors that must still surface -------------------------------


@pytest.mark.django_db
def test_fault_in_middleware_answers_503_with_security_headers(world, login, monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore

    browser = login(world.platform_admin)
    browser.raise_request_exception = False

    def locked(self: Any) -> Any:
        raise OperationalError("database is locked")

    monkeypatch.setattr(SessionStore, "load", locked)
    response = browser.get("/organizations/")
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "database is locked" not in response.content.decode()


@pytest.mark.django_db
def test_bugs_are_not_swallowed(world, client, monkeypatch):
    org = world.purchaser_a_org

    def broken(**kwargs: Any) -> Any:
        raise OperationalError("no such column: organizations_organisation.nonexistent")

    monkeypatch.setattr(org_services, "update_organisation", broken)
    with pytest.raises(OperationalError, match="no such column"):
        _patch_org(client, world.platform_admin, org, "x")

    def integrity(**kwargs: Any) -> Any:
        raise IntegrityError("duplicate key")

    monkeypatch.setattr(org_services, "update_organisation", integrity)
    with pytest.raises(IntegrityError):
        _patch_org(client, world.platform_admin, org, "x")
