"""On PostgreSQL the database itself refuses UPDATE, DELETE and TRUNCATE of audit events and
checkpoints, whoever asks (short of switching triggers off as a superuser)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from govbuy.audit.models import AuditCheckpoint, AuditEvent, AuditHead
from govbuy.audit.services import create_checkpoint, record_event
from govbuy.audit.tests.conftest import append, requires_postgres
from govbuy.audit.verify import verify_chain

pytestmark = [pytest.mark.django_db, requires_postgres]

TABLES = ("audit_auditevent", "audit_auditcheckpoint")


@pytest.fixture
def filled():
    append(3)
    create_checkpoint(actor=None, reason="daily")


def _refused(sql: str, params=None) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize("table", TABLES)
def test_update_is_refused(filled, table):
    _refused(f"UPDATE {table} SET position = position + 100")  # noqa: S608  # nosec B608  # fixed table names


@pytest.mark.parametrize("table", TABLES)
def test_delete_is_refused(filled, table):
    _refused(f"DELETE FROM {table}")  # noqa: S608  # nosec B608  # fixed table names


@pytest.mark.parametrize("table", TABLES)
def test_truncate_is_refused(filled, table):
    _refused(f"TRUNCATE {table}")


@pytest.mark.parametrize("table", TABLES)
def test_truncate_is_refused_even_when_the_table_is_empty(table):
    _refused(f"TRUNCATE {table} CASCADE")


def test_the_orm_is_refused_too(filled):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(position=1).update(actor_label="mallory")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditCheckpoint.objects.all().delete()
    event = AuditEvent.objects.get(position=2)
    event.data = {"n": "changed"}
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.save()
    assert AuditEvent.objects.count() == 4
    assert verify_chain().ok


def test_appending_still_works_and_the_head_stays_updatable(filled):
    event = record_event(actor=None, action="tests.thing.changed")
    assert AuditHead.objects.get(pk=1).position == event.position == 5
    assert verify_chain().ok


def _trigger_states() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid IN "
            "('audit_auditevent'::regclass, 'audit_auditcheckpoint'::regclass) AND NOT tgisinternal"
        )
        return dict(cursor.fetchall())


def test_all_four_triggers_are_installed_and_enabled():
    assert _trigger_states() == {
        "audit_auditevent_refuse_update_delete": "O",
        "audit_auditevent_refuse_truncate": "O",
        "audit_auditcheckpoint_refuse_update_delete": "O",
        "audit_auditcheckpoint_refuse_truncate": "O",
    }


def test_flush_outside_production_empties_the_tables_and_leaves_the_triggers_on(filled):
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    assert not AuditCheckpoint.objects.exists()
    assert set(_trigger_states().values()) == {"O"}
    _refused("TRUNCATE audit_auditevent")


def test_flush_is_refused_in_production(filled, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="append-only"):
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 4
