"""Background work for the audit trail: thin wrappers that take primary keys only."""

from __future__ import annotations

from typing import Any

from django.tasks import task

from govbuy.audit.services import execute_verify_run


@task()
def verify_audit_chain(run_id: int) -> dict[str, Any]:
    run = execute_verify_run(run_id=run_id)
    return {"run": run.pk, "status": run.status, "checked": run.checked}
