"""Fixtures for the open-data tests: a warm jieba, and a test-only stage builder.

No stage app (planning, procurement) exists yet, so the release machinery is proven with a
builder that publishes releases about organisations: the organisation is the buyer, and the test
decides what the tender or award says through `stage_content`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from govbuy.core.publication import Announcement
from govbuy.disclosure import ocds
from govbuy.disclosure.registry import register_release_builder, unregister_release_builder

OBJ_TYPE = "organizations.organisation"
STAGES = ("planning", "tender", "tenderUpdate", "award")
BASE_TIME = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)


@pytest.fixture(scope="session", autouse=True)
def _warm_jieba():
    # jieba loads its dictionary once per process (~0.8 s); pay it once, not in a timed test.
    from govbuy.disclosure.text import document_tokens

    document_tokens("预热")


class StageContent:
    """What the next release of an organisation says, per stage; tests change it between events."""

    def __init__(self) -> None:
        self.tender_title = "居家养老服务"
        self.tender_value = Decimal("1234567.89")
        self.supplier: Any = None
        self.award_value = Decimal("1200000.10")
        self.items = [("1", "A0101", "居家养老服务")]
        self.cost_lines = [("c1", "上门助餐", Decimal("600000.00")), ("c2", "助浴服务", Decimal("634567.89"))]
        self.description: str | None = "为辖区老年人提供居家养老服务"

    def build(self, announcement: Announcement) -> dict[str, Any]:
        from govbuy.organizations.models import Organisation

        org = Organisation.objects.select_related("region").get(pk=announcement.obj_id)
        stage = announcement.stage
        release: dict[str, Any] = {
            "ocid": ocds.ocid_for(f"test-{org.pk}"),
            "date": ocds.format_date(announcement.occurred_at),
            "tag": [stage],
            "initiationType": "tender",
            "language": "zh",
            "parties": [ocds.party(org, ["buyer", "procuringEntity"])],
            "buyer": ocds.reference(org),
        }
        if stage == "planning":
            release["planning"] = {
                "rationale": "政府购买服务年度计划",
                "budget": {"amount": ocds.value(self.tender_value), "description": "2026年度预算"},
                "conversionTransfers": [
                    {"id": "t1", "fiscalYear": 2026, "value": ocds.value(Decimal("300000.00"))},
                ],
            }
        if stage in ("tender", "tenderUpdate", "award"):
            release["tender"] = {
                "id": f"T-{org.pk}",
                "title": self.tender_title,
                "description": self.description,
                "status": "active" if stage != "award" else "complete",
                "procurementMethod": "open",
                "procuringEntity": ocds.reference(org),
                "value": ocds.value(self.tender_value),
                "items": [
                    {
                        "id": item_id,
                        "description": name,
                        "classification": ocds.catalog_classification(code=code, description=name),
                        "catalogItem": {"id": code, "name": name, "catalogVersion": "1", "region": "110000"},
                    }
                    for item_id, code, name in self.items
                ],
                "costLines": [
                    {"id": line_id, "description": text, "costCategory": "personnel", "value": ocds.value(amount)}
                    for line_id, text, amount in self.cost_lines
                ],
            }
        if stage == "award" and self.supplier is not None:
            release["parties"].append(ocds.party(self.supplier, ["supplier", "tenderer"]))
            release["awards"] = [
                {
                    "id": f"A-{org.pk}",
                    "status": "active",
                    "value": ocds.value(self.award_value),
                    "suppliers": [ocds.reference(self.supplier)],
                }
            ]
        return release


@pytest.fixture
def stage_content():
    content = StageContent()
    for stage in STAGES:
        register_release_builder(OBJ_TYPE, stage, content.build)
    yield content
    for stage in STAGES:
        unregister_release_builder(OBJ_TYPE, stage)


@pytest.fixture
def moment():
    """Distinct, increasing event times (release dates have whole seconds)."""
    counter = iter(range(10**6))

    def next_moment() -> datetime:
        return BASE_TIME + timedelta(minutes=next(counter))

    return next_moment
