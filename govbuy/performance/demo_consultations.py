"""Demo public consultations (确定购买内容): the Dongcheng finance bureau opened its draft catalog
adjustment for comment some two months ago, published a comment it received and, after the
period, a summary of what was received and what was changed; the Dongcheng health commission's
draft annual plan for next year is open for comment now. Through the services, on the demo's
clock (govbuy.core.timeline); loading twice changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from govbuy.catalog.models import CatalogVersion
from govbuy.catalog.services import versions
from govbuy.core import timeline
from govbuy.organizations.models import Region
from govbuy.performance.models import PublicConsultation
from govbuy.performance.services import consultations

FINANCE, PURCHASER = "dongcheng.finance", "dongcheng.health"
DISTRICT_CODE = "110101"  # Dongcheng
CATALOG_TITLE = "东城区政府购买服务指导性目录调整（征求意见稿）"
PLAN_TITLE = "东城区卫生健康委员会{year}年度政府购买服务计划（征求意见稿）"


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


def stories() -> list[timeline.Story]:
    return [_catalog_story(), _plan_story()]


def _catalog_story() -> timeline.Story:
    yield timeline.ago(60, hour=9, minute=30)
    moment = timezone.now()
    finance, district = _user(FINANCE), Region.objects.filter(code=DISTRICT_CODE).first()
    if finance is None or district is None or PublicConsultation.objects.filter(title=CATALOG_TITLE).exists():
        return 0
    draft = CatalogVersion.objects.filter(region=district, status=CatalogVersion.Status.DRAFT).first()
    if draft is None:
        if not CatalogVersion.objects.filter(region=district).exists():
            return 0
        draft = versions.create_draft(
            actor=finance,
            region=district,
            title_zh=f"{district.name_zh}政府购买服务指导性目录（调整稿）",
            notes="拟增加老年人助浴服务和社区心理健康服务事项，现公开征求意见。",
        )
    consultation = consultations.open_consultation(
        actor=finance,
        subject="catalog",
        catalog_version=draft,
        title=CATALOG_TITLE,
        description="本区拟在现行目录基础上增加老年人助浴服务、社区心理健康服务两个事项，"
        "并将社区养老驿站运营服务列为重点项目。欢迎服务对象和社会公众提出意见建议。",
        opens_at=moment,
        closes_at=timeline.days_after(moment, 30, hour=17, minute=30),
    )
    yield timeline.ago(52, hour=20, minute=15)
    comment = consultations.submit_comment(
        consultation=consultation,
        name="东四街道居民 张女士",
        message="建议把失能老人上门助浴纳入目录，并明确服务频次不少于每月两次。",
        client_address="203.0.113.27",
    )
    yield timeline.ago(50, hour=10)
    consultations.moderate_comment(actor=finance, comment=comment, version=comment.version, publish=True)
    yield timeline.days_after(consultation.closes_at, 3, hour=10)
    consultation.refresh_from_db()
    consultations.publish_summary(
        actor=finance,
        consultation=consultation,
        version=consultation.version,
        received="征求意见期间共收到意见1条，建议将失能老人上门助浴纳入目录并明确服务频次。",
        changed="已在“老年人助浴服务”事项说明中增加失能老人上门助浴，服务频次在项目绩效目标中约定。",
    )
    return 1


def _plan_story() -> timeline.Story:
    yield timeline.ago(5, hour=9, minute=30)
    moment = timezone.now()
    purchaser = _user(PURCHASER)
    year = timeline.today().year + 1
    title = PLAN_TITLE.format(year=year)
    if purchaser is None or PublicConsultation.objects.filter(title=title).exists():
        return 0
    consultations.open_consultation(
        actor=purchaser,
        subject="annual_plan",
        fiscal_year=year,
        title=title,
        description="拟购买居家养老上门医疗护理、社区健康管理和老年人心理关爱服务，"
        "预算合计约380万元。请服务对象和社会公众就服务内容、数量和质量要求提出意见。",
        opens_at=moment,
        closes_at=moment + dt.timedelta(days=30),
    )
    return 1
