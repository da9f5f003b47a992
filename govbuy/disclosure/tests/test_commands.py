"""manage.py ocds_export DIR and ocds_compile FILE, read back and validated; exact JSON numbers."""

from __future__ import annotations

import gzip
import io
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from ocdskit.combine import merge

from govbuy.core import publication
from govbuy.disclosure import jsonutil, schema
from govbuy.disclosure.models import Release

from .conftest import OBJ_TYPE


@pytest.fixture
def two_years(world, stage_content):
    moments = [datetime(2025, 12, 31, 15, 0, tzinfo=UTC), datetime(2026, 1, 2, 1, 0, tzinfo=UTC)]
    for index, org in enumerate([world.purchaser_a_org, world.purchaser_b_org, world.city_finance_org]):
        for stage in ("planning", "tender"):
            with transaction.atomic():
                publication.announce(stage, obj_type=OBJ_TYPE, obj_id=org.pk, occurred_at=moments[index % 2])
            stage_content.tender_title += "·"


def test_export_writes_json_lines_and_one_valid_package_per_year(two_years, tmp_path):
    out = io.StringIO()
    call_command("ocds_export", str(tmp_path / "bulk"), "--chunk-size", "2", stdout=out)
    assert "6 releases" in out.getvalue()
    files = sorted(p.name for p in (tmp_path / "bulk").iterdir())
    assert files == ["release-package-2025.json.gz", "release-package-2026.json.gz", "releases.jsonl.gz"]
    with gzip.open(tmp_path / "bulk" / "releases.jsonl.gz", "rt", encoding="utf-8") as lines:
        documents = [line.rstrip("\n") for line in lines]
    assert documents == list(Release.objects.order_by("seq").values_list("document", flat=True))
    for document in documents:
        assert schema.errors("release", jsonutil.loads(document)) == []
    years = {}
    for year in ("2025", "2026"):
        with gzip.open(tmp_path / "bulk" / f"release-package-{year}.json.gz", "rt", encoding="utf-8") as handle:
            package = jsonutil.loads(handle.read())
        assert schema.errors("release-package", package) == []
        years[year] = [release["date"][:4] for release in package["releases"]]
    assert years == {"2025": ["2025"] * 4, "2026": ["2026"] * 2}


@pytest.mark.parametrize("block_bytes", [1, 300])
def test_export_through_many_small_blocks_writes_the_same_files(two_years, tmp_path, monkeypatch, block_bytes):
    """The compressing threads receive many blocks (not one at close): the files are the same."""
    from govbuy.disclosure.management.commands import ocds_export

    call_command("ocds_export", str(tmp_path / "one"), stdout=io.StringIO())
    monkeypatch.setattr(ocds_export, "BLOCK_BYTES", block_bytes)
    call_command("ocds_export", str(tmp_path / "many"), stdout=io.StringIO())
    for name in ("releases.jsonl.gz", "release-package-2025.json.gz", "release-package-2026.json.gz"):
        with gzip.open(tmp_path / "one" / name) as one, gzip.open(tmp_path / "many" / name) as many:
            assert one.read() == many.read(), name


def test_an_error_while_compressing_fails_the_export(two_years, tmp_path):
    """A stream that cannot be written (here: its folder is a file) fails the command loudly."""
    blocked = tmp_path / "bulk"
    blocked.mkdir()
    (blocked / "releases.jsonl.gz.partial").mkdir()  # the stream's path is taken by a folder
    with pytest.raises(IsADirectoryError):
        call_command("ocds_export", str(blocked), stdout=io.StringIO())
    assert not (blocked / "releases.jsonl.gz").exists()


def test_compile_command_equals_ocdskit_for_our_package(two_years, client, tmp_path):
    package = jsonutil.loads(client.get("/ocds/releases").content)
    source = tmp_path / "package.json"
    source.write_text(jsonutil.dumps(package), encoding="utf-8")
    target = tmp_path / "records.json"
    call_command("ocds_compile", str(source), "--output", str(target))
    records = jsonutil.loads(target.read_text(encoding="utf-8"))
    assert schema.errors("record-package", records) == []
    (reference,) = merge(
        [json.loads(source.read_text(encoding="utf-8"))],
        schema=str(schema.shared_ocds_dir() / "release-schema.json"),
        return_package=True,
        return_versioned_release=True,
    )
    floats = json.loads(json.dumps(records["records"], default=float))
    assert [r["ocid"] for r in floats] == [r["ocid"] for r in reference["records"]]
    for mine, theirs in zip(floats, reference["records"], strict=True):
        assert mine["compiledRelease"] == theirs["compiledRelease"]
        assert mine["versionedRelease"] == theirs["versionedRelease"]
    # Numbers stay exact on the way through (no float anywhere).
    assert '"amount":1234567.89' in target.read_text(encoding="utf-8")


def test_compile_command_explains_bad_files(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not JSON"):
        call_command("ocds_compile", str(bad))
    bad.write_text('{"records": []}', encoding="utf-8")
    with pytest.raises(CommandError, match="not a release package"):
        call_command("ocds_compile", str(bad))
    with pytest.raises(CommandError, match="cannot read"):
        call_command("ocds_compile", str(tmp_path / "missing.json"))


def test_canonical_json_keeps_decimals_exact_and_refuses_floats():
    value = {"b": [Decimal("0.10"), Decimal("12345678901234567890.01"), 3, None, True], "a": '养老"\n'}
    text = jsonutil.dumps(value)
    assert text == '{"a":"养老\\"\\n","b":[0.10,12345678901234567890.01,3,null,true]}'
    assert jsonutil.loads(text) == value
    with pytest.raises(TypeError):
        jsonutil.dumps({"amount": 0.1})
    with pytest.raises(ValueError):
        jsonutil.dumps(Decimal("NaN"))


def test_a_record_package_compiled_from_another_publishers_file_is_in_our_version(tmp_path):
    """Their release package may declare 1.0.1 (or nothing); the record package is ours, in 1.1,
    and passes the record-package schema."""
    release = {
        "ocid": "ocds-abcdef-000001",
        "id": "ocds-abcdef-000001-01",
        "date": "2020-01-01T00:00:00Z",
        "tag": ["tender"],
        "initiationType": "tender",
        "tender": {"id": "t1", "title": "别人的招标"},
    }
    for declared in ("1.0.1", None):
        package = {
            "uri": "https://example.org/releases.json",
            "publishedDate": "2020-01-02T00:00:00Z",
            "publisher": {"name": "另一个发布者"},
            "releases": [release],
        }
        if declared:
            package["version"] = declared
        source, target = tmp_path / "theirs.json", tmp_path / "records.json"
        source.write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
        call_command("ocds_compile", str(source), "--output", str(target))
        records = jsonutil.loads(target.read_text(encoding="utf-8"))
        assert records["version"] == "1.1"
        assert schema.errors("record-package", records) == []
