"""Demo contracts in every state (issue 12), made through the services acting as the demo users,
for the Dongcheng Health Commission. One contract is drawn from an award: the procurement demo's
awarded tender has a challenge awaiting its answer, so its contract may not be drawn yet (the page
says so); a further public tender is therefore run here through procurement's services (bids,
opening, evaluation, award) and its award, unchallenged, becomes a contract in delivery. The others
are each drawn from an approved project outside the procurement scope commissioned to a verified
demo provider. One contract per state: draft, signed, published, in delivery (one milestone
accepted and paid, the next returned, a monitoring visit), amended, suspended while a complaint is
decided, terminated for subcontracting, and completed. Each step is on its day
(govbuy.core.timeline): projects approved in summer, contracts signed within days of drawing and
published within the two working days the law allows, deliveries around the milestones' dates.

Loading twice changes nothing: a project that already has a contract is left alone. Needs the
demo world, the providers and the planning and procurement demos loaded first.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from django.utils import timezone

from govbuy.contracts.models import Contract, PayeeAccount
from govbuy.contracts.samples import pdf
from govbuy.contracts.services import changes, delivery, drafting, payments, signing, subcontracting
from govbuy.core import timeline
from govbuy.core.calendar.rules import SHANGHAI, local_date
from govbuy.organizations.models import Organisation
from govbuy.planning import demo as planning_demo
from govbuy.planning.models import BudgetLine, Project
from govbuy.planning.services import proposals, reviews
from govbuy.procurement import demo as procurement_demo
from govbuy.procurement.models import Award, AwardStatus, Tender
from govbuy.providers.models import StaffEntry

REASON = "该事项属于政府采购范围外的公共服务，依据《政府购买服务管理办法》以委托方式购买，已经财政部门审核同意。"
# title, provider index in procurement_demo.BIDDERS, value, state
PLANS = [
    ("东城区老年人能力评估委托服务", 0, "15000.00", "draft"),
    ("东城区家庭医生签约宣传委托服务", 1, "12000.00", "signed"),
    ("东城区失智老人照护培训委托服务", 0, "18000.00", "published"),
    ("东城区居家医疗护理巡诊委托服务", 0, "22000.00", "in_delivery"),
    ("东城区心理健康热线委托服务", 1, "13500.00", "amended"),
    ("东城区医养结合机构质量评估委托服务", 1, "16500.00", "suspended"),
    ("东城区社区康复站运营委托服务", 0, "21000.00", "subcontracted"),
    ("东城区控烟宣传委托服务", 0, "9000.00", "completed"),
]
ACCOUNTS = {0: "0200001909300012345", 1: "0200002109300067890"}
# The tender run here for a contract drawn from an award (procurement_demo.EXTRA_PROJECTS' shape).
AWARDED = (
    "东城区家庭照护者技能培训服务",
    "B03",
    "为东城区失能老人家庭照护者提供护理技能培训和上门指导服务。",
    "东城区失能老人家庭照护者",
    [("培训课时", "operations", "课时", "100", "300.00")],
    ("培训人次", "400", "人次"),
    "public_tender",
)


def _period(state: str) -> tuple[dt.date, dt.date]:
    """The projects' service period; the completed contract's is a short one that has ended."""
    start, end = planning_demo.period()
    return (start, start + dt.timedelta(days=89)) if state == "completed" else (start, end)


def _project(purchaser: Organisation, title: str, value: str, people: dict[str, Any], state: str) -> Project | None:
    """The commissioned project, proposed and submitted (its review is a story step)."""
    budget_line = BudgetLine.objects.filter(
        budget__purchaser=purchaser, budget__fiscal_year=planning_demo.year(), code="30227"
    ).first()
    if budget_line is None:
        return None
    project = proposals.propose_project(
        actor=people["staff"],
        purchaser=purchaser,
        budget_line=budget_line,
        title=title,
        catalog_item=planning_demo._item(purchaser, "B03"),
        service_description=f"{title}：委托具备资质的社会力量承接，按季度提交服务记录和报告。",
        beneficiaries="东城区居民",
        period_start=_period(state)[0],
        period_end=_period(state)[1],
        suggested_method="commission",
        in_procurement_scope=False,
        cost_lines=planning_demo._costs(("委托服务", "operations", "项", "1", value)),
        targets=planning_demo._targets(("服务人次", "500", "人次")),
    )
    return reviews.submit_project(actor=people["staff"], project=project, version=project.version)


def _payee(user: Any, organisation: Organisation, index: int) -> PayeeAccount:
    account = PayeeAccount.objects.filter(organisation=organisation).first()
    if account is not None:
        return account
    return drafting.add_payee_account(
        actor=user,
        organisation=organisation,
        bank_name="中国工商银行北京东城支行",
        account_name=organisation.name_zh,
        account_number=ACCOUNTS[index],
    )


def _fresh(contract: Contract) -> Contract:
    return Contract.objects.get(pk=contract.pk)


def _deliver(contract: Contract, provider_user: Any, sequence: int, author: str = "") -> Any:
    return delivery.submit_deliverable(
        actor=provider_user,
        contract=contract,
        milestone=contract.milestones.get(sequence=sequence),
        summary=f"第{sequence}阶段服务已完成，附服务记录和签到表。",
        quantity_achieved="260 人次",
        files=[("服务记录", f"records-{sequence}.pdf", pdf(f"service records {sequence}", author))],
    )


def _accept(people: dict[str, Any], deliverable: Any) -> timeline.Story:
    """Checked by the purchaser's staff two working days after delivery, confirmed by its
    approver the next day (four eyes)."""
    delivered = timezone.now()
    yield timeline.working_days_after(delivered, 2, hour=10)
    deliverable.refresh_from_db()
    deliverable = delivery.accept_deliverable(
        actor=people["staff"], deliverable=deliverable, version=deliverable.version
    )
    yield timeline.working_days_after(delivered, 3, hour=15)
    delivery.accept_deliverable(actor=people["approver"], deliverable=deliverable, version=deliverable.version)
    return 0


def _pay(contract: Contract, people: dict[str, Any], sequence: int) -> None:
    contract = _fresh(contract)
    milestone = contract.milestones.get(sequence=sequence)
    payments.record_payment(
        actor=people["staff"],
        contract=contract,
        milestone=milestone,
        amount=(contract.value * milestone.percentage / 100).quantize(contract.value),
        payee=contract.payee_id,
        reference=f"GK{contract.pk:04d}{sequence}",
    )


def _award_story() -> timeline.Story:
    """A public tender run in summer for AWARDED: its award, unchallenged, becomes a contract in
    delivery, drawn three working days after the award notice and signed within the 30 days
    the law allows (Law Art. 46)."""
    yield timeline.day(PROJECTS_DAY, hour=15)
    purchaser = Organisation.objects.filter(name_zh=procurement_demo.PURCHASER).first()
    people = procurement_demo._people()
    if purchaser is None or people is None:
        return 0
    project = Project.objects.filter(purchaser=purchaser, title=AWARDED[0]).first()
    if project is None:
        project = procurement_demo._extra_project(purchaser, AWARDED, people, review=False)
        if project is None:
            return 0
        project = yield from planning_demo.reviewed(project, finance=people["finance"], comment="同意。")
    if not Tender.objects.filter(project=project).exists():
        yield timeline.day(TENDER_DAY, hour=9, minute=30)
        tender = procurement_demo._published(project, people, days=21)
        yield from procurement_demo._procedure(tender, people, ("0.93", "0.96", "0.98"), "awarded")
    award = Award.objects.filter(tender__project=project, status=AwardStatus.ACTIVE).first()
    if award is None or Contract.objects.filter(award=award).exists():
        return 0
    yield timeline.working_days_after(award.confirmed_at or timezone.now(), 3, hour=10)
    index = next(i for i, (_user, org) in enumerate(people["bidders"]) if org.pk == award.provider_id)
    contract = drafting.draw_from_award(actor=people["staff"], award=award, no_financing_guarantee=True)
    yield from _carry(contract, index, "in_delivery", people)
    return 1


def _commission_story(index: int, title: str, provider_index: int, value: str, state: str) -> timeline.Story:
    """A project outside the procurement scope, approved in July and commissioned a week later,
    then taken to `state`."""
    yield timeline.day(PROJECTS_DAY, hour=9 + index % 6)
    purchaser = Organisation.objects.filter(name_zh=procurement_demo.PURCHASER).first()
    people = procurement_demo._people()
    if purchaser is None or people is None:
        return 0
    project = Project.objects.filter(purchaser=purchaser, title=title).first()
    if project is not None and Contract.objects.filter(project=project).exists():
        return 0
    if project is None:
        project = _project(purchaser, title, value, people, state)
        if project is None:
            return 0
        project = yield from planning_demo.reviewed(project, finance=people["finance"], comment="同意委托。")
    yield timeline.day(DRAW_DAY + index, hour=10)
    _, provider = people["bidders"][provider_index]
    contract = drafting.draw_from_commission(
        actor=people["staff"],
        project=project,
        provider=provider,
        value=value,
        reason=REASON,
        bond_amount="0",
        no_financing_guarantee=True,
    )
    yield from _carry(contract, provider_index, state, people)
    return 1


# The story's days (govbuy.core.timeline): commissioned projects approved, the tender for
# AWARDED published, the commissions drawn.
PROJECTS_DAY, TENDER_DAY, DRAW_DAY = 130, 140, 144


def _signing(contract: Contract, provider_index: int, people: dict[str, Any]) -> timeline.Story:
    """The provider chooses its account and signs the next working day, the purchaser the day
    after; filed with the finance bureau and published the working day after that (within the 7
    and 2 working days the law allows, Law Art. 47, Reg. Art. 50)."""
    provider_user, provider = people["bidders"][provider_index]
    drawn = timezone.now()
    yield timeline.working_days_after(drawn, 1, hour=11)
    account = _payee(provider_user, provider, provider_index)
    contract = _fresh(contract)
    contract = drafting.choose_payee(actor=provider_user, contract=contract, version=contract.version, account=account)
    contract = signing.provider_sign(actor=provider_user, contract=contract, version=contract.version)
    yield timeline.working_days_after(drawn, 2, hour=15)
    contract = signing.purchaser_sign(actor=people["staff"], contract=_fresh(contract), version=contract.version)
    yield timeline.working_days_after(drawn, 3, hour=10)
    contract = signing.file_with_finance(actor=people["staff"], contract=contract, version=contract.version)
    return 0


def _carry(contract: Contract, provider_index: int, state: str, people: dict[str, Any]) -> timeline.Story:
    """Take a drawn contract to `state`, each step on its day: milestones when drawn, signing
    over the next days, then delivery around the first milestone's due date."""
    provider_user, _provider = people["bidders"][provider_index]
    start, end = contract.period_start, contract.period_end
    first_due = start + dt.timedelta(days=44 if state == "completed" else 75)
    half = {"percentage": "50", "quantity_target": "250 人次", "quality_target": "服务对象满意度 ≥ 90%"}
    contract = drafting.set_milestones(
        actor=people["staff"],
        contract=contract,
        version=contract.version,
        milestones=[
            {"title": "第一阶段服务", "due_date": first_due, **half},
            {"title": "第二阶段服务", "due_date": end, **half},
        ],
    )
    if state == "draft":
        return 0
    yield from _signing(contract, provider_index, people)
    contract = _fresh(contract)
    if state == "signed":
        return 0
    contract = signing.publish(
        actor=people["staff"],
        contract=contract,
        version=contract.version,
        withheld=[{"section": "settlement", "reason": "报价构成及人工成本明细属承接主体商业秘密"}],
    )
    if state == "published":
        return 0
    due = _office(first_due)
    if state == "in_delivery":
        yield timeline.days_after(due, -30, hour=14)
        delivery.record_visit(
            actor=people["staff"],
            contract=contract,
            visited_on=local_date(timezone.now()),
            rating="concerns",
            findings="抽查3户服务对象，其中1户反映上门时间不固定。",
        )
        yield timeline.days_after(due, -6, hour=16)
        deliverable = _deliver(_fresh(contract), provider_user, 1)
        yield from _accept(people, deliverable)
        yield timeline.days_after(due, 8, hour=11)
        _pay(contract, people, 1)
        yield timeline.ago(10, hour=16)
        returned = _deliver(_fresh(contract), provider_user, 2)
        yield timeline.ago(6, hour=10)
        returned.refresh_from_db()
        delivery.return_deliverable(
            actor=people["staff"],
            deliverable=returned,
            version=returned.version,
            reasons="签到表缺少服务对象签字，请补充后重新提交。",
        )
    elif state == "amended":
        yield timeline.days_after(due, -20, hour=10)
        contract = _fresh(contract)
        amendment = changes.propose_amendment(
            actor=people["staff"],
            contract=contract,
            version=contract.version,
            rationale="value_increase",
            description="服务对象增加，追加同类热线服务时段。",
            value_change=str((contract.value * 8 / 100).quantize(contract.value)),
        )
        yield timeline.days_after(due, -19, hour=15)
        changes.confirm_amendment(actor=people["approver"], amendment=amendment)
    elif state == "suspended":
        yield timeline.ago(20, hour=11)
        contract = _fresh(contract)
        changes.suspend(
            actor=people["finance"],
            contract=contract,
            version=contract.version,
            reason="投诉处理期间暂停履行（条例第五十四条）。",
        )
    elif state == "subcontracted":
        yield timeline.working_days_after(timezone.now(), 3, hour=10)
        _, other = people["bidders"][1]
        staff = StaffEntry.objects.filter(section__profile__organisation=other).exclude(certificate_number="").first()
        subcontracting.add_roster_member(
            actor=provider_user,
            contract=_fresh(contract),
            name=staff.name if staff else "林涛",
            role="康复师",
            certificate_number=staff.certificate_number if staff else "",
            from_date=start,
            to_date=end,
        )
        yield timeline.days_after(due, -5, hour=16)
        _deliver(_fresh(contract), provider_user, 1, author=other.name_zh)
        yield timeline.days_after(due, 2, hour=10)
        contract = _fresh(contract)
        subcontracting.record_finding(
            actor=people["staff"],
            contract=contract,
            version=contract.version,
            finding="现场核查发现康复站由其他机构人员运营，服务记录亦由该机构编制。",
        )
    elif state == "completed":
        for sequence, milestone_due in ((1, due), (2, _office(end))):
            yield timeline.days_after(milestone_due, -5, hour=16)
            deliverable = _deliver(_fresh(contract), provider_user, sequence)
            yield from _accept(people, deliverable)
            yield timeline.days_after(milestone_due, 6, hour=11)
            _pay(contract, people, sequence)
        yield timeline.working_days_after(timezone.now(), 2, hour=10)
        contract = _fresh(contract)
        changes.complete(actor=people["staff"], contract=contract, version=contract.version)
    return 0


def _office(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), tzinfo=SHANGHAI)


def load() -> int:
    """Create what is missing; return how many records were created."""
    if procurement_demo._people() is None:
        sys.stderr.write("Contract demo data skipped: the demo world is not loaded.\n")
        return 0
    return timeline.load_alone(stories)


def stories() -> list[timeline.Story]:
    """The commissioned contracts and the tender for AWARDED, from July (govbuy.core.timeline)."""
    return [
        *[_commission_story(index, *plan) for index, plan in enumerate(PLANS)],
        _award_story(),
    ]
