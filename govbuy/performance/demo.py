"""Demo performance evaluation: indicator templates for elderly care (A05), community social work
(B03) and basic medical and health services (A08), and evaluation rounds of the demo contracts in
every state, with satisfaction surveys (one with a flagged burst of answers), a third-party report,
a finance re-evaluation and published results.

The contracts demo's contracts are all community social work (B03); so that elderly care and
health services are evaluated too, two more contracts are made here (through the planning and
contracts services), each with a first milestone paid only after its evaluation: the elderly-care
one has its round published and the milestone then paid; the health one has its round in the
purchaser's evaluation while the accepted milestone waits for it. Everything goes through the
services; loading twice changes nothing."""

from __future__ import annotations

import datetime
import sys
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from govbuy.contracts import demo as contracts_demo
from govbuy.contracts.models import Contract, ContractStatus
from govbuy.contracts.services import drafting, signing
from govbuy.organizations.models import Organisation, OrganisationKind
from govbuy.performance.models import EvaluationRound, IndicatorTemplate
from govbuy.performance.services import commissions, rounds, surveys, templates
from govbuy.planning import demo as planning_demo
from govbuy.planning.models import BudgetLine, Project
from govbuy.planning.services import proposals, reviews
from govbuy.procurement import demo as procurement_demo
from govbuy.providers.samples import minimal_pdf

EFFECTIVE = datetime.date(2020, 1, 1)
CITY_FINANCE, STAFF, APPROVER, DISTRICT_FINANCE, EVALUATOR = (
    "city.finance",
    "dongcheng.health",
    "dongcheng.health.approver",
    "dongcheng.finance",
    "evaluator",
)


def _ratio(family: str, name: str, weight: str, unit: str, target: str, **extra: Any) -> dict[str, Any]:
    return {
        "family": family,
        "name": name,
        "weight": weight,
        "rule": "ratio",
        "unit": unit,
        "target_source": "template",
        "target_value": target,
        **extra,
    }


def _graded(family: str, name: str, weight: str, guidance: str) -> dict[str, Any]:
    return {"family": family, "name": name, "weight": weight, "rule": "graded", "guidance": guidance}


def _yes_no(family: str, name: str, weight: str) -> dict[str, Any]:
    return {"family": family, "name": name, "weight": weight, "rule": "yes_no"}


SATISFACTION = {
    "family": "satisfaction",
    "name": "服务对象满意度",
    "weight": "20",
    "rule": "ratio",
    "unit": "%",
    "target_source": "survey",
    "target_value": "90",
}
TEMPLATES: dict[str, tuple[str, list[dict[str, Any]]]] = {
    "A05": (
        "基本养老服务",
        [
            _ratio("output_quantity", "上门服务人次", "20", "人次", "500"),
            _graded("output_quality", "服务记录完整规范", "15", "抽查服务记录，缺项一处扣 1 分。"),
            _yes_no("output_timeliness", "按月提交服务报告", "10"),
            _ratio("output_cost", "人均服务成本", "10", "元", "150", direction="lower"),
            _graded("benefit_social", "老年人居家安全事件下降", "15", "对比上年度同期安全事件数量。"),
            _graded("benefit_sustainability", "志愿者队伍与服务制度建设", "10", "查看制度文件与志愿者名册。"),
            SATISFACTION,
        ],
    ),
    "B03": (
        "社工服务",
        [
            _ratio("output_quantity", "个案与小组服务人次", "20", "人次", "500"),
            _graded("output_quality", "个案服务过程规范", "15", "按社会工作服务标准抽查个案档案。"),
            _yes_no("output_timeliness", "按季度提交服务报告", "10"),
            _ratio("output_cost", "项目经费执行率", "10", "%", "95"),
            _graded("benefit_social", "社区参与和邻里互助改善", "15", "走访社区居委会，查看活动记录。"),
            _graded("benefit_sustainability", "社区骨干与志愿者培育", "10", "培育骨干人数与持续参与情况。"),
            SATISFACTION,
        ],
    ),
    "A08": (
        "基本医疗卫生",
        [
            _ratio("output_quantity", "巡诊与健康宣教人次", "25", "人次", "800"),
            _graded("output_quality", "诊疗与宣教记录合格", "15", "按卫生健康部门的记录规范抽查。"),
            _yes_no("output_timeliness", "突发情况 24 小时内响应", "10"),
            _ratio("output_cost", "单次服务成本", "10", "元", "60", direction="lower"),
            _graded("benefit_social", "居民健康知识知晓率提高", "10", "对比服务前后的抽样调查。"),
            _graded("benefit_sustainability", "签约居民持续随访", "10", "随访记录的连续性。"),
            SATISFACTION,
        ],
    ),
}
# The state each demo contract's round is walked to, in the order of the evaluable contracts.
STATES = ["published", "finance_review", "provider_response", "awaiting_approval", "self_assessment"]
# Contracts of the other categories: title, catalog item, provider index (procurement_demo.BIDDERS),
# value, the state of the round tied to the first milestone.
CATEGORY_CONTRACTS = [
    ("东城区社区养老驿站助浴上门服务", "A05-DC01", 0, "24000.00", "published"),
    ("东城区家庭医生签约居民随访服务", "A08", 1, "19500.00", "purchaser_evaluation"),
]
QUESTIONS = ["服务人员态度", "服务内容是否满足需要", "服务是否准时", "总体满意程度"]


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


def _scores(obj: EvaluationRound, quality: Decimal) -> list[dict[str, Any]]:
    rows = []
    for indicator in obj.template.indicators.all():
        row: dict[str, Any] = {"indicator": indicator.pk, "evidence": "服务台账、签到表和月度报告", "comment": ""}
        if indicator.rule == "graded":
            row["value"] = str((indicator.weight * quality).quantize(Decimal("0.5")))
            row["comment"] = "抽查记录基本完整。" if quality > Decimal("0.8") else "部分记录缺项，需整改。"
        elif indicator.rule == "yes_no":
            row["achieved"] = quality > Decimal("0.7")
        elif indicator.target_source == "survey":
            row["value"] = "95"
        elif indicator.direction == "lower":
            row["value"] = str((indicator.target_value or Decimal(1)) / quality)
        else:
            row["value"] = str(((indicator.target_value or Decimal(1)) * quality).quantize(Decimal("1")))
        rows.append(row)
    return rows


def _survey(contract: Contract, obj: EvaluationRound, staff: Any, *, burst: bool) -> None:
    survey = surveys.open_survey(
        actor=staff,
        contract=contract,
        round=obj,
        title=f"{contract.title}服务对象满意度调查",
        questions=QUESTIONS,
        closes_at=timezone.now() + datetime.timedelta(days=30),
    )
    survey, codes = surveys.issue_invitations(actor=staff, survey=survey, version=survey.version, count=20)
    for index, code in enumerate(codes[:8]):
        ratings = [5, 4 + index % 2, 4, 5 - index % 3 // 2]
        surveys.submit_answer(
            code=code,
            ratings=ratings,
            comment="服务人员很耐心。" if index == 0 else "",
            client_address=f"10.8.0.{index}",
        )
    if burst:
        # Six answers from one address within minutes: flagged as a burst, still counted.
        for code in codes[8:14]:
            surveys.submit_answer(code=code, ratings=[5, 5, 5, 5], client_address="10.8.1.200")


def _walk(
    contract: Contract,
    state: str,
    people: dict[str, Any],
    *,
    index: int,
    milestone: Any = None,
    third_party: bool = True,
) -> EvaluationRound:
    staff, approver, provider = people["staff"], people["approver"], people["provider"]
    final = contract.status == ContractStatus.COMPLETED
    obj = rounds.open_round(actor=staff, contract=contract, kind="final" if final else "periodic", milestone=milestone)
    if state == "self_assessment":
        return rounds.enter_scores(
            actor=provider, round=obj, version=obj.version, scores=_scores(obj, Decimal("0.95"))[:3]
        )
    quality = Decimal("0.95") if index % 2 == 0 else Decimal("0.75")
    _survey(contract, obj, staff, burst=index == 0)
    if state in ("published", "finance_review"):
        if third_party and people["evaluator"] and people["evaluator_org"] and state == "published":
            commission = commissions.commission(
                actor=staff, round=obj, version=obj.version, evaluator=people["evaluator_org"]
            )
            obj.refresh_from_db()
            obj = rounds.enter_scores(
                actor=people["evaluator"], round=obj, version=obj.version, scores=_scores(obj, Decimal("0.9"))
            )
            commissions.deliver_report(
                actor=people["evaluator"],
                commission=commission,
                version=commission.version,
                name="第三方绩效评价报告.pdf",
                data=minimal_pdf(f"third-party evaluation {contract.reference}"),
            )
            obj.refresh_from_db()
        obj = rounds.select_for_reevaluation(actor=people["finance"], round=obj, version=obj.version)
    obj = rounds.enter_scores(actor=provider, round=obj, version=obj.version, scores=_scores(obj, Decimal("0.98")))
    obj = rounds.submit_self_assessment(actor=provider, round=obj, version=obj.version)
    if state == "purchaser_evaluation":
        # The purchaser has scored the first indicators and not yet submitted.
        return rounds.enter_scores(actor=staff, round=obj, version=obj.version, scores=_scores(obj, quality)[:3])
    obj = rounds.enter_scores(actor=staff, round=obj, version=obj.version, scores=_scores(obj, quality))
    obj = rounds.submit_evaluation(actor=staff, round=obj, version=obj.version)
    if state == "awaiting_approval":
        return obj
    obj = rounds.finalise(actor=approver, round=obj, version=obj.version)
    if obj.status == "finance_review":
        if state == "finance_review":
            return obj
        obj = rounds.enter_scores(
            actor=people["finance"], round=obj, version=obj.version, scores=_scores(obj, Decimal("0.9"))
        )
        obj = rounds.reevaluate(actor=people["finance"], round=obj, version=obj.version)
    if state == "provider_response":
        return obj
    rounds.respond(
        actor=provider, round=obj, version=obj.version, body="感谢评价。对记录缺项问题已制定整改方案，下季度完成。"
    )
    obj.refresh_from_db()
    return rounds.publish(actor=staff, round=obj, version=obj.version)


def _category_project(purchaser: Organisation, title: str, code: str, value: str, people: dict[str, Any]) -> Any:
    line = BudgetLine.objects.filter(
        budget__purchaser=purchaser, budget__fiscal_year=planning_demo.year(), code="30227"
    ).first()
    item = planning_demo._item(purchaser, code)
    if line is None or item is None:
        return None
    project = proposals.propose_project(
        actor=people["staff"],
        purchaser=purchaser,
        budget_line=line,
        title=title,
        catalog_item=item,
        service_description=f"{title}：委托具备资质的社会力量承接，按季度提交服务记录和报告。",
        beneficiaries="东城区居家老年人及签约居民",
        period_start=planning_demo.period()[0],
        period_end=planning_demo.period()[1],
        suggested_method="commission",
        in_procurement_scope=False,
        cost_lines=planning_demo._costs(("委托服务", "operations", "项", "1", value)),
        targets=planning_demo._targets(("服务人次", "500", "人次")),
    )
    project = reviews.submit_project(actor=people["staff"], project=project, version=project.version)
    project = reviews.start_review(actor=people["finance"], project=project, version=project.version)
    return reviews.approve_project(
        actor=people["finance"], project=project, version=project.version, comment="同意委托。"
    )


def _category_contract(project: Project, provider_index: int, value: str, people: dict[str, Any]) -> Contract:
    """Drawn by commission, its first milestone paid after its evaluation; signed and published."""
    provider_user, provider = people["bidders"][provider_index]
    contract = drafting.draw_from_commission(
        actor=people["staff"],
        project=project,
        provider=provider,
        value=value,
        reason=contracts_demo.REASON,
        bond_amount="0",
        no_financing_guarantee=True,
    )
    start, end = planning_demo.period()
    half = {"percentage": "50", "quantity_target": "250 人次", "quality_target": "服务对象满意度 ≥ 90%"}
    contract = drafting.set_milestones(
        actor=people["staff"],
        contract=contract,
        version=contract.version,
        milestones=[
            {
                "title": "上半年服务（经绩效评价后支付）",
                "due_date": start + (end - start) / 2,
                "needs_evaluation": True,
                **half,
            },
            {"title": "下半年服务", "due_date": end, **half},
        ],
    )
    account = contracts_demo._payee(provider_user, provider, provider_index)
    contract = drafting.choose_payee(actor=provider_user, contract=contract, version=contract.version, account=account)
    contract = signing.provider_sign(actor=provider_user, contract=contract, version=contract.version)
    contract = signing.purchaser_sign(actor=people["staff"], contract=contract, version=contract.version)
    contract = signing.file_with_finance(actor=people["staff"], contract=contract, version=contract.version)
    contract = signing.publish(actor=people["staff"], contract=contract, version=contract.version)
    # The acceptance is a dated story in the contracts demo; this demo is one step, so it runs
    # the story's steps now, one after the other.
    for _moment in contracts_demo._accept(people, contracts_demo._deliver(contract, provider_user, 1)):
        pass
    return contracts_demo._fresh(contract)


def _other_categories(people: dict[str, Any]) -> int:
    """Evaluations of elderly-care and health contracts; the payment of a milestone tied to its
    evaluation is recorded once the round is published."""
    purchaser = Organisation.objects.filter(name_zh=procurement_demo.PURCHASER).first()
    builders = procurement_demo._people()
    if purchaser is None or builders is None:
        return 0
    created = 0
    for index, (title, code, provider_index, value, state) in enumerate(CATEGORY_CONTRACTS, start=1):
        project = Project.objects.filter(purchaser=purchaser, title=title).first()
        if project is not None and Contract.objects.filter(project=project).exists():
            continue
        if project is None:
            project = _category_project(purchaser, title, code, value, builders)
            if project is None:
                continue
        contract = _category_contract(project, provider_index, value, builders)
        provider_user = builders["bidders"][provider_index][0]
        milestone = contract.milestones.get(sequence=1)
        _walk(
            contract,
            state,
            {**people, "provider": provider_user},
            index=index,
            milestone=milestone,
            third_party=False,
        )
        if state == "published":
            contracts_demo._pay(contract, builders, 1)
        created += 1
    return created


def load() -> int:
    """Create what is missing; return how many records were created."""
    city_finance = _user(CITY_FINANCE)
    people = {
        "staff": _user(STAFF),
        "approver": _user(APPROVER),
        "finance": _user(DISTRICT_FINANCE),
        "evaluator": _user(EVALUATOR),
        "evaluator_org": Organisation.objects.filter(kind=OrganisationKind.THIRD_PARTY_EVALUATOR)
        .order_by("pk")
        .first(),
    }
    if city_finance is None or any(people[k] is None for k in ("staff", "approver", "finance")):
        sys.stderr.write("Performance demo data skipped: the demo world is not loaded.\n")
        return 0
    created = 0
    for code, (name, indicators) in TEMPLATES.items():
        if not IndicatorTemplate.objects.filter(category_code=code).exists():
            templates.create_template(
                actor=city_finance,
                category_code=code,
                category_name=name,
                effective_from=EFFECTIVE,
                indicators=indicators,
                note="依据财政部绩效评价指标体系框架，结合本市实践设定。",
            )
            created += 1
    evaluable = sorted(
        Contract.objects.filter(
            status__in=[ContractStatus.COMPLETED, ContractStatus.PUBLISHED, ContractStatus.TERMINATED],
            purchaser__memberships__user=people["staff"],
        ).select_related("provider"),
        # The completed contract gets the published final evaluation.
        key=lambda c: (c.status != ContractStatus.COMPLETED, c.pk),
    )
    for index, (contract, state) in enumerate(zip(evaluable, STATES, strict=False)):
        if EvaluationRound.objects.filter(contract=contract).exists():
            continue
        member = (
            contract.provider.memberships.filter(is_active=True, role__in=["admin", "staff"])
            .select_related("user")
            .first()
        )
        if member is None:
            continue
        _walk(contract, state, {**people, "provider": member.user}, index=index)
        created += 1
    return created + _other_categories(people)
