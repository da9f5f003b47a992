"""manage.py generate_data at a tiny scale: it runs, its releases are what publish_release would
store (schema-valid, content-derived ids, canonical documents, dense feed), each last release
equals the real builder's on the generated rows, one seed always gives the same releases, and
the public pages work on the data."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command

from govbuy.core.publication import Announcement
from govbuy.demo import synthetic as syn
from govbuy.disclosure import jsonutil, ocds, schema
from govbuy.disclosure.builders.planning import build_project
from govbuy.disclosure.builders.procurement import build_award, build_tender
from govbuy.disclosure.models import FeedHead, Release
from govbuy.organizations.models import Region
from govbuy.planning.models import Project
from govbuy.procurement.models import ProcurementMethod, Tender

PROJECTS = 24
SEED = 7


@pytest.fixture
def generated(db):
    call_command("generate_data", "--projects", str(PROJECTS), "--seed", str(SEED), verbosity=0)
    return list(Release.objects.order_by("seq"))


def expected_stream(seed: int) -> list[tuple[str, str, int, syn.StoredRelease]]:
    """The releases the seed gives, computed without the database's help beyond reference data
    (in an empty test database every generated id starts at 1)."""
    regions = syn.regions_namespace(list(Region.objects.values_list("pk", "code", "name_zh")))
    methods = {
        m.code: syn.Method(m.pk, m.code, m.name_zh, m.min_suppliers, m.evaluation_method)
        for m in ProcurementMethod.objects.all()
    }
    world = syn.world_for(seed=seed, total=PROJECTS, regions=regions, methods=methods, organisation_pk=1)
    specs = syn.plan_projects(world, PROJECTS, {"project": 1, "tender": 1, "lot": 1, "bid": 1})
    return list(syn.release_stream(specs))


def test_releases_are_what_publish_release_stores(generated):
    assert 8 * PROJECTS <= len(generated) <= 12 * PROJECTS
    assert [r.seq for r in generated] == list(range(1, len(generated) + 1))
    assert FeedHead.objects.get(pk=1).last_seq == len(generated)
    dates = [r.date for r in generated]
    assert dates == sorted(dates), "feed order is date order"
    for row in generated:
        document = jsonutil.loads(row.document)
        assert schema.errors("release", document) == [], row.release_id
        body = {k: v for k, v in document.items() if k != "id"}
        assert row.release_id == ocds.release_id_for(row.ocid, ocds.content_digest(body))
        assert row.document == jsonutil.dumps(document)
        assert row.sha256 == hashlib.sha256(row.document.encode()).hexdigest()
        assert document["ocid"] == row.ocid
        assert document["tag"] == row.tags == [row.stage]
    stages = {r.stage for r in generated}
    assert {"planning", "planningUpdate", "tender", "tenderUpdate", "award"} <= stages


def test_each_last_release_equals_the_real_builder_on_the_rows(generated):
    last = {}
    for row in generated:
        kind = "plan" if row.stage.startswith("planning") else "tender"
        last[(kind, row.object_id)] = row
    assert {kind for kind, _pk in last} == {"plan", "tender"}
    for (kind, pk), row in last.items():
        stored = jsonutil.loads(row.document)
        announcement = Announcement(row.stage, row.object_type, pk, row.date)
        if kind == "plan":
            built = build_project(announcement)
        else:
            built = (build_award if row.stage == "award" else build_tender)(announcement)
        assert built is not None
        for key in ("id", "date", "tag"):
            stored.pop(key)
            built.pop(key, None)
        # publish_release stores the release without its empty fields.
        assert stored == jsonutil.loads(jsonutil.dumps(ocds.prune_empty(built))), (row.stage, row.ocid)
    assert Project.objects.count() == PROJECTS
    assert Tender.objects.filter(status="awarded").exists()
    assert Tender.objects.filter(status="failed").exists()


def test_one_seed_gives_the_same_releases(generated):
    stored = [(r.release_id, r.document) for r in generated]
    again = [(s.release_id, s.document) for _stage, _type, _pk, s in expected_stream(SEED)]
    assert stored == again
    other = [s.release_id for _stage, _type, _pk, s in expected_stream(SEED + 1)]
    assert set(other).isdisjoint(r for r, _d in stored)


def test_canonical_json_is_jsonutil_dumps():
    from decimal import Decimal

    sample = {"b": [Decimal("1.50"), {"z": None, "a": True}], "a": '引号"\\\n\u2028', "c": 3, "d": {}, "e": []}
    assert syn.canonical_json(sample) == jsonutil.dumps(sample)
    with pytest.raises(TypeError):
        syn.canonical_json({"x": Decimal("NaN")})


def test_the_public_pages_work_on_the_data(generated, client):
    assert client.get("/tenders/").status_code == 200
    tender = Tender.objects.filter(status="awarded").first()
    assert client.get(f"/tenders/{tender.pk}/").status_code == 200
    response = client.get("/search/", {"q": "养老"})
    assert response.status_code == 200
    response = client.get("/ocds/releases", {"page_size": "50"})
    assert response.status_code == 200
    package = jsonutil.loads(response.content)
    assert schema.errors("release-package", package) == []
    response = client.get(f"/ocds/records/{generated[0].ocid}")
    assert response.status_code == 200
    assert schema.errors("record-package", jsonutil.loads(response.content)) == []


def test_refuses_a_database_with_releases(generated):
    with pytest.raises(CommandError, match="without projects or releases"):
        call_command("generate_data", "--projects", "2", verbosity=0)


def test_refuses_production(db, settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="production"):
        call_command("generate_data", "--projects", "2", verbosity=0)


def test_dates_are_whole_seconds_in_utc(generated):
    assert all(r.date.microsecond == 0 and r.date.tzinfo is not None for r in generated)
    assert generated[0].date >= datetime(2022, 12, 1, tzinfo=UTC)
