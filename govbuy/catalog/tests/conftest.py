from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings

from govbuy.audit.models import AuditEvent
from govbuy.catalog import demo
from govbuy.catalog.models import CatalogVersion
from govbuy.catalog.services import draft_items, versions

HEADER = ["code", "level", "parent_code", "name_zh", "name_en", "notes"]


def csv_bytes(rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def reference_csv() -> bytes:
    return (Path(settings.SHARED_DIR) / demo.CATALOG_FILE).read_bytes()


@pytest.fixture
def events():
    def _events(action: str):
        return list(AuditEvent.objects.filter(action=action).order_by("position"))

    return _events


@pytest.fixture
def demo_catalog(world):
    """The real Lanzhou catalog published for the city (v1) and Dongcheng's filed version."""
    demo.load()
    return {
        "city": CatalogVersion.objects.get(region=world.city, number=1),
        "district": CatalogVersion.objects.get(region=world.district_a, number=1),
    }


def small_draft(region, actor=None, title="测试目录"):
    draft = versions.create_draft(actor=actor, region=region, title_zh=title, empty=True)
    for code, parent, name in [("A", "", "基本公共服务"), ("A01", "A", "养老服务"), ("A0101", "A01", "居家养老")]:
        draft.refresh_from_db()
        draft_items.add_item(
            actor=actor, catalog=draft, version=draft.version, code=code, parent_code=parent, name_zh=name
        )
    draft.refresh_from_db()
    return draft
