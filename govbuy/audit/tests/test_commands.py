from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from govbuy.audit.models import AuditCheckpoint, AuditEvent, AuditHead, VerifyRun
from govbuy.audit.tests.conftest import append, tampering

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_verify_audit_prints_ok_with_counts_and_records_the_run():
    append(5)
    call_command("audit_checkpoint", stdout=StringIO())
    code, out, _err = _run()
    assert code == 0
    assert "OK: 6 events verified" in out
    assert "checkpoint at position 5 matches" in out
    run = VerifyRun.objects.get()
    assert (run.status, run.checked, run.requested_by_label) == (VerifyRun.Status.INTACT, 6, "system")
    assert AuditEvent.objects.filter(action="audit.verify.completed", actor_id=None).count() == 1


def test_verify_audit_reports_the_first_broken_position_and_exits_1():
    append(5)
    with tampering():
        AuditEvent.objects.filter(position=3).delete()
    code, out, err = _run()
    assert code == 1
    assert out == ""
    assert "BROKEN at position 3 (position_gap)" in err
    assert "2 events verified before it" in err


def test_read_only_writes_nothing():
    append(2)
    code, out, _err = _run("--read-only")
    assert (code, out.strip()) == (0, "OK: 2 events verified, no checkpoint yet.")
    assert not VerifyRun.objects.exists()
    assert AuditEvent.objects.count() == 2


def test_verify_audit_checks_a_published_head_hash():
    append(3)
    good = AuditHead.objects.get().hash
    assert _run("--read-only", "--position", "3", "--hash", good)[0] == 0
    code, _out, err = _run("--read-only", "--position", "3", "--hash", "a" * 64)
    assert code == 1
    assert "checkpoint_mismatch" in err
    with pytest.raises(CommandError):
        call_command("verify_audit", "--position", "3", "--hash", "not-hex")


def test_audit_checkpoint_signs_the_head():
    append(2)
    out = StringIO()
    call_command("audit_checkpoint", "--reason", "daily", stdout=out)
    checkpoint = AuditCheckpoint.objects.get()
    assert checkpoint.position == 2
    assert f"position 2, head {checkpoint.head_hash}" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("audit_checkpoint", "--reason", " ", stdout=StringIO())
