"""The keyed chain (HMAC under GOVBUY_AUDIT_CHAIN_KEY), chains written before it was keyed, the copy
of the checkpoints outside the database, and the triggers on both databases."""

from __future__ import annotations

import importlib
import json

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction

from govbuy.audit.chain import KEYED_SCHEME, LEGACY_BOUNDARY_REASON, PLAIN_SCHEME
from govbuy.audit.checks import check_audit_settings
from govbuy.audit.models import AuditCheckpoint, AuditEvent, AuditHead
from govbuy.audit.services import create_checkpoint
from govbuy.audit.tests.conftest import append, rehash_from, tampering
from govbuy.audit.verify import Reason, verify_chain
from govbuy.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db

keying = importlib.import_module("govbuy.audit.migrations.0004_keyed_chain_and_seals")


def test_new_events_are_keyed_and_their_hash_is_not_plain_sha256():
    event = append(1)[0]
    assert event.scheme == KEYED_SCHEME
    with tampering():
        AuditEvent.objects.filter(pk=event.pk).update(scheme=PLAIN_SCHEME)
    # The same content hashed without the key is another value.
    assert verify_chain().reason == Reason.UNKEYED


def _legacy_chain(count: int) -> None:
    """A chain as it was before keying: plain sha256 throughout; then the keying migration."""
    append(count)
    rehash_from(1, scheme=PLAIN_SCHEME)
    keying.mark_legacy_boundary(apps, None)


def test_a_chain_written_before_keying_still_verifies_and_grows_keyed():
    _legacy_chain(4)
    marker = AuditCheckpoint.objects.get(reason=LEGACY_BOUNDARY_REASON)
    assert marker.position == 4
    append(3)
    assert list(AuditEvent.objects.order_by("position").values_list("scheme", flat=True)) == [1, 1, 1, 1, 2, 2, 2]
    result = verify_chain()
    assert (result.ok, result.checked) == (True, 7)


def test_after_keying_a_tail_rewritten_with_plain_hashes_is_found():
    _legacy_chain(4)
    append(4)
    with tampering():
        AuditEvent.objects.filter(position=6).update(actor_label="mallory")
    rehash_from(6, scheme=PLAIN_SCHEME)
    result = verify_chain()
    assert (result.ok, result.first_broken_position, result.reason) == (False, 6, Reason.UNKEYED)


def test_deleting_the_legacy_boundary_makes_every_plain_hash_suspect():
    _legacy_chain(3)
    append(1)
    with tampering():
        AuditCheckpoint.objects.filter(reason=LEGACY_BOUNDARY_REASON).delete()
    assert (verify_chain().first_broken_position, verify_chain().reason) == (1, Reason.UNKEYED)


def test_nobody_takes_a_checkpoint_with_the_reserved_reason():
    append(1)
    with pytest.raises(ValidationFailed):
        create_checkpoint(actor=None, reason=LEGACY_BOUNDARY_REASON)


def test_the_keying_migration_marks_nothing_on_an_empty_chain():
    keying.mark_legacy_boundary(apps, None)
    assert not AuditCheckpoint.objects.exists()


# --- The copy outside the database --------------------------------------------------------------


@pytest.fixture
def checkpoint_file(settings, tmp_path):
    path = tmp_path / "published" / "checkpoints.jsonl"
    settings.GOVBUY_AUDIT_CHECKPOINT_FILE = str(path)
    return path


def _commit_checkpoint(django_capture_on_commit_callbacks, reason: str = "daily") -> AuditCheckpoint:
    with django_capture_on_commit_callbacks(execute=True):
        return create_checkpoint(actor=None, reason=reason)


def test_each_checkpoint_is_copied_outside_once_committed(checkpoint_file, django_capture_on_commit_callbacks):
    append(2)
    first = _commit_checkpoint(django_capture_on_commit_callbacks)
    append(1)
    second = _commit_checkpoint(django_capture_on_commit_callbacks, "opening T-1")
    lines = [json.loads(line) for line in checkpoint_file.read_text().splitlines()]
    assert [(row["position"], row["head_hash"], row["reason"]) for row in lines] == [
        (first.position, first.head_hash, "daily"),
        (second.position, second.head_hash, "opening T-1"),
    ]
    assert verify_chain().ok


def test_deleting_checkpoint_rows_and_cutting_the_tail_is_found_from_the_copy(
    checkpoint_file, django_capture_on_commit_callbacks
):
    append(5)
    _commit_checkpoint(django_capture_on_commit_callbacks)  # position 5; its event is 6
    append(3)
    keep = AuditEvent.objects.get(position=4)
    with tampering():
        AuditCheckpoint.objects.all().delete()
        AuditEvent.objects.filter(position__gt=4).delete()
    AuditHead.objects.filter(pk=1).update(position=4, hash=keep.hash)
    result = verify_chain()
    assert (result.ok, result.first_broken_position, result.reason) == (False, 5, Reason.TAIL_CUT)


def test_a_copied_checkpoint_that_differs_from_the_chain_is_found(checkpoint_file, django_capture_on_commit_callbacks):
    append(3)
    _commit_checkpoint(django_capture_on_commit_callbacks)
    with tampering():
        AuditCheckpoint.objects.all().delete()
    with checkpoint_file.open("a") as handle:
        handle.write("not json\n")
        handle.write(json.dumps({"position": 2, "head_hash": "a" * 64}) + "\n")
    result = verify_chain()
    assert (result.first_broken_position, result.reason) == (2, Reason.CHECKPOINT_MISMATCH)


def test_verify_audit_command_reads_the_copy_without_being_asked(checkpoint_file, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    append(4)
    _commit_checkpoint(django_capture_on_commit_callbacks)
    with tampering():
        AuditCheckpoint.objects.all().delete()
        AuditEvent.objects.filter(position__gt=2).delete()
    AuditHead.objects.filter(pk=1).update(position=2, hash=AuditEvent.objects.get(position=2).hash)
    with pytest.raises(SystemExit) as exited:
        call_command("verify_audit", "--read-only")
    assert exited.value.code == 1


# --- Triggers on both databases -----------------------------------------------------------------


@pytest.mark.parametrize("table", ["audit_auditevent", "audit_auditcheckpoint"])
@pytest.mark.parametrize("statement", ["UPDATE {table} SET position = position + 100", "DELETE FROM {table}"])
def test_events_and_checkpoints_refuse_update_and_delete(table, statement):
    append(2)
    create_checkpoint(actor=None, reason="daily")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement.format(table=table))
    assert AuditCheckpoint.objects.count() == 1
    assert AuditEvent.objects.count() == 3


def test_the_flush_command_still_empties_the_audit_tables_outside_production(transactional_db):
    from django.core.management import call_command

    append(2)
    create_checkpoint(actor=None, reason="daily")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    assert not AuditCheckpoint.objects.exists()
    append(1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")


# --- Production settings ------------------------------------------------------------------------


def test_production_requires_the_chain_key_and_the_outside_copy(settings):
    settings.PRODUCTION = True
    settings.GOVBUY_AUDIT_CHAIN_KEY = ""
    settings.GOVBUY_AUDIT_CHECKPOINT_FILE = ""
    assert {e.id for e in check_audit_settings()} == {"audit.E001", "audit.E002"}
    settings.GOVBUY_AUDIT_CHAIN_KEY = settings.SECRET_KEY
    assert "audit.E001" in {e.id for e in check_audit_settings()}
    settings.GOVBUY_AUDIT_CHAIN_KEY = "k" * 48
    settings.GOVBUY_AUDIT_CHECKPOINT_FILE = "/srv/audit-copy/checkpoints.jsonl"
    assert check_audit_settings() == []
