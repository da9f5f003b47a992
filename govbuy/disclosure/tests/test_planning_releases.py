"""The demo's published annual plans become OCDS planning releases that validate, and each
project's record compiles (the plan is the start of the contracting process)."""

import pytest
from django.core.management import call_command

from govbuy.disclosure import jsonutil, schema
from govbuy.disclosure.models import Release


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def test_published_plans_write_valid_planning_releases(demo, client):
    releases = list(Release.objects.filter(object_type="planning.project").order_by("seq"))
    assert releases, "the demo publishes an annual plan"
    stages = {r.stage for r in releases}
    assert "planning" in stages
    for row in releases:
        document = jsonutil.loads(row.document)
        assert schema.errors("release", document) == [], row.release_id
        assert document["tender"]["status"] in {"planned", "withdrawn"}
        assert document["planning"]["budget"]["amount"]["currency"] == "CNY"
        assert document["tender"]["items"][0]["classification"]["scheme"] == "x_govbuy_catalog"
    record = client.get(f"/ocds/records/{releases[0].ocid}")
    assert record.status_code == 200
    package = record.json()
    assert schema.errors("record-package", package) == []
    assert package["records"][0]["compiledRelease"]["planning"]["budget"]["amount"]["currency"] == "CNY"
