"""Demo catalog: the real Lanzhou 2014 catalog (../shared/data/) as the city's published version,
and one district version with a few local additions, filed with the city finance bureau.

Built through the services (validated and audited like real data); loading twice changes nothing.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

from django.conf import settings

from govbuy.catalog.models import CatalogVersion
from govbuy.catalog.services import draft_items, filings, imports, versions
from govbuy.core import timeline
from govbuy.organizations.models import Region

CATALOG_FILE = "data/catalog-lanzhou-2014.csv"
CITY_EFFECTIVE = datetime.date(2014, 11, 7)  # the day the Lanzhou catalog was published
DISTRICT_CODE = "110101"  # Dongcheng
DISTRICT_EFFECTIVE = datetime.date(2015, 1, 1)
LOCAL_ADDITIONS = [
    # code, parent, name_zh, name_en, priority
    ("A05-DC01", "A05", "社区养老驿站运营服务", "Community elderly-care station operation", True),
    ("A05-DC02", "A05", "老年人助餐服务", "Meal assistance for older people", True),
    ("B02-DC01", "B02", "胡同院落环境治理协调服务", "Hutong courtyard environment coordination services", False),
]


def catalog_path() -> Path:
    return Path(settings.SHARED_DIR) / CATALOG_FILE


def load() -> int:
    """Create what is missing; return how many versions were created. Without the reference file
    the catalog is skipped, and the reason is printed."""
    return timeline.load_alone(stories)


def stories() -> list[timeline.Story]:
    """The city publishes its catalog in the story's first days; Dongcheng adds its local items a
    week later and files its version with the city finance bureau (govbuy.core.timeline)."""
    return [_catalogs()]


def _catalogs() -> timeline.Story:
    yield timeline.day(2, hour=9, minute=30)
    path = catalog_path()
    if not path.is_file():
        message = f"Catalog demo data skipped: {path} is missing (set GOVBUY_SHARED_DIR to the shared folder)."
        sys.stderr.write(message + "\n")
        return 0
    city = Region.objects.filter(level=Region.Level.CITY).first()
    if city is None:
        return 0
    created = 0
    if not CatalogVersion.objects.filter(region=city).exists():
        outcome = imports.import_spreadsheet(
            actor=None,
            region=city,
            file_name=path.name,
            data=path.read_bytes(),
            title_zh=f"{city.name_zh}政府购买服务指导性目录（2014年版）",
            title_en=f"{city.name_en or city.name_zh} guidance catalog of government-purchased services (2014)",
        )
        assert outcome.catalog is not None
        draft = outcome.catalog
        yield timeline.day(3, hour=14)
        # The Lanzhou catalog names 基本公共服务 as the livelihood core (民生): mark its first
        # sub-categories that serve people directly as priority.
        for code in ("A01", "A02", "A03", "A05", "A08", "A14"):
            item = draft.items.get(code=code)
            draft.refresh_from_db()
            draft_items.update_item(actor=None, item=item, version=draft.version, is_priority=True)
        draft.refresh_from_db()
        versions.publish_version(actor=None, catalog=draft, version=draft.version, effective_from=CITY_EFFECTIVE)
        created += 1
    yield timeline.day(9)
    district = Region.objects.filter(code=DISTRICT_CODE).first()
    if district is not None and not CatalogVersion.objects.filter(region=district).exists():
        draft = versions.create_draft(
            actor=None,
            region=district,
            title_zh=f"{district.name_zh}政府购买服务指导性目录（2015年版）",
            title_en=f"{district.name_en or district.name_zh} guidance catalog of government-purchased services (2015)",
            notes="在市级目录基础上，按区级事权增加社区养老和胡同治理事项。",
        )
        for code, parent, name_zh, name_en, priority in LOCAL_ADDITIONS:
            draft.refresh_from_db()
            draft_items.add_item(
                actor=None,
                catalog=draft,
                version=draft.version,
                code=code,
                parent_code=parent,
                name_zh=name_zh,
                name_en=name_en,
                is_priority=priority,
            )
        yield timeline.day(11, hour=15)
        draft.refresh_from_db()
        published = versions.publish_version(
            actor=None, catalog=draft, version=draft.version, effective_from=DISTRICT_EFFECTIVE
        )
        yield timeline.day(12, hour=9, minute=30)
        filings.submit_filing(actor=None, catalog=published, note="按京政办发〔2014〕34号要求报市财政局备案。")
        created += 1
    return created
