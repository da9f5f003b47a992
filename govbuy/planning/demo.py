"""Demo budgets and purchase projects for 2027: budgets of three demo purchasers, projects in every
state, a conversion with its transfer (费随事转), and a published annual plan in two versions.

Built through the services, acting as the demo users, so every step is validated and audited like
real work. Needs the demo catalog (the Lanzhou city catalog and Dongcheng's) loaded first;
without it nothing is created. Loading twice changes nothing.
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Generator
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from govbuy.catalog.models import CatalogItem
from govbuy.catalog.selectors import effective_version
from govbuy.core import timeline
from govbuy.organizations.models import Organisation
from govbuy.planning.models import Budget, BudgetLine, Project
from govbuy.planning.rules import add_years
from govbuy.planning.services import annual_plans, budget_lines, proposals, reviews

# The story's days (govbuy.core.timeline) of the budget and of the first service day.
BUDGET_DAY, SERVICE_DAY = 38, 150


def year() -> int:
    """The fiscal year of the demo budgets: the year the story's budgets are made in."""
    return timeline.day(BUDGET_DAY).year


def period() -> tuple[datetime.date, datetime.date]:
    """The service period of the demo projects: a year from the first of the month after the
    summer's contracts are signed (Order 102 Art. 24: at most a year without the conditions for longer)."""
    first = (timeline.day(SERVICE_DAY).date().replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return first, add_years(first, 1) - datetime.timedelta(days=1)


PURCHASERS = {
    # purchaser name → (user who acts for it, finance user of its region)
    "北京市东城区卫生健康委员会": ("dongcheng.health", "dongcheng.finance"),
    "北京市朝阳区民政局": ("chaoyang.civil", "chaoyang.finance"),
}
LINES = [
    ("30227", "委托业务费", "3000000.00"),
    ("30199", "其他工资福利支出", "800000.00"),
    ("30299", "其他商品和服务支出", "400000.00"),
]


def _targets(quantity: tuple[str, str, str]) -> list[dict[str, str]]:
    name, value, unit = quantity
    return [
        {"family": "quantity", "name": name, "direction": "at_least", "target_value": value, "unit": unit},
        {"family": "quality", "name": "服务质量抽查合格率", "direction": "at_least", "target_value": "95", "unit": "%"},
        {
            "family": "timeliness",
            "name": "服务需求响应时间",
            "direction": "at_most",
            "target_value": "48",
            "unit": "小时",
        },
        {"family": "cost", "name": "预算执行率", "direction": "at_least", "target_value": "90", "unit": "%"},
        {
            "family": "satisfaction",
            "name": "服务对象满意度",
            "direction": "at_least",
            "target_value": "90",
            "unit": "%",
        },
    ]


def _costs(*rows: tuple[str, str, str, str, str]) -> list[dict[str, str]]:
    return [{"description": d, "category": c, "unit": u, "quantity": q, "unit_cost": p} for d, c, u, q, p in rows]


# title, item code (None: outside the catalog), description, beneficiaries, costs, quantity target,
# method, final state, conversion (source line code, amount, former service) or None
DONGCHENG = [
    (
        "东城区社区养老驿站运营服务",
        "A05-DC01",
        "委托专业机构运营辖区12家社区养老驿站，提供日间照料、助餐、助洁和精神慰藉服务。",
        "东城区60岁以上居家老年人",
        _costs(
            ("驿站日常运营", "operations", "站·月", "144", "8000.00"),
            ("专业护理人员", "personnel", "人·月", "96", "6500.00"),
        ),
        ("日间照料服务人次", "36000", "人次"),
        "public_tender",
        "in_plan",
        None,
    ),
    (
        "老年人助餐服务",
        "A05-DC02",
        "为辖区高龄、失能及低保老年人提供助餐和送餐上门服务。",
        "东城区80岁以上、失能及低保老年人",
        _costs(("助餐", "operations", "份", "60000", "6.00"), ("送餐上门", "personnel", "次", "20000", "4.00")),
        ("助餐份数", "60000", "份"),
        "competitive_consultation",
        "in_plan",
        None,
    ),
    (
        "胡同院落环境治理协调服务",
        "B02-DC01",
        "协调居民开展胡同院落环境整治，组织议事协商。",
        "东城区胡同院落居民",
        _costs(("协商议事活动", "operations", "场", "60", "1500.00")),
        ("议事协商场次", "60", "场"),
        "competitive_consultation",
        "cancelled",
        None,
    ),
    (
        "健康科普宣传服务（原由委内人员承担）",
        "B10",
        "将原由本委工作人员承担的社区健康科普宣传转为向社会力量购买。",
        "东城区常住居民",
        _costs(
            ("健康讲座", "operations", "场", "120", "1500.00"), ("宣传材料设计", "materials", "套", "20", "3000.00")
        ),
        ("健康讲座场次", "120", "场"),
        "competitive_consultation",
        "approved",
        ("30199", "240000.00", "社区健康科普宣传（原由委内工作人员承担）"),
    ),
    (
        "家庭医生签约辅助服务",
        "A08",
        "为家庭医生团队提供签约居民随访提醒和健康档案整理等辅助服务。",
        "东城区签约居民",
        _costs(("随访提醒", "personnel", "人次", "30000", "3.00")),
        ("随访提醒人次", "30000", "人次"),
        "request_for_quotation",
        "draft",
        None,
    ),
]
CHAOYANG = [
    (
        "社区社会工作服务",
        "B03",
        "在朝阳区10个街道开展社区社会工作服务，重点服务困境家庭和儿童。",
        "朝阳区困境家庭及儿童",
        _costs(("驻点社工", "personnel", "人·月", "120", "7000.00"), ("小组活动", "operations", "场", "80", "1200.00")),
        ("个案服务数", "300", "个"),
        "public_tender",
        "submitted",
        None,
    ),
    (
        "残疾人居家托养服务",
        "A14",
        "为重度残疾人提供居家托养和康复训练服务。",
        "朝阳区重度残疾人",
        _costs(("居家托养", "personnel", "人·月", "600", "900.00")),
        ("托养服务人数", "50", "人"),
        "competitive_consultation",
        "under_review",
        None,
    ),
    (
        "法律援助咨询服务",
        "B04",
        "委托律师事务所在社区提供法律咨询和援助服务。",
        "朝阳区经济困难群众",
        _costs(("法律咨询值班", "personnel", "半天", "400", "500.00")),
        ("咨询服务人次", "4000", "人次"),
        "competitive_negotiation",
        "returned",
        None,
    ),
    (
        "社区心理疏导服务",
        None,
        "为社区居民提供心理健康讲座和个体心理疏导。",
        "朝阳区社区居民",
        _costs(("个体心理疏导", "personnel", "小时", "500", "300.00")),
        ("疏导服务小时", "500", "小时"),
        "competitive_consultation",
        "withdrawn",
        None,
    ),
]


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


def _item(purchaser: Organisation, code: str | None) -> CatalogItem | None:
    if code is None:
        return None
    version = effective_version(purchaser.region)
    return CatalogItem.objects.filter(version=version, code=code).first() if version else None


def _fresh(project: Project) -> Project:
    return Project.objects.get(pk=project.pk)


def _propose(
    purchaser: Organisation, budget: Budget, spec: Any, *, actor: Any, finance: Any, staffing: Any
) -> Project | None:
    title, code, description, beneficiaries, costs, quantity, method, _state, conversion = spec
    item = _item(purchaser, code)
    if code is not None and item is None:
        return None
    transfer = None
    if conversion is not None:
        source_code, transfer_amount, former = conversion
        transfer = proposals.ConversionInput(
            source_line=BudgetLine.objects.get(budget=budget, code=source_code),
            amount=transfer_amount,
            former_service=former,
        )
    project = proposals.propose_project(
        actor=actor,
        purchaser=purchaser,
        budget_line=BudgetLine.objects.get(budget=budget, code="30227"),
        title=title,
        catalog_item=item,
        outside_catalog_name=title if item is None else "",
        service_description=description,
        beneficiaries=beneficiaries,
        period_start=period()[0],
        period_end=period()[1],
        suggested_method=method,
        cost_lines=costs,
        targets=_targets(quantity),
        conversion=transfer,
    )
    return project


def reviewed(project: Project, *, finance: Any, comment: str) -> Generator[Any, None, Project]:
    """A submitted project taken up by the finance bureau three working days later and approved
    two working days after that (a story step: `project = yield from reviewed(...)`)."""
    submitted = timezone.now()
    yield timeline.working_days_after(submitted, 3, hour=14)
    project = _fresh(project)
    project = reviews.start_review(actor=finance, project=project, version=project.version)
    yield timeline.working_days_after(submitted, 5, hour=10, minute=30)
    return reviews.approve_project(actor=finance, project=project, version=project.version, comment=comment)


def _stages(projects: list[tuple[Project, str]], people: dict[str, Any], first: Any) -> timeline.Story:
    """Submitted together, taken up by the finance bureau three working days later, decided two
    working days after that (a staffing review first for a conversion)."""
    finance = people["finance"]
    yield timeline.working_days_after(first, 1, hour=9, minute=30)
    for project, state in projects:
        project = _fresh(project)
        if state == "withdrawn":
            reviews.withdraw_project(
                actor=people["actor"], project=project, version=project.version, reason="与街道项目重复，撤回"
            )
        elif state != "draft":
            reviews.submit_project(actor=people["actor"], project=project, version=project.version)
    yield timeline.working_days_after(first, 4, hour=14)
    for project, state in projects:
        project = _fresh(project)
        if state == "returned":
            reviews.return_project(
                actor=finance, project=project, version=project.version, comment="请补充服务人次的测算依据和单价来源。"
            )
        elif state in ("under_review", "approved", "in_plan", "cancelled"):
            reviews.start_review(actor=finance, project=project, version=project.version)
    yield timeline.working_days_after(first, 6, hour=10, minute=30)
    for project, state in projects:
        project = _fresh(project)
        if state not in ("approved", "in_plan", "cancelled"):
            continue
        if project.is_conversion:
            project = reviews.confirm_staffing(
                actor=people["staffing"], project=project, version=project.version, comment="转制后不新增编制和机构。"
            )
        outside = project.purchasability == "outside_catalog"
        reviews.approve_project(
            actor=finance, project=project, version=project.version, comment="同意。", approve_outside_catalog=outside
        )
    return 0


def _purchaser_story(name: str, specs: list[Any], first_day: Any, projects_from: Any = None) -> timeline.Story:
    """A purchaser's budget, its projects (proposed a working day apart, then reviewed), its
    annual plan, a cancellation, and a conversion approved after the plan (its next version)."""
    yield first_day
    purchaser = Organisation.objects.filter(name_zh=name).select_related("region").first()
    actor_name, finance_name = PURCHASERS[name]
    people = {"actor": _user(actor_name), "finance": _user(finance_name), "staffing": _user("staffing")}
    if purchaser is None or Budget.objects.filter(purchaser=purchaser, fiscal_year=year()).exists():
        return 0
    budget = budget_lines.create_budget(
        actor=people["actor"], purchaser=purchaser, fiscal_year=year(), note=f"{year()}年部门预算（政府购买服务部分）"
    )
    for code, line_name, amount in LINES:
        budget_lines.add_line(actor=people["actor"], budget=budget, code=code, name=line_name, amount=amount)
    created = 1
    # Projects approved after the plan's publication wait for its next version.
    later = [spec for spec in specs if spec[7] == "approved"]
    proposed: list[tuple[Project, str]] = []
    moment = projects_from or first_day
    for spec in specs:
        if spec in later:
            continue
        moment = timeline.working_days_after(moment, 1, hour=9 + len(proposed) % 3, minute=15)
        yield moment
        project = _propose(purchaser, budget, spec, **people)
        if project is not None:
            proposed.append((project, spec[7]))
    created += len(proposed)
    yield from _stages(proposed, people, moment)
    if any(spec[7] in ("in_plan", "cancelled") for spec in specs):
        yield timeline.working_days_after(moment, 10, hour=15)
        annual_plans.publish_plan(
            actor=people["actor"], purchaser=purchaser, fiscal_year=year(), note=f"{year()}年度政府购买服务计划"
        )
        created += 1
        yield timeline.working_days_after(moment, 25, hour=11)
        for project, state in proposed:
            if state == "cancelled":
                project = _fresh(project)
                reviews.cancel_project(
                    actor=people["actor"],
                    project=project,
                    version=project.version,
                    reason="已并入街道统筹项目，不再单独购买。",
                )
                created += 1
    if later:
        moment = timeline.working_days_after(moment, 30, hour=9, minute=30)
        yield moment
        late = [(p, spec[7]) for spec in later if (p := _propose(purchaser, budget, spec, **people)) is not None]
        created += len(late)
        yield from _stages(late, people, moment)
    return created


def load() -> int:
    """Create what is missing; return how many records were created."""
    if not CatalogItem.objects.exists():
        sys.stderr.write("Planning demo data skipped: the demo catalog is not loaded.\n")
        return 0
    return timeline.load_alone(stories)


def stories() -> list[timeline.Story]:
    """Dongcheng's budget, projects and plan in March; Chaoyang's projects in the last weeks,
    still before its finance bureau (govbuy.core.timeline)."""
    return [
        _purchaser_story("北京市东城区卫生健康委员会", DONGCHENG, timeline.day(BUDGET_DAY, hour=9, minute=30)),
        _purchaser_story(
            "北京市朝阳区民政局",
            CHAOYANG,
            timeline.day(BUDGET_DAY + 1, hour=9, minute=30),
            projects_from=timeline.ago(24, hour=9, minute=30),
        ),
    ]
