"""Fixtures for performance: an approved project of purchaser A (planning's services), a
contract in delivery for provider A, and the elderly-care indicator template."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from govbuy.contracts.models import Contract
from govbuy.performance.services import templates
from tests.builders import advance

INDICATORS = [
    {
        "family": "output_quantity",
        "name": "上门服务人次",
        "weight": "30",
        "rule": "ratio",
        "unit": "人次",
        "target_source": "template",
        "target_value": "1200",
    },
    {"family": "output_quality", "name": "服务记录完整规范", "weight": "20", "rule": "graded"},
    {"family": "output_timeliness", "name": "按时提交月度报告", "weight": "10", "rule": "yes_no"},
    {
        "family": "output_cost",
        "name": "服务管理费用",
        "weight": "10",
        "rule": "ratio",
        "direction": "lower",
        "target_source": "cost_lines",
        "target_key": "management",
    },
    {"family": "benefit_social", "name": "老人居家安全事件下降", "weight": "10", "rule": "graded"},
    {
        "family": "satisfaction",
        "name": "服务对象满意度",
        "weight": "20",
        "rule": "ratio",
        "unit": "%",
        "target_source": "survey",
        "target_value": "90",
    },
]


@pytest.fixture
def template(world):
    return templates.create_template(
        actor=world.city_finance,
        category_code="A05",
        category_name="养老服务",
        effective_from=dt.date(2020, 1, 1),
        indicators=INDICATORS,
    )


def make_contract(world, project, *, value="180000.00", status="published", provider=None, region=None):
    now = timezone.now()
    return Contract.objects.create(
        reference=f"HT-{project.pk}-{Contract.objects.count() + 1}",
        title=project.title,
        basis="commission",
        commission_reason="试点委托",
        purchaser=project.purchaser,
        provider=provider or world.provider_a_org,
        region=region or project.region,
        project=project,
        award_notice_at=now,
        content="上门助老服务",
        quantity_quality="1200人次，合格率95%",
        settlement="按季度支付",
        rights_duties="见合同",
        liability="见合同",
        original_value=Decimal(value),
        value=Decimal(value),
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
        status=status,
        signed_at=now,
        published_at=now,
    )


@pytest.fixture
def project(world, propose):
    return advance(propose(), world, to="approved")


@pytest.fixture
def contract(world, project):
    return make_contract(world, project)
