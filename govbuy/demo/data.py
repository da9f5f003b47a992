"""The demo world: Beijing and four districts, every oversight body, five purchasers, ten
providers with valid codes of matching kinds, and a user for every role.

Everything is created through the domain services (so it is validated and audited like real
data) and looked up by a natural key first, so loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pyotp
from django.contrib.auth import get_user_model
from django.core.management import call_command

from govbuy.accounts import services as account_services
from govbuy.accounts.rules import two_factor_required
from govbuy.catalog import demo as catalog_demo
from govbuy.contracts import demo as contracts_demo
from govbuy.core import timeline
from govbuy.credit import demo as credit_demo
from govbuy.organizations import demo as org_demo
from govbuy.organizations import services as org_services
from govbuy.organizations.models import Membership, Organisation, Region
from govbuy.organizations.uscc import make_code
from govbuy.oversight import demo as oversight_demo
from govbuy.oversight.statistics import demo as statistics_demo
from govbuy.performance import demo as performance_demo
from govbuy.performance import demo_consultations as performance_consultations_demo
from govbuy.planning import demo as planning_demo
from govbuy.procurement import demo as procurement_demo
from govbuy.providers import demo as provider_demo

# One password for every demo login; printed by `seed_demo --print-logins`. Never in production.
DEMO_PASSWORD = "govbuy-demo-2026"  # noqa: S105 - demo data only, refused under production settings

REGIONS = [
    # code, name_zh, name_en, level, parent code
    ("110000", "北京市", "Beijing", "city", None),
    ("110101", "东城区", "Dongcheng District", "district", "110000"),
    ("110102", "西城区", "Xicheng District", "district", "110000"),
    ("110105", "朝阳区", "Chaoyang District", "district", "110000"),
    ("110108", "海淀区", "Haidian District", "district", "110000"),
]


@dataclass(frozen=True)
class DemoOrg:
    key: str
    name_zh: str
    name_en: str
    kind: str
    region: str
    prefix: str  # USCC authority + category
    serial: str  # 8-character organisation-code body


ORGANISATIONS = [
    # Oversight bodies (§四.二)
    DemoOrg(
        "city_finance", "北京市财政局", "Beijing Municipal Finance Bureau", "finance_bureau", "110000", "11", "00001001"
    ),
    DemoOrg(
        "dongcheng_finance",
        "北京市东城区财政局",
        "Dongcheng District Finance Bureau",
        "finance_bureau",
        "110101",
        "11",
        "00001002",
    ),
    DemoOrg(
        "xicheng_finance",
        "北京市西城区财政局",
        "Xicheng District Finance Bureau",
        "finance_bureau",
        "110102",
        "11",
        "00001003",
    ),
    DemoOrg(
        "chaoyang_finance",
        "北京市朝阳区财政局",
        "Chaoyang District Finance Bureau",
        "finance_bureau",
        "110105",
        "11",
        "00001004",
    ),
    DemoOrg(
        "haidian_finance",
        "北京市海淀区财政局",
        "Haidian District Finance Bureau",
        "finance_bureau",
        "110108",
        "11",
        "00001005",
    ),
    DemoOrg(
        "staffing",
        "中共北京市委机构编制委员会办公室",
        "Beijing Staffing Office",
        "staffing_office",
        "110000",
        "11",
        "00001006",
    ),
    DemoOrg(
        "civil_affairs", "北京市民政局", "Beijing Civil Affairs Bureau", "civil_affairs", "110000", "11", "00001007"
    ),
    DemoOrg(
        "market_regulation",
        "北京市市场监督管理局",
        "Beijing Administration for Market Regulation",
        "market_regulation",
        "110000",
        "11",
        "00001008",
    ),
    DemoOrg(
        "supervision", "北京市监察委员会", "Beijing Supervision Commission", "supervision", "110000", "11", "00001009"
    ),
    DemoOrg("audit", "北京市审计局", "Beijing Audit Office", "audit_office", "110000", "11", "00001010"),
    DemoOrg(
        "evaluator",
        "北京华信绩效评价咨询有限公司",
        "Huaxin Performance Evaluation Consulting Co., Ltd.",
        "third_party_evaluator",
        "110000",
        "91",
        "MA01EA01",
    ),
    # Purchasers (§三.二)
    DemoOrg(
        "dongcheng_health",
        "北京市东城区卫生健康委员会",
        "Dongcheng District Health Commission",
        "administrative_agency",
        "110101",
        "11",
        "00002001",
    ),
    DemoOrg(
        "chaoyang_civil",
        "北京市朝阳区民政局",
        "Chaoyang District Civil Affairs Bureau",
        "administrative_agency",
        "110105",
        "11",
        "00002002",
    ),
    DemoOrg(
        "haidian_urban",
        "北京市海淀区城市管理委员会",
        "Haidian District Urban Management Commission",
        "administrative_agency",
        "110108",
        "11",
        "00002003",
    ),
    DemoOrg(
        "welfare_centre",
        "北京市社会福利事务管理中心",
        "Beijing Social Welfare Affairs Management Centre",
        "public_institution_administrative",
        "110000",
        "12",
        "00002004",
    ),
    DemoOrg(
        "disabled_federation",
        "北京市残疾人联合会",
        "Beijing Disabled Persons' Federation",
        "mass_organisation_budget_funded",
        "110000",
        "13",
        "00002005",
    ),
    # Providers (§三.三)
    DemoOrg(
        "sunshine_elderly",
        "北京市东城区阳光居家养老服务中心",
        "Sunshine Home Elderly Care Centre",
        "social_service_organisation",
        "110101",
        "52",
        "MJ0A0001",
    ),
    DemoOrg(
        "kangle_social_work",
        "北京市朝阳区康乐社会工作事务所",
        "Kangle Social Work Agency",
        "social_service_organisation",
        "110105",
        "52",
        "MJ0A0002",
    ),
    DemoOrg(
        "volunteers_assoc",
        "北京市志愿服务联合会",
        "Beijing Volunteer Service Federation",
        "social_group",
        "110000",
        "51",
        "MJ0A0003",
    ),
    DemoOrg(
        "childrens_foundation",
        "北京市儿童福利基金会",
        "Beijing Children's Welfare Foundation",
        "foundation",
        "110000",
        "53",
        "MJ0A0004",
    ),
    DemoOrg(
        "qingyuan_property",
        "北京清源物业管理有限公司",
        "Qingyuan Property Management Co., Ltd.",
        "enterprise",
        "110108",
        "91",
        "MA0B0005",
    ),
    DemoOrg(
        "anxin_home_care",
        "北京安心家政服务部",
        "Anxin Home Care Services",
        "individual_business",
        "110105",
        "92",
        "MA0B0006",
    ),
    DemoOrg(
        "cultural_centre",
        "北京市群众艺术馆服务中心",
        "Beijing Mass Art Service Centre",
        "public_institution_class2",
        "110000",
        "12",
        "40000007",
    ),
    DemoOrg(
        "heping_cooperative",
        "北京市海淀区和平村股份经济合作社",
        "Heping Village Joint-Stock Economic Cooperative",
        "rural_collective",
        "110108",
        "N2",
        "MB0C0008",
    ),
    DemoOrg(
        "jiaodaokou_committee",
        "东城区交道口街道菊儿社区居民委员会",
        "Ju'er Community Residents' Committee",
        "grassroots_self_governing",
        "110101",
        "54",
        "MC0D0009",
    ),
    DemoOrg(
        "zhongguancun_tech",
        "北京中关村智慧城市科技有限公司",
        "Zhongguancun Smart City Technology Co., Ltd.",
        "enterprise",
        "110108",
        "91",
        "MA0B0010",
    ),
]

# username → (organisation key or None, role, what the persona does)
USERS = [
    ("admin", None, None, "platform administrator"),
    ("city.finance", "city_finance", "approver", "city finance bureau"),
    ("dongcheng.finance", "dongcheng_finance", "staff", "district finance bureau (Dongcheng)"),
    ("chaoyang.finance", "chaoyang_finance", "staff", "district finance bureau (Chaoyang)"),
    ("staffing", "staffing", "staff", "staffing office"),
    ("civil.affairs", "civil_affairs", "staff", "civil affairs (registration authority)"),
    ("market.regulation", "market_regulation", "staff", "market regulation (registration authority)"),
    ("supervision", "supervision", "read_only", "supervision"),
    ("auditor", "audit", "read_only", "audit office"),
    ("evaluator", "evaluator", "staff", "third-party evaluator"),
    ("dongcheng.health", "dongcheng_health", "staff", "purchaser (Dongcheng Health Commission)"),
    ("dongcheng.health.approver", "dongcheng_health", "approver", "purchaser approver (second pair of eyes)"),
    ("chaoyang.civil", "chaoyang_civil", "admin", "purchaser (Chaoyang Civil Affairs)"),
    ("sunshine", "sunshine_elderly", "admin", "provider (social service organisation)"),
    ("kangle", "kangle_social_work", "admin", "provider (rival social work agency)"),
    ("qingyuan", "qingyuan_property", "staff", "provider (enterprise)"),
    ("viewer", "welfare_centre", "read_only", "read-only purchaser staff"),
]

# The people behind the demo logins: screens show names, never logins.
DISPLAY_NAMES = {
    "admin": "刘洋",
    "city.finance": "陈志远",
    "dongcheng.finance": "王丽华",
    "chaoyang.finance": "张伟",
    "staffing": "杨帆",
    "civil.affairs": "黄敏",
    "market.regulation": "周强",
    "supervision": "吴静",
    "auditor": "徐磊",
    "evaluator": "孙悦",
    "dongcheng.health": "李娜",
    "dongcheng.health.approver": "马建国",
    "chaoyang.civil": "郭晓燕",
    "sunshine": "何春梅",
    "kangle": "林海",
    "qingyuan": "高明",
    "viewer": "罗欣",
}


def uscc_for(org: DemoOrg) -> str:
    region_code = next(code for code, *_rest in REGIONS if code == org.region)
    return make_code(org.prefix, region_code, org.serial)


def load() -> int:
    """Create what is missing; return how many records were created. The story ends today and
    starts `timeline.HORIZON` days before it (govbuy.core.timeline): the world on its first day,
    then each app's stories, interleaved by date."""
    with timeline.replaying():
        with timeline.at(timeline.start()):
            # The holiday table first: deadlines everywhere count working days from it.
            call_command("load_holidays", verbosity=0)
        with timeline.at(timeline.day(0, hour=9)):
            created = _world()
        created += timeline.run(
            [
                *catalog_demo.stories(),
                *provider_demo.stories(),
                *planning_demo.stories(),
                *procurement_demo.stories(password=DEMO_PASSWORD),
                # Experts use two-factor like other staff; enrolled the day their accounts are made.
                timeline.once(procurement_demo.experts_day() + dt.timedelta(hours=1), _experts_two_factor),
                *contracts_demo.stories(),
                timeline.once(timeline.ago(PERFORMANCE_AGO), performance_demo.load),
                *performance_consultations_demo.stories(),
                timeline.once(timeline.ago(CREDIT_AGO), credit_demo.load, password=DEMO_PASSWORD),
                timeline.once(timeline.ago(OVERSIGHT_AGO), oversight_demo.load),
            ]
        )
    # Last, at the real present: the figures of everything loaded above.
    created += statistics_demo.load()
    return created


# When the apps whose demo is one step run (days before today).
PERFORMANCE_AGO, CREDIT_AGO, OVERSIGHT_AGO = 9, 2, 1


def _experts_two_factor() -> int:
    for username, *_rest in procurement_demo.EXPERTS:
        expert_user = get_user_model().objects.filter(username=username).first()
        if expert_user is not None and not expert_user.has_two_factor:
            secret = account_services.begin_two_factor_enrolment(user=expert_user, actor=expert_user)
            account_services.confirm_two_factor(user=expert_user, actor=expert_user, code=pyotp.TOTP(secret).now())
    return 0


def _world() -> int:
    """Regions, organisations, users and memberships: the first day of the story."""
    created = 0
    regions: dict[str, Region] = {}
    for code, name_zh, name_en, level, parent_code in REGIONS:
        region = Region.objects.filter(code=code).first()
        if region is None:
            region = org_services.create_region(
                actor=None,
                code=code,
                name_zh=name_zh,
                name_en=name_en,
                level=level,
                parent=regions.get(parent_code) if parent_code else None,
            )
            created += 1
        regions[code] = region

    orgs: dict[str, Organisation] = {}
    for spec in ORGANISATIONS:
        code = uscc_for(spec)
        organisation = Organisation.objects.filter(uscc=code).first()
        if organisation is None:
            organisation = org_services.register_organisation(
                actor=None,
                name_zh=spec.name_zh,
                name_en=spec.name_en,
                kind=spec.kind,
                region=regions[spec.region],
                uscc=code,
            )
            created += 1
        orgs[spec.key] = organisation
    org_demo.load()  # addresses and contacts, printed by the public notices

    user_model = get_user_model()
    for username, org_key, role, _label in USERS:
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = account_services.create_user(
                actor=None,
                username=username,
                password=DEMO_PASSWORD,
                display_name=DISPLAY_NAMES.get(username, username),
                is_platform_admin=username == "admin",
            )
            created += 1
        if org_key is not None and role is not None:
            organisation = orgs[org_key]
            if not Membership.objects.filter(user=user, organisation=organisation).exists():
                org_services.add_member(actor=None, organisation=organisation, user=user, role=role)
                created += 1
        kinds = [orgs[org_key].kind] if org_key else []
        if two_factor_required(is_superuser=user.is_superuser, kinds=kinds) and not user.has_two_factor:
            # Demo staff who must use two-factor get it set up here; `manage.py totp_code NAME`
            # prints their current code, so the demo needs no phone.
            secret = account_services.begin_two_factor_enrolment(user=user, actor=user)
            account_services.confirm_two_factor(user=user, actor=user, code=pyotp.TOTP(secret).now())
    return created


def logins_text(port: int = 8000) -> str:
    """A short table: login, person, role, and a mark for the accounts that use two-factor."""
    experts = [(username, "evaluation expert") for username, *_rest in procurement_demo.EXPERTS]
    rows = [(username, label) for username, _org, _role, label in USERS] + experts
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[row[0] for row in rows])}
    width = max(len(username) for username, _label in rows) + 2
    label_width = max(len(label) for _username, label in rows)
    lines = [
        "",
        f"Demo logins  http://127.0.0.1:{port}/accounts/login/  password for every account: {DEMO_PASSWORD}",
        "  * two-factor: the current code is printed by `.venv/bin/python manage.py totp_code <login>`",
        "",
        f"  {'login'.ljust(width)}  {'role'.ljust(label_width)}  name",
    ]
    for username, label in rows:
        user = users.get(username)
        if user is None:
            continue
        mark = " *" if user.has_two_factor else ""
        lines.append(f"  {(username + mark).ljust(width)}  {label.ljust(label_width)}  {user.display_name}")
    lines.append("")
    return "\n".join(lines)
