"""`flush` that knows the audit tables are append-only.

The audit triggers refuse TRUNCATE (PostgreSQL) and DELETE (both databases), which is what
`flush` runs (and what the test runner runs after every transactional test). Outside production
this command lifts the triggers for the length of its own transaction and puts them back before
it commits; in production it refuses, because wiping the audit trail is exactly what the triggers
forbid.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.flush import Command as DjangoFlushCommand
from django.db import connections, transaction

TRUNCATE_TRIGGERS = (
    ("audit_auditevent", "audit_auditevent_refuse_truncate"),
    ("audit_auditcheckpoint", "audit_auditcheckpoint_refuse_truncate"),
)
# SQLite cannot switch a trigger off: it is dropped and created again from its stored SQL.
SQLITE_TRIGGER_PREFIXES = ("audit_auditevent_refuse_", "audit_auditcheckpoint_refuse_")


class Command(DjangoFlushCommand):
    def handle(self, **options: Any) -> None:
        database = options["database"]
        connection = connections[database]
        if connection.vendor == "sqlite":
            return self._handle_sqlite(connection, options)
        if connection.vendor != "postgresql":
            return super().handle(**options)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE tgname = ANY(%s)",
                [[name for _table, name in TRUNCATE_TRIGGERS]],
            )
            present = [tuple(row) for row in cursor.fetchall()]
        if not present:
            return super().handle(**options)
        self._refuse_in_production()
        with transaction.atomic(using=database):
            with connection.cursor() as cursor:
                for table, trigger in present:
                    cursor.execute(f'ALTER TABLE {table} DISABLE TRIGGER "{trigger}"')
            super().handle(**options)
            with connection.cursor() as cursor:
                for table, trigger in present:
                    cursor.execute(f'ALTER TABLE {table} ENABLE TRIGGER "{trigger}"')
        return None

    def _refuse_in_production(self) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("The audit trail is append-only: flush is refused in production.")

    def _handle_sqlite(self, connection: Any, options: dict[str, Any]) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            present = [(name, sql) for name, sql in cursor.fetchall() if name.startswith(SQLITE_TRIGGER_PREFIXES)]
        if not present:
            return super().handle(**options)
        self._refuse_in_production()
        with transaction.atomic(using=options["database"]):
            with connection.cursor() as cursor:
                for name, _sql in present:
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
            super().handle(**options)
            with connection.cursor() as cursor:
                for _name, sql in present:
                    cursor.execute(sql)
        return None
