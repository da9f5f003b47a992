from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from govbuy.audit.describe import describe, registered_codes
from govbuy.audit.models import AuditCheckpoint, AuditEvent, VerifyRun
from govbuy.audit.services import (
    VERIFY_STALE_AFTER,
    create_checkpoint,
    execute_verify_run,
    request_verify_run,
    start_verify_run,
)
from govbuy.audit.tests.conftest import append, tampering
from govbuy.audit.verify import checkpoint_signature_valid, verify_chain
from govbuy.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def test_a_checkpoint_signs_the_head_and_is_itself_audited(world, caplog):
    append(3)
    with caplog.at_level(logging.INFO, logger="govbuy.security"):
        checkpoint = create_checkpoint(actor=world.auditor, reason="award")
    assert (checkpoint.position, checkpoint.head_hash) == (3, AuditEvent.objects.get(position=3).hash)
    assert checkpoint_signature_valid(checkpoint)
    event = AuditEvent.objects.get(position=4)
    assert event.action == "audit.checkpoint.created"
    assert event.object_type == "audit.auditcheckpoint"
    assert event.object_id == str(checkpoint.pk)
    assert event.actor_id == world.auditor.pk
    assert event.data == {"position": 3, "head_hash": checkpoint.head_hash, "reason": "award"}
    # The security line is written at commit; the test transaction never commits, so it is
    # asserted through the captured on-commit callbacks in the next test.


def test_a_checkpoint_writes_a_security_log_line_at_commit(world, caplog, django_capture_on_commit_callbacks):
    append(1)
    with caplog.at_level(logging.INFO, logger="govbuy.security"), django_capture_on_commit_callbacks(execute=True):
        checkpoint = create_checkpoint(actor=world.auditor, reason="daily")
    lines = [r.getMessage() for r in caplog.records if r.name == "govbuy.security"]
    assert any(
        "audit.checkpoint.created" in line and "actor=auditor" in line and f"checkpoint={checkpoint.pk}" in line
        for line in lines
    ), lines
    assert not any(checkpoint.signature in line for line in lines)


@pytest.mark.parametrize("reason", ["", "   ", "x" * 101])
def test_a_checkpoint_needs_a_short_reason(reason):
    with pytest.raises(ValidationFailed):
        create_checkpoint(actor=None, reason=reason)
    assert not AuditCheckpoint.objects.exists()


def test_a_checkpoint_of_an_empty_chain_names_the_genesis_hash_and_verifies():
    checkpoint = create_checkpoint(actor=None, reason="daily")
    assert (checkpoint.position, checkpoint.head_hash) == (0, "0" * 64)
    assert verify_chain().ok


def test_verify_run_runs_in_the_background_and_records_its_result(world, caplog, django_capture_on_commit_callbacks):
    append(4)
    with caplog.at_level(logging.INFO, logger="govbuy.security"), django_capture_on_commit_callbacks(execute=True):
        run = request_verify_run(actor=world.supervisor)
    run.refresh_from_db()
    assert run.status == VerifyRun.Status.INTACT
    assert (run.total, run.checked, run.percent) == (4, 4, 100)
    assert run.started_at
    assert run.finished_at
    event = AuditEvent.objects.get(action="audit.verify.completed")
    assert event.actor_id == world.supervisor.pk
    assert event.data["ok"] is True
    assert event.data["checked"] == 4
    lines = [r.getMessage() for r in caplog.records if r.name == "govbuy.security"]
    assert any("audit.verify.requested" in line and "actor=supervisor" in line for line in lines), lines
    assert any("audit.verify.completed" in line and "status=intact" in line for line in lines), lines


def test_a_broken_chain_gives_a_broken_run_and_a_warning(world, caplog):
    append(4)
    with tampering():
        AuditEvent.objects.filter(position=2).update(actor_label="mallory")
    run = start_verify_run(actor=world.auditor)
    with caplog.at_level(logging.INFO, logger="govbuy.security"):
        run = execute_verify_run(run_id=run.pk)
    assert (run.status, run.first_broken_position, run.reason) == (VerifyRun.Status.BROKEN, 2, "hash_mismatch")
    warnings = [r for r in caplog.records if r.name == "govbuy.security" and r.levelno == logging.WARNING]
    assert warnings
    assert "first_broken=2" in warnings[0].getMessage()
    sentence = describe(AuditEvent.objects.get(action="audit.verify.completed"))
    assert "2" in sentence
    assert "audit.verify" not in sentence


def test_asking_again_while_a_run_is_queued_returns_the_same_run(world):
    first = request_verify_run(actor=world.auditor)  # on_commit never fires here: it stays queued
    again = request_verify_run(actor=world.city_finance)
    assert again.pk == first.pk
    assert VerifyRun.objects.count() == 1


def test_a_stale_run_is_abandoned_and_a_new_one_starts(world):
    first = request_verify_run(actor=world.auditor)
    VerifyRun.objects.filter(pk=first.pk).update(created_at=timezone.now() - VERIFY_STALE_AFTER - timedelta(seconds=1))
    second = request_verify_run(actor=world.auditor)
    assert second.pk != first.pk
    first.refresh_from_db()
    assert (first.status, first.reason) == (VerifyRun.Status.FAILED, "abandoned")


def test_a_run_delivered_twice_runs_once():
    append(2)
    run = start_verify_run(actor=None)
    execute_verify_run(run_id=run.pk)
    execute_verify_run(run_id=run.pk)
    assert AuditEvent.objects.filter(action="audit.verify.completed").count() == 1


def test_a_run_that_is_fresh_and_running_elsewhere_is_left_alone():
    run = start_verify_run(actor=None)
    VerifyRun.objects.filter(pk=run.pk).update(status=VerifyRun.Status.RUNNING, heartbeat_at=timezone.now())
    assert execute_verify_run(run_id=run.pk).status == VerifyRun.Status.RUNNING
    assert not AuditEvent.objects.filter(action="audit.verify.completed").exists()


def test_the_audit_codes_have_sentences_in_the_default_language(world):
    assert {"audit.checkpoint.created", "audit.verify.completed"} <= registered_codes()
    append(1)
    create_checkpoint(actor=world.auditor, reason="daily")
    run = execute_verify_run(run_id=start_verify_run(actor=world.auditor).pk)
    sentences = {e.action: describe(e) for e in AuditEvent.objects.filter(action__startswith="audit.")}
    assert "auditor" in sentences["audit.checkpoint.created"]
    assert "1" in sentences["audit.checkpoint.created"]
    assert str(run.checked) in sentences["audit.verify.completed"]
    for sentence in sentences.values():
        assert "audit." not in sentence  # a real sentence, not the fallback "actor: code"
