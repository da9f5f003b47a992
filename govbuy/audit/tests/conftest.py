"""Helpers for the audit tests: filling the chain, and tampering with it the way an intruder with
database access would (on PostgreSQL as a superuser who switches the triggers off, on SQLite as
someone with the file who drops them)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from django.db import connection

from govbuy.audit.chain import GENESIS_HASH, HASHED_FIELDS, KEYED_SCHEME, event_hash
from govbuy.audit.models import AuditEvent, AuditHead
from govbuy.audit.services import record_event

requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="TRUNCATE and its trigger exist on PostgreSQL only"
)


@contextlib.contextmanager
def tampering() -> Iterator[None]:
    """Inside: UPDATE/DELETE on the audit tables work. On PostgreSQL this is a superuser
    setting `session_replication_role = replica`, which stops ordinary triggers firing; on
    SQLite the triggers are dropped and created again afterwards."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit_%'")
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                for _name, sql in triggers:
                    cursor.execute(sql)
        return
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")


def append(count: int, *, actor=None, organisation=None, action: str = "tests.thing.changed") -> list[AuditEvent]:
    return [
        record_event(
            actor=actor,
            action=action,
            object_type="tests.thing",
            object_id=str(i),
            organisation=organisation,
            changes={"title": (f"old {i}", f"new {i}")},
            data={"n": i},
        )
        for i in range(count)
    ]


def rehash_from(position: int, *, scheme: int = KEYED_SCHEME) -> None:
    """What a careful intruder does after editing a row: recompute every hash from there on and
    move the head, so that the chain is consistent again. With the chain key (`scheme` 2: an
    insider who also has the key) only a checkpoint can then tell; without it the intruder can
    only write plain sha256 (`scheme` 1) or a guess, and the verifier finds it at once."""
    events = list(AuditEvent.objects.filter(position__gte=position).order_by("position"))
    prev = AuditEvent.objects.get(position=position - 1).hash if position > 1 else GENESIS_HASH
    with tampering():
        for event in events:
            new_hash = event_hash(prev, {name: getattr(event, name) for name in HASHED_FIELDS}, scheme=scheme)
            AuditEvent.objects.filter(pk=event.pk).update(prev_hash=prev, hash=new_hash, scheme=scheme)
            prev = new_hash
    AuditHead.objects.filter(pk=1).update(hash=prev)
