"""Background work for the catalog: thin wrappers that take primary keys only."""

from __future__ import annotations

from typing import Any

from django.tasks import task

from govbuy.catalog.services.imports import run_import_job


@task()
def run_catalog_import(job_id: int) -> dict[str, Any]:
    job = run_import_job(job_id=job_id)
    return {"job": job_id, "status": job.status if job is not None else "missing"}
