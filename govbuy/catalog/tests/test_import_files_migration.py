"""0004 on a database from before: the file of a queued import moves from its column into the
storage API under its hash, and moving back restores the same bytes."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from govbuy.catalog.models import ImportJob
from govbuy.core.storage import read_verified

BEFORE = [("catalog", "0003_negative_list_more_terms")]
DATA = "code,level,parent_code,name_zh\nA01,1,,养老服务\n".encode()


@pytest.mark.django_db(transaction=True)
def test_import_files_move_from_the_column_into_storage_and_back():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("catalog")
    digest = hashlib.sha256(DATA).hexdigest()
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        region = old.get_model("organizations", "Region").objects.create(code="990000", name_zh="测试市", level="city")
        pk = (
            old.get_model("catalog", "ImportJob")
            .objects.create(
                region=region, file_name="x.csv", file_kind="csv", file_sha256=digest, content=DATA, total_rows=1
            )
            .pk
        )
        executor.loader.build_graph()
        executor.migrate(latest)
        job = ImportJob.objects.get(pk=pk)
        assert job.file_path == f"imports/catalog/{digest[:2]}/{digest[:32]}.csv"
        assert read_verified(job.file_path, job.file_sha256) == DATA
        executor.loader.build_graph()
        executor.migrate(BEFORE)
        back = executor.loader.project_state(BEFORE).apps.get_model("catalog", "ImportJob").objects.get(pk=pk)
        assert bytes(back.content) == DATA
    finally:
        executor.loader.build_graph()
        executor.migrate(latest)
