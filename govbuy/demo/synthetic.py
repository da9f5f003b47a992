"""Synthetic data at benchmark scale (`manage.py generate_data`): Beijing's sixteen districts,
purchasers, verified providers, budgets, and purchase projects taken through every stage —
annual plan and its revisions, tenders (some cancelled, some failed for want of bidders, then
tried again), bid openings and awards — with the OCDS releases each stage publishes.

Written in bulk, NOT through the services: a million releases through `publish_release` and the
audit chain (about 560 appends/s on PostgreSQL, docs/benchmarks.md) would take hours. So there
are no audit events, no sealed bid contents and no files; everything else is the rows the
services would have left, and every release is what `govbuy.disclosure.services.publish_release`
would have stored for it:

- the release bodies are built in the shape of `govbuy.planning.ocds.planning_release_parts` and
  `govbuy.procurement.ocds.tender_release_parts` / `award_release_parts` (with the same party,
  value and date helpers), from the state the rows were in at that stage; the tests check that
  the last release of every project and tender equals what the real builder makes from the rows;
- ids are derived from the content digest exactly as `publish_release` derives them, the
  document is the same canonical JSON (`canonical_json` below is a C-speed equivalent of
  `jsonutil.dumps`, checked against it in the tests), and feed positions are dense, in date order.

Everything comes from `random.Random(f"{seed}:...")`, so one seed gives the same data (and the
same release ids) on every machine.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace
from typing import Any

from govbuy.core.money import CENT
from govbuy.disclosure import ocds
from govbuy.disclosure.builders.procurement import contracting_process
from govbuy.organizations.ocds import party, party_id, party_reference
from govbuy.organizations.uscc import make_code
from govbuy.planning.ocds import METHOD_CODES as PLANNING_METHOD_CODES
from govbuy.planning.ocds import METHOD_DETAILS_ZH
from govbuy.procurement.ocds import METHOD_CODES as TENDER_METHOD_CODES

PROJECT_TYPE = "planning.project"
TENDER_TYPE = "procurement.tender"

CITY = ("110000", "北京市", "Beijing")
DISTRICTS = [
    ("110101", "东城区", "Dongcheng District"),
    ("110102", "西城区", "Xicheng District"),
    ("110105", "朝阳区", "Chaoyang District"),
    ("110106", "丰台区", "Fengtai District"),
    ("110107", "石景山区", "Shijingshan District"),
    ("110108", "海淀区", "Haidian District"),
    ("110109", "门头沟区", "Mentougou District"),
    ("110111", "房山区", "Fangshan District"),
    ("110112", "通州区", "Tongzhou District"),
    ("110113", "顺义区", "Shunyi District"),
    ("110114", "昌平区", "Changping District"),
    ("110115", "大兴区", "Daxing District"),
    ("110116", "怀柔区", "Huairou District"),
    ("110117", "平谷区", "Pinggu District"),
    ("110118", "密云区", "Miyun District"),
    ("110119", "延庆区", "Yanqing District"),
]
AGENCIES = [
    ("民政局", "Civil Affairs Bureau", "administrative_agency"),
    ("卫生健康委员会", "Health Commission", "administrative_agency"),
    ("文化和旅游局", "Culture and Tourism Bureau", "administrative_agency"),
    ("教育委员会", "Education Commission", "administrative_agency"),
    ("司法局", "Justice Bureau", "administrative_agency"),
    ("城市管理委员会", "Urban Management Commission", "administrative_agency"),
    ("人力资源和社会保障局", "Human Resources and Social Security Bureau", "administrative_agency"),
    ("退役军人事务局", "Veterans Affairs Bureau", "administrative_agency"),
    ("体育局", "Sports Bureau", "administrative_agency"),
    ("残疾人联合会", "Disabled Persons' Federation", "mass_organisation_budget_funded"),
    ("妇女联合会", "Women's Federation", "mass_organisation_budget_funded"),
    ("共青团委员会", "Communist Youth League Committee", "mass_organisation_budget_funded"),
]
STREET_HEADS = "安和建永朝长新德广金丰望清双鼓龙天万青花"
STREET_TAILS = ["平里", "定门", "华门", "外", "阳", "顺", "胜", "宁", "园", "桥", "泉", "苑", "营", "坊", "庄", "湖"]
BRANDS_A = "乐心阳同惠康启晨众益恒仁悦青邻和博协善新"
BRANDS_B = "龄语光心民乐明曦和家爱和享禾里谐雅力行航"
PROVIDER_TYPES = [
    # name suffix, English, kind, USCC registration authority + category, verifying authority kind
    ("社会工作服务中心", "Social Work Service Centre", "social_service_organisation", "52", "civil_affairs"),
    ("养老服务中心", "Elderly Care Service Centre", "social_service_organisation", "52", "civil_affairs"),
    ("社区服务协会", "Community Service Association", "social_group", "51", "civil_affairs"),
    ("公益基金会", "Charitable Foundation", "foundation", "53", "civil_affairs"),
    ("物业管理有限公司", "Property Management Co., Ltd.", "enterprise", "91", "market_regulation"),
    ("文化传播有限公司", "Cultural Communication Co., Ltd.", "enterprise", "91", "market_regulation"),
    ("心理咨询服务中心", "Psychological Counselling Centre", "social_service_organisation", "52", "civil_affairs"),
    ("家政服务有限公司", "Home Services Co., Ltd.", "enterprise", "91", "market_regulation"),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞"]


@dataclass(frozen=True)
class Service:
    """A kind of public service purchased, with how its cost is built (以事定費)."""

    name: str
    description: str  # {n}: how many people are served
    beneficiaries: str
    # task, cost category, unit, quantity range, unit cost range (yuan)
    lines: tuple[tuple[str, str, str, tuple[int, int], tuple[int, int]], ...]


SERVICES = [
    Service(
        "居家养老服务",
        "为辖区内{n}名高龄、失能老年人提供助餐、助洁、助浴、助医等居家养老上门服务，建立服务档案并按月回访。",
        "辖区内80周岁以上高龄及失能、半失能老年人",
        (
            ("上门照护服务", "personnel", "人次", (2000, 24000), (60, 120)),
            ("助餐配送", "operations", "餐", (5000, 60000), (12, 25)),
            ("服务督导与质量管理", "management", "月", (12, 12), (6000, 20000)),
        ),
    ),
    Service(
        "社区矫正社会工作服务",
        "为{n}名社区矫正对象提供心理疏导、教育帮扶和社会适应性帮扶，协助开展风险评估。",
        "辖区内社区矫正对象及其家庭",
        (
            ("个案社会工作", "personnel", "个案", (50, 600), (1500, 4000)),
            ("小组活动", "operations", "场", (10, 80), (2000, 6000)),
        ),
    ),
    Service(
        "公共文化活动组织",
        "全年组织群众文化活动，覆盖约{n}人次，包括公益演出、非遗展示、阅读推广和文化讲座。",
        "辖区常住居民",
        (
            ("公益演出", "operations", "场", (10, 120), (8000, 30000)),
            ("阅读推广活动", "operations", "场", (20, 200), (1500, 5000)),
            ("活动宣传物料", "materials", "批", (1, 12), (5000, 20000)),
        ),
    ),
    Service(
        "垃圾分类宣传指导",
        "在辖区社区开展生活垃圾分类桶前值守和入户宣传，覆盖约{n}户居民。",
        "辖区社区居民",
        (
            ("桶前值守指导", "personnel", "人天", (1000, 20000), (150, 260)),
            ("入户宣传", "operations", "户", (2000, 40000), (8, 20)),
        ),
    ),
    Service(
        "青少年心理健康服务",
        "为辖区中小学约{n}名学生提供心理健康测评、团体辅导和个别咨询，建立危机干预转介机制。",
        "辖区中小学在校学生及家长",
        (
            ("心理测评", "operations", "人次", (1000, 20000), (20, 60)),
            ("个别心理咨询", "personnel", "小时", (200, 3000), (300, 600)),
            ("团体辅导", "operations", "场", (20, 200), (1500, 4000)),
        ),
    ),
    Service(
        "残疾人职业康复服务",
        "为{n}名残疾人提供职业康复训练、辅助性就业和就业指导服务。",
        "辖区持证残疾人",
        (
            ("职业康复训练", "personnel", "人月", (100, 1500), (800, 1800)),
            ("辅助性就业岗位补贴", "other", "人月", (50, 800), (500, 1200)),
        ),
    ),
    Service(
        "老旧小区物业托管服务",
        "对辖区{n}户老旧小区实施过渡期物业托管，包括保洁、秩序维护和设施小修。",
        "老旧小区居民",
        (
            ("保洁服务", "personnel", "平方米·年", (20000, 300000), (3, 8)),
            ("秩序维护", "personnel", "人年", (4, 40), (55000, 80000)),
            ("设施小修", "materials", "项", (10, 200), (800, 5000)),
        ),
    ),
    Service(
        "全民健身指导服务",
        "聘请社会体育指导员开展科学健身指导和赛事组织，服务约{n}人次。",
        "辖区健身群众",
        (
            ("健身指导", "personnel", "课时", (200, 4000), (150, 400)),
            ("群众赛事组织", "operations", "场", (2, 30), (20000, 80000)),
        ),
    ),
    Service(
        "退役军人就业创业培训",
        "为{n}名退役军人提供职业技能培训和创业指导。",
        "辖区退役军人",
        (
            ("职业技能培训", "personnel", "人次", (100, 2000), (1200, 3500)),
            ("创业指导", "personnel", "小时", (50, 800), (400, 900)),
        ),
    ),
    Service(
        "12345热线辅助受理服务",
        "承接辖区接诉即办工单辅助受理、回访和数据分析，年工单量约{n}件。",
        "辖区来电群众",
        (
            ("坐席人员", "personnel", "人年", (4, 60), (90000, 140000)),
            ("回访与数据分析", "operations", "件", (20000, 300000), (2, 6)),
        ),
    ),
]
THRESHOLD = Decimal("2000000.00")
YEARS = (2023, 2024, 2025)
LIMITATIONS = "合同签订后按季度支付；服务期内接受第三方绩效评价。"


def _money(value: Decimal | int) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def value(amount: Decimal) -> dict[str, Any]:
    return {"amount": _money(amount), "currency": "CNY"}


def _utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# --- Canonical JSON at C speed -------------------------------------------------------------------

# Decimal amounts travel through json.dumps as marked strings and are unquoted afterwards. The
# marks are a private-use character, never found in our texts (checked: jsonutil.dumps of a
# generated release equals canonical_json of it, in the tests).
_MARK = "\ue000"
_MARKED = re.compile('"' + _MARK + "([-0-9.]+)" + _MARK + '"')


def _decimal_default(obj: Any) -> str:
    if isinstance(obj, Decimal) and obj.is_finite():
        return _MARK + str(obj) + _MARK
    raise TypeError(f"{type(obj).__name__} is not JSON serialisable")


def canonical_json(obj: Any) -> str:
    """The same text as govbuy.disclosure.jsonutil.dumps (sorted keys, no spaces, UTF-8, exact
    Decimals), about twenty times faster."""
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_decimal_default)
    return _MARKED.sub(r"\1", text)


# --- The world -------------------------------------------------------------------------------------


@dataclass(slots=True)
class Org:
    pk: int
    name_zh: str
    name_en: str
    kind: str
    region: Any  # SimpleNamespace(pk, code, name_zh)
    uscc: str
    prefix: str = ""
    authority: str = ""

    @property
    def region_id(self) -> int:
        return int(self.region.pk)


@dataclass(slots=True)
class Method:
    pk: int
    code: str
    name_zh: str
    min_suppliers: int
    evaluation_method: str


@dataclass(slots=True)
class CostLineSpec:
    position: int
    description: str
    category: str
    unit: str
    quantity: Decimal
    unit_cost: Decimal

    @property
    def amount(self) -> Decimal:
        return _money(self.quantity * self.unit_cost)


@dataclass(slots=True)
class BidSpec:
    pk: int
    provider: Org
    submitted_at: datetime
    price: Decimal
    receipt: str


@dataclass(slots=True)
class AttemptSpec:
    """One tender of a project: outcome "awarded", "failed" (too few bids), "cancelled" or
    "open" (published, bids not yet due)."""

    pk: int
    number: int
    reference: str
    method: Method
    outcome: str
    published_at: datetime
    bid_deadline: datetime
    bids: list[BidSpec] = field(default_factory=list)
    opened_at: datetime | None = None
    awarded_at: datetime | None = None
    winner: BidSpec | None = None
    cancelled_at: datetime | None = None
    lot_pk: int = 0
    criteria: list[tuple[str, int, bool]] = field(default_factory=list)
    bid_bond: Decimal = Decimal("0.00")
    approved_method: Method | None = None


@dataclass(slots=True)
class ProjectSpec:
    index: int
    pk: int
    reference: str
    purchaser: Org
    fiscal_year: int
    service: Service
    title: str
    description: str
    period_start: date
    period_end: date
    method: Method
    budget_line_code: str
    budget_line_name: str
    # One list of cost lines per published version of the plan: [0] is the first plan, the last
    # is what the project row holds now.
    versions: list[list[CostLineSpec]]
    plan_dates: list[datetime]
    attempts: list[AttemptSpec]
    budget_line_pk: int = 0

    @property
    def estimate(self) -> Decimal:
        return estimate_of(self.versions[-1])


def estimate_of(lines: list[CostLineSpec]) -> Decimal:
    return _money(sum((line.amount for line in lines), Decimal(0)))


@dataclass
class World:
    seed: int
    city: Any
    districts: list[Any]
    purchasers: list[Org]
    providers: list[Org]
    methods: dict[str, Method]
    base_pk: dict[str, int]
    _by_region: dict[int, list[Org]] = field(default_factory=dict)

    def providers_in(self, region_pk: int) -> list[Org]:
        """The providers of a district (bidders come from nearby), or all when it has none."""
        if not self._by_region:
            for provider in self.providers:
                self._by_region.setdefault(provider.region.pk, []).append(provider)
        return self._by_region.get(region_pk) or self.providers


def organisations(
    *, purchasers: int, providers: int, regions: dict[str, Any], base_pk: int
) -> tuple[list[Org], list[Org]]:
    """Purchasers (district agencies, mass organisations and street offices) and providers, with
    valid USCCs of matching kinds; names follow from the position, so they need no randomness.
    Serial numbers start far above the demo data's."""
    out_purchasers: list[Org] = []
    pk = base_pk
    for j in range(purchasers):
        code, district, district_en = DISTRICTS[j % len(DISTRICTS)]
        k = j // len(DISTRICTS)
        if k < len(AGENCIES):
            name, name_en, kind = AGENCIES[k]
            name_zh, name_en = f"北京市{district}{name}", f"{district_en} {name_en}"
            prefix = "11" if kind == "administrative_agency" else "13"
        else:
            s = k - len(AGENCIES)
            street = STREET_HEADS[s % len(STREET_HEADS)] + STREET_TAILS[(s // len(STREET_HEADS)) % len(STREET_TAILS)]
            suffix = "" if s < len(STREET_HEADS) * len(STREET_TAILS) else str(s // (len(STREET_HEADS) * 16))
            name_zh = f"北京市{district}{street}{suffix}街道办事处"
            name_en, kind, prefix = f"{street}{suffix} Subdistrict Office, {district_en}", "administrative_agency", "11"
        out_purchasers.append(
            Org(pk, name_zh, name_en, kind, regions[code], make_code(prefix, code, f"{10000000 + j:08d}"), prefix)
        )
        pk += 1
    out_providers: list[Org] = []
    for j in range(providers):
        code, district, district_en = DISTRICTS[j % len(DISTRICTS)]
        k = j // len(DISTRICTS)
        suffix, suffix_en, kind, prefix, authority = PROVIDER_TYPES[k % len(PROVIDER_TYPES)]
        b = k // len(PROVIDER_TYPES)
        brand = BRANDS_A[b % len(BRANDS_A)] + BRANDS_B[(b // len(BRANDS_A)) % len(BRANDS_B)]
        if b >= len(BRANDS_A) * len(BRANDS_B):
            brand += str(b // (len(BRANDS_A) * len(BRANDS_B)) + 1)
        name_zh = f"北京市{district}{brand}{suffix}"
        name_en = f"Beijing {district_en} {brand} {suffix_en}"
        uscc = make_code(prefix, code, f"{20000000 + j:08d}")
        out_providers.append(Org(pk, name_zh, name_en, kind, regions[code], uscc, prefix, authority))
        pk += 1
    return out_purchasers, out_providers


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")


def _method_for(estimate: Decimal, rng: random.Random, methods: dict[str, Method]) -> Method:
    if rng.random() < 0.03:
        return methods["single_source"]
    if estimate >= THRESHOLD:
        return methods["public_tender"]
    if estimate >= Decimal("500000"):
        return methods["competitive_consultation"] if rng.random() < 0.7 else methods["competitive_negotiation"]
    return methods["request_for_quotation"]


def _criteria(method: Method) -> list[tuple[str, int, bool]]:
    if method.evaluation_method == "lowest_price":
        return [("价格", 100, True)]
    return [("价格", 30, True), ("服务方案", 40, False), ("团队与业绩", 30, False)]


def project_spec(world: World, index: int, total: int, ids: Callable[[str], int]) -> ProjectSpec:
    """Project `index` of `total`, from its own random stream: earlier indexes fall in earlier
    fiscal years, so the feed grows through time as a real installation's does."""
    rng = random.Random(f"{world.seed}:project:{index}")
    year = YEARS[min(len(YEARS) - 1, index * len(YEARS) // max(total, 1))]
    purchaser = world.purchasers[rng.randrange(len(world.purchasers))]
    service = SERVICES[rng.randrange(len(SERVICES))]
    pk = ids("project")
    reference = f"{purchaser.region.code}-{year}-{pk:06d}"
    area = purchaser.name_zh.removeprefix("北京市")
    title = f"{area}{year}年度{service.name}项目"
    served = rng.randrange(50, 5000)
    lines = []
    for position, (task, category, unit, (qlo, qhi), (clo, chi)) in enumerate(service.lines, start=1):
        quantity = Decimal(rng.randint(qlo, qhi)).quantize(CENT)
        unit_cost = _money(Decimal(rng.randint(clo * 100, chi * 100)) / 100)
        lines.append(CostLineSpec(position, task, category, unit, quantity, unit_cost))
    # The first plan is published in December–February; revisions follow through the year (年中调整).
    first = _utc(year - 1, 12, 1) + timedelta(days=rng.randrange(0, 80), hours=rng.randrange(1, 10))
    versions = [lines]
    plan_dates = [first]
    moment = first
    for _revision in range(rng.randint(2, 6)):
        moment = moment + timedelta(days=rng.randrange(5, 25), hours=rng.randrange(0, 8))
        revised = [replace(line) for line in versions[-1]]
        changed = revised[rng.randrange(len(revised))]
        changed.quantity = max(Decimal(1), (changed.quantity * Decimal(rng.randint(85, 115)) / 100).quantize(CENT))
        versions.append(revised)
        plan_dates.append(moment)
    estimate = estimate_of(versions[-1])
    method = _method_for(estimate, rng, world.methods)
    spec = ProjectSpec(
        index=index,
        pk=pk,
        reference=reference,
        purchaser=purchaser,
        fiscal_year=year,
        service=service,
        title=title,
        description=service.description.format(n=served),
        period_start=date(year, 4, 1),
        period_end=date(year + 1, 3, 31),
        method=method,
        budget_line_code="30227",
        budget_line_name="委托业务费",
        versions=versions,
        plan_dates=plan_dates,
        attempts=[],
    )
    # Tenders: sometimes cancelled (the need changed), often failed for want of bidders and tried
    # again with the method the finance bureau approves; the last projects are still open.
    moment = moment + timedelta(days=rng.randrange(3, 20), hours=rng.randrange(0, 8))
    plan: list[str] = []
    if rng.random() < 0.15:
        plan.append("cancelled")
    if rng.random() < 0.6:
        plan.append("failed")
    plan.append("open" if index >= total - max(1, total // 50) else "awarded")
    current = method
    for number, outcome in enumerate(plan, start=1):
        attempt = _attempt(world, spec, rng, number, outcome, current, moment, ids)
        spec.attempts.append(attempt)
        moment = (attempt.opened_at or attempt.cancelled_at or attempt.bid_deadline) + timedelta(
            days=rng.randrange(5, 15)
        )
        if outcome == "failed":
            current = attempt.approved_method or current
    return spec


def _attempt(
    world: World,
    spec: ProjectSpec,
    rng: random.Random,
    number: int,
    outcome: str,
    method: Method,
    published: datetime,
    ids: Callable[[str], int],
) -> AttemptSpec:
    days = 20 if method.code in ("public_tender", "invitation_tender") else 10
    deadline = (published + timedelta(days=days + rng.randrange(0, 10))).replace(hour=1, minute=30)
    estimate = spec.estimate
    attempt = AttemptSpec(
        pk=ids("tender"),
        number=number,
        reference=f"{spec.reference}-T{number}",
        method=method,
        outcome=outcome,
        published_at=published,
        bid_deadline=deadline,
        lot_pk=ids("lot"),
        criteria=_criteria(method),
        bid_bond=_money(estimate * Decimal("0.01")) if method.code == "public_tender" else Decimal("0.00"),
    )
    if outcome == "cancelled":
        attempt.cancelled_at = published + timedelta(days=rng.randrange(1, days), hours=rng.randrange(0, 8))
        return attempt
    if outcome == "open":
        return attempt
    wanted = max(method.min_suppliers, 1)
    count = rng.randrange(0, wanted) if outcome == "failed" else wanted + rng.randrange(0, 3)
    if method.code == "single_source":
        count = 1 if outcome == "awarded" else 0
    local = world.providers_in(spec.purchaser.region.pk)
    chosen = rng.sample(local, min(count, len(local)))
    for offset, provider in enumerate(chosen):
        price = _money(estimate * Decimal(rng.randint(820, 998)) / 1000)
        submitted = deadline - timedelta(days=rng.randrange(0, days // 2 + 1), hours=offset + 1)
        receipt = hashlib.sha256(f"{world.seed}:{attempt.reference}:{provider.pk}".encode()).hexdigest()
        attempt.bids.append(BidSpec(ids("bid"), provider, submitted, price, receipt))
    attempt.opened_at = deadline + timedelta(minutes=30)
    if outcome == "failed":
        if method.code == "public_tender":
            attempt.approved_method = world.methods["competitive_consultation"]
        return attempt
    attempt.winner = min(attempt.bids, key=lambda bid: (bid.price, bid.pk))
    attempt.awarded_at = attempt.opened_at + timedelta(days=rng.randrange(5, 15), hours=rng.randrange(0, 6))
    return attempt


# --- Releases, as the builders would have made them --------------------------------------------------


def _date(moment: datetime) -> str:
    return ocds.format_date(moment)


def planning_release(spec: ProjectSpec, version: int) -> dict[str, Any]:
    """`build_project` for the project as it stood in plan version `version`."""
    buyer = spec.purchaser
    lines = spec.versions[version]
    estimate = estimate_of(lines)
    cost_lines = [
        {
            "id": str(line.position),
            "description": line.description,
            "costCategory": line.category,
            "quantity": line.quantity,
            "unit": {"name": line.unit, "value": value(line.unit_cost)},
            "value": value(line.amount),
        }
        for line in lines
    ]
    return {
        "ocid": ocds.ocid_for(spec.reference),
        "date": _date(spec.plan_dates[version]),
        "tag": ["planning" if version == 0 else "planningUpdate"],
        "initiationType": "tender",
        "language": "zh",
        "buyer": {"id": party_id(buyer), "name": buyer.name_zh},
        "parties": [party(buyer, ["buyer"])],
        "planning": {
            "rationale": spec.description,
            "budget": {
                "id": f"{spec.fiscal_year}-{spec.budget_line_code}",
                "description": (
                    f"{buyer.name_zh} {spec.fiscal_year}年部门预算 {spec.budget_line_code} {spec.budget_line_name}"
                ),
                "amount": value(estimate),
                "project": spec.title,
                "projectID": spec.reference,
            },
        },
        "tender": {
            "id": spec.reference,
            "title": spec.title,
            "description": spec.description,
            "status": "planned",
            "mainProcurementCategory": "services",
            "procurementMethod": PLANNING_METHOD_CODES[spec.method.code],
            "procurementMethodDetails": METHOD_DETAILS_ZH[spec.method.code],
            "value": value(estimate),
            "items": [
                {
                    "id": "1",
                    "description": spec.service.name,
                    "quantity": 1,
                    "unit": {"name": "项", "value": value(estimate)},
                }
            ],
            "contractPeriod": {
                "startDate": f"{spec.period_start.isoformat()}T00:00:00+08:00",
                "endDate": f"{spec.period_end.isoformat()}T23:59:59+08:00",
            },
            "costLines": cost_lines,
        },
    }


def tender_title(spec: ProjectSpec, attempt: AttemptSpec) -> str:
    return spec.title if attempt.number == 1 else f"{spec.title}（第{attempt.number}次）"


def tender_status(attempt: AttemptSpec, stage: str) -> str:
    """The Tender row's status when `stage` was announced."""
    if stage == "tender":
        return "published"
    if stage == "tenderCancellation":
        return "cancelled"
    if stage == "award":
        return "awarded"
    return "failed" if attempt.outcome == "failed" else "opened"


TENDER_STATUS_OCDS = {
    "published": "active",
    "opened": "active",
    "awarded": "complete",
    "failed": "unsuccessful",
    "cancelled": "cancelled",
}


def tender_release(spec: ProjectSpec, attempt: AttemptSpec, stage: str, moment: datetime) -> dict[str, Any]:
    """`build_tender` / `build_award` for the tender as it stood at `stage`."""
    buyer = spec.purchaser
    status = tender_status(attempt, stage)
    opened = status in ("opened", "failed", "awarded")
    bids = sorted(attempt.bids, key=lambda bid: bid.pk) if opened else []
    parties: dict[str, dict[str, Any]] = {party_id(buyer): party(buyer, ["buyer", "procuringEntity"])}
    for bid in bids:
        parties.setdefault(party_id(bid.provider), party(bid.provider, ["tenderer"]))
    budget = spec.estimate
    title = tender_title(spec, attempt)
    section: dict[str, Any] = {
        "id": attempt.reference,
        "title": title,
        "description": spec.description,
        "status": TENDER_STATUS_OCDS[status],
        "procuringEntity": party_reference(buyer),
        "value": value(budget),
        "procurementMethod": TENDER_METHOD_CODES.get(attempt.method.code, "open"),
        "procurementMethodDetails": attempt.method.name_zh,
        "mainProcurementCategory": "services",
        "awardCriteria": "priceOnly" if attempt.method.evaluation_method == "lowest_price" else "ratedCriteria",
        "awardCriteriaDetails": "；".join(f"{name} {weight}分" for name, weight, _price in attempt.criteria),
        "tenderPeriod": {"endDate": _date(attempt.bid_deadline), "startDate": _date(attempt.published_at)},
        "lots": [{"id": "1", "title": title, "value": value(budget), "status": "active"}],
        "documents": [],
    }
    if attempt.bid_bond:
        section["submissionMethodDetails"] = f"投标保证金 {attempt.bid_bond} 元（非现金形式）"
    position = spec.attempts.index(attempt)
    local_id, related = contracting_process(
        project_reference=spec.reference,
        project_title=spec.title,
        attempts=[(a.reference, tender_title(spec, a)) for a in spec.attempts],
        position=position,
    )
    release: dict[str, Any] = {
        "ocid": ocds.ocid_for(local_id),
        "date": _date(moment),
        "tag": [stage],
        "initiationType": "tender",
        "language": "zh",
        "buyer": party_reference(buyer),
        "tender": section,
    }
    if related:
        release["relatedProcesses"] = related
    if bids:
        section["numberOfTenderers"] = len({bid.provider.pk for bid in bids})
        section["tenderers"] = [party_reference(p) for p in {bid.provider.pk: bid.provider for bid in bids}.values()]
        release["bids"] = {
            "details": [
                {
                    "id": str(bid.pk),
                    "date": _date(bid.submitted_at),
                    "status": "valid",
                    "tenderers": [party_reference(bid.provider)],
                    "value": value(bid.price),
                    "relatedLots": ["1"],
                }
                for bid in bids
            ]
        }
    if stage == "award" and attempt.winner is not None and attempt.awarded_at is not None:
        winner = attempt.winner
        key = party_id(winner.provider)
        if key in parties:
            parties[key]["roles"] = sorted(set(parties[key]["roles"]) | {"supplier"})
        else:
            parties[key] = party(winner.provider, ["supplier"])
        release["awards"] = [
            {
                "id": f"{attempt.reference}-1",
                "title": title,
                "status": "active",
                "date": _date(attempt.awarded_at),
                "value": value(winner.price),
                "suppliers": [party_reference(winner.provider)],
                "relatedLots": ["1"],
                "relatedBid": str(winner.pk),
            }
        ]
    release["parties"] = list(parties.values())
    return release


def stages_of(spec: ProjectSpec) -> Iterator[tuple[datetime, str, str, int, int]]:
    """(date, stage, object type, object id, detail) of every release of the project; `detail`
    is the plan version or the attempt's position."""
    for version, moment in enumerate(spec.plan_dates):
        yield moment, "planning" if version == 0 else "planningUpdate", PROJECT_TYPE, spec.pk, version
    for position, attempt in enumerate(spec.attempts):
        yield attempt.published_at, "tender", TENDER_TYPE, attempt.pk, position
        if attempt.cancelled_at is not None:
            yield attempt.cancelled_at, "tenderCancellation", TENDER_TYPE, attempt.pk, position
        if attempt.opened_at is not None:
            yield attempt.opened_at, "tenderUpdate", TENDER_TYPE, attempt.pk, position
        if attempt.awarded_at is not None:
            yield attempt.awarded_at, "award", TENDER_TYPE, attempt.pk, position


def release_body(spec: ProjectSpec, moment: datetime, stage: str, detail: int) -> dict[str, Any]:
    if stage in ("planning", "planningUpdate"):
        return planning_release(spec, detail)
    return tender_release(spec, spec.attempts[detail], stage, moment)


@dataclass(frozen=True)
class StoredRelease:
    release_id: str
    ocid: str
    date: datetime
    tag: str
    document: str
    sha256: str


def store_form(body: dict[str, Any], moment: datetime) -> StoredRelease:
    """What publish_release stores for `body`: the id from the content digest, the canonical
    document with the id, and the document's sha256."""
    body = ocds.prune_empty(body)
    text = canonical_json(body)
    release_id = ocds.release_id_for(body["ocid"], hashlib.sha256(text.encode()).hexdigest())
    document = canonical_json({**body, "id": release_id})
    return StoredRelease(
        release_id=release_id,
        ocid=body["ocid"],
        date=moment.replace(microsecond=0),
        tag=body["tag"][0],
        document=document,
        sha256=hashlib.sha256(document.encode()).hexdigest(),
    )


def regions_namespace(rows: list[tuple[int, str, str]]) -> dict[str, Any]:
    return {code: SimpleNamespace(pk=pk, code=code, name_zh=name) for pk, code, name in rows}


def world_for(
    *, seed: int, total: int, regions: dict[str, Any], methods: dict[str, Method], organisation_pk: int
) -> World:
    """Purchasers (one per hundred projects) and providers (one per twenty), numbered from
    `organisation_pk`."""
    purchasers, providers = organisations(
        purchasers=max(4, total // 100), providers=max(8, total // 20), regions=regions, base_pk=organisation_pk
    )
    return World(
        seed=seed,
        city=regions[CITY[0]],
        districts=[regions[code] for code, _name, _en in DISTRICTS],
        purchasers=purchasers,
        providers=providers,
        methods=methods,
        base_pk={},
    )


def plan_projects(world: World, total: int, first_ids: dict[str, int]) -> list[ProjectSpec]:
    """Every project's specification; `first_ids` gives the first free id of project, tender,
    lot and bid (ids are handed out in project order, so they too follow from the seed)."""
    counters = dict(first_ids)

    def ids(kind: str) -> int:
        value = counters[kind]
        counters[kind] = value + 1
        return value

    return [project_spec(world, index, total, ids) for index in range(total)]


def release_stream(specs: list[ProjectSpec]) -> Iterator[tuple[str, str, int, StoredRelease]]:
    """(stage, object type, object id, stored release) of every release, in feed order: by date,
    ties by project and then stage order."""
    events = []
    for spec in specs:
        for order, (moment, stage, obj_type, obj_id, detail) in enumerate(stages_of(spec)):
            events.append((moment, spec.index, order, stage, obj_type, obj_id, detail))
    events.sort(key=lambda event: event[:3])
    for moment, index, _order, stage, obj_type, obj_id, detail in events:
        yield stage, obj_type, obj_id, store_form(release_body(specs[index], moment, stage, detail), moment)
