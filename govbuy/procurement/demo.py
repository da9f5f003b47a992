"""Demo tenders in every state (issue 6): for the Dongcheng Health Commission, from the planning
demo's approved projects and two more approved here, one tender awarded (with one challenge
awaiting its answer and another answered and taken to the finance bureau as a complaint), one
evaluated (its winner to confirm), one opened (its panel drawn, the experts to declare), one open
for bids, one draft, one failed (too few bids) and one cancelled; and one awarded again after its
winner refused to sign (demo_refusal). Six experts with accounts form
the pool; three verified demo providers bid.

Everything goes through the services, acting as the demo users, so each step is validated and
audited like real work, on its day (govbuy.core.timeline): the failed and the cancelled tenders
in early summer, the others in the last six weeks, each with at least its method's minimum period
between notice and deadline, bids received before the deadline and the opening after it.

Loading twice changes nothing: a project that already has a tender is left alone, and experts
and projects are looked up by their natural keys first. Needs the demo world, the provider
profiles and the planning demo loaded first; without them nothing is created.
"""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from govbuy.accounts import services as account_services
from govbuy.core import timeline
from govbuy.core.pdf import CjkFontMissing, render_pdf
from govbuy.organizations.models import Organisation
from govbuy.planning import demo as planning_demo
from govbuy.planning.models import Budget, BudgetLine, Project, ProjectStatus
from govbuy.planning.services import proposals as planning_proposals
from govbuy.planning.services import reviews as planning_reviews
from govbuy.procurement import demo_refusal
from govbuy.procurement.models import Bid, BidStatus, Criterion, Expert, Ranking, Tender
from govbuy.procurement.services import awards, bids, challenges, evaluation, opening, tenders
from govbuy.providers.samples import minimal_pdf

PURCHASER = "北京市东城区卫生健康委员会"
STAFF, APPROVER, FINANCE, CITY_FINANCE = (
    "dongcheng.health",
    "dongcheng.health.approver",
    "dongcheng.finance",
    "city.finance",
)
# demo user → the verified provider it bids for
BIDDERS = [
    ("sunshine", "北京市东城区阳光居家养老服务中心"),
    ("kangle", "北京市朝阳区康乐社会工作事务所"),
    ("qingyuan", "北京清源物业管理有限公司"),
]
# username, name, expertise
EXPERTS = [
    ("expert.zhang", "张明华", "养老服务"),
    ("expert.li", "李淑芬", "社会工作"),
    ("expert.wang", "王建军", "财务管理"),
    ("expert.zhao", "赵雅琴", "公共卫生"),
    ("expert.sun", "孙立新", "法律"),
    ("expert.zhou", "周慧敏", "社区治理"),
]
CRITERIA = [
    {"name": "价格", "weight": 30, "is_price": True},
    {"name": "服务方案", "weight": 50},
    {"name": "人员配置与管理", "weight": 20},
]
# Share of each non-price criterion's weight the panel gives each bidder, by position in BIDDERS.
QUALITY = (Decimal("0.9"), Decimal("0.8"), Decimal("0.7"))

# Two more approved projects, so that every live state has a project of its own (a project has
# at most one tender under way): title, catalog item, description, beneficiaries, costs, target.
EXTRA_PROJECTS = [
    (
        "东城区困境家庭社会工作服务",
        "B03",
        "在东城区4个街道为困境家庭提供个案管理、家庭支持和资源链接等社会工作服务。",
        "东城区困境家庭",
        [("驻点社工", "personnel", "人·月", "24", "7000.00")],
        ("个案服务数", "80", "个"),
        "public_tender",
    ),
    (
        "东城区残疾人居家托养服务",
        "A14",
        "为东城区重度残疾人提供居家托养和康复训练服务。",
        "东城区重度残疾人",
        [("居家托养", "personnel", "人·月", "120", "900.00")],
        ("托养服务人数", "10", "人"),
        "competitive_consultation",
    ),
]


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


def _deadline(days: int = 30) -> dt.datetime:
    """A deadline `days` after now (the moment the demo's clock shows), moved to the next working
    day at 09:30 Beijing time: at least the method's minimum period when `days` is (public
    tender: 20 days, Law Art. 35; competitive consultation: 10)."""
    return timeline.days_after(timezone.now(), days, hour=9, minute=30)


def _experts(password: str, finance: Any) -> int:
    created = 0
    for username, name, expertise in EXPERTS:
        user = _user(username)
        if user is None:
            user = account_services.create_user(actor=None, username=username, password=password, display_name=name)
            created += 1
        if not Expert.objects.filter(user=user).exists():
            evaluation.create_expert(
                actor=finance, name=name, expertise=expertise, user=user, affiliation="北京市评审专家库"
            )
            created += 1
    return created


def _extra_project(
    purchaser: Organisation, spec: Any, people: dict[str, Any], *, review: bool = True
) -> Project | None:
    """An approved project of EXTRA_PROJECTS' shape (only submitted with review=False: a story
    then lets the finance bureau take its days, `planning_demo.reviewed`)."""
    title, code, description, beneficiaries, costs, target, method = spec
    budget = Budget.objects.filter(purchaser=purchaser, fiscal_year=planning_demo.year()).first()
    item = planning_demo._item(purchaser, code)
    if budget is None or item is None:
        return None
    project = planning_proposals.propose_project(
        actor=people["staff"],
        purchaser=purchaser,
        budget_line=BudgetLine.objects.get(budget=budget, code="30227"),
        title=title,
        catalog_item=item,
        service_description=description,
        beneficiaries=beneficiaries,
        period_start=planning_demo.period()[0],
        period_end=planning_demo.period()[1],
        suggested_method=method,
        cost_lines=planning_demo._costs(*[(d, c, u, q, p) for d, c, u, q, p in costs]),
        targets=planning_demo._targets(target),
    )
    project = planning_reviews.submit_project(actor=people["staff"], project=project, version=project.version)
    if not review:
        return project
    project = planning_reviews.start_review(actor=people["finance"], project=project, version=project.version)
    return planning_reviews.approve_project(
        actor=people["finance"], project=project, version=project.version, comment="同意。"
    )


def _draft(
    project: Project, people: dict[str, Any], *, bond: str = "0", days: int = 30, deadline: dt.datetime | None = None
) -> Tender:
    return tenders.create_tender(
        actor=people["staff"],
        project=project,
        bid_deadline=deadline or _deadline(days),
        bid_bond=bond,
        criteria=CRITERIA,
    )


def _tender_file(tender: Tender) -> bytes:
    """The tender documents as a PDF in Chinese (a one-line placeholder file where the machine has
    no Chinese font: the demo still loads, and `make run` said which package to install)."""
    html = (
        '<html lang="zh-Hans"><head><meta charset="utf-8"><style>body{font-family:"Noto Sans CJK SC",sans-serif}'
        f"</style></head><body><h1>{tender.title} 招标文件</h1><p>项目编号：{tender.reference}</p>"
        f"<p>采购人：{tender.purchaser.name_zh}</p><h2>第一章 投标邀请</h2><p>{tender.description}</p>"
        "<h2>第二章 投标人须知</h2><p>投标人应当具备《中华人民共和国政府采购法》第二十二条规定的条件。</p>"
        "<h2>第三章 服务需求</h2><p>详见采购需求书。</p><h2>第四章 评审办法</h2><p>综合评分法。</p></body></html>"
    )
    try:
        return render_pdf(html)
    except CjkFontMissing:
        return minimal_pdf(f"Tender documents {tender.reference}")


def _published(
    project: Project, people: dict[str, Any], *, days: int = 30, deadline: dt.datetime | None = None
) -> Tender:
    tender = _draft(project, people, days=days, deadline=deadline)
    tenders.add_document(
        actor=people["staff"],
        tender=tender,
        version=tender.version,
        title="招标文件",
        file_name=f"{tender.reference}-招标文件.pdf",
        data=_tender_file(tender),
    )
    tender.refresh_from_db()
    return tenders.publish_tender(actor=people["staff"], tender=tender, version=tender.version)


def _bid(tender: Tender, people: dict[str, Any], index: int, price: Decimal) -> Bid:
    user, organisation = people["bidders"][index]
    return bids.submit_bid(actor=user, tender=tender, provider=organisation, price=str(price))


def _bidding(tender: Tender, people: dict[str, Any], shares: tuple[str, ...]) -> timeline.Story:
    """After publication: the bidders' bids at the given shares of the budget, a few days apart,
    then the opening by two users (four eyes) half an hour after the deadline."""
    published = tender.published_at or timezone.now()
    period = (tender.bid_deadline - published).days
    for index, share in enumerate(shares):
        yield timeline.days_after(published, max(1, (index + 1) * period // (len(shares) + 1)), hour=10 + index)
        _bid(tender, people, index, (tender.budget * Decimal(share)).quantize(Decimal("1")))
    yield tender.bid_deadline + dt.timedelta(minutes=30)
    opening.initiate_opening(actor=people["staff"], tender=tender)
    opening.confirm_opening(actor=people["approver"], tender=tender)
    tender.refresh_from_db()
    return 0


def _procedure(tender: Tender, people: dict[str, Any], shares: tuple[str, ...], until: str) -> timeline.Story:
    """A published tender taken on to `until` ("opened", "evaluated" or "awarded"): bids and
    opening, the panel the next working day, the award the working day after."""
    yield from _bidding(tender, people, shares)
    if until == "opened":
        return 0
    yield timeline.working_days_after(tender.bid_deadline, 1, hour=9)
    _evaluate(tender, people)
    if until == "awarded":
        yield timeline.working_days_after(tender.bid_deadline, 2, hour=10)
        _award(tender, people)
    return 0


def _evaluate(tender: Tender, people: dict[str, Any]) -> Tender:
    panel = evaluation.draw_panel(actor=people["staff"], tender=tender)
    criteria = list(Criterion.objects.filter(tender=tender, is_price=False))
    order = {org.pk: i for i, (_user_, org) in enumerate(people["bidders"])}
    opened = list(Bid.objects.filter(tender=tender, status=BidStatus.OPENED).defer("ciphertext", "nonce"))
    for member in panel.members.select_related("expert__user"):
        expert = member.expert.user
        evaluation.declare(actor=expert, tender=tender, conflict=False)
        for bid in opened:
            share = QUALITY[order.get(bid.provider_id, len(QUALITY) - 1)]
            scores = {c.pk: str((c.weight * share).quantize(Decimal("1"))) for c in criteria}
            evaluation.score_bid(actor=expert, tender=tender, bid=bid, scores=scores)
    evaluation.complete_evaluation(actor=people["staff"], tender=tender)
    tender.refresh_from_db()
    return tender


def _award(tender: Tender, people: dict[str, Any]) -> Tender:
    top = Ranking.objects.filter(evaluation__tender=tender).order_by("rank").select_related("bid").first()
    if top is None:
        return tender
    evaluation.record_credit_check(
        actor=people["staff"],
        tender=tender,
        bid=top.bid,
        dishonest_debtors="clear",
        tax_violations="clear",
        procurement_violations="clear",
        reference="信用中国、中国政府采购网查询记录（演示）",
    )
    award = awards.propose_award(actor=people["staff"], tender=tender, bid=top.bid)
    award.refresh_from_db()
    if award.status != "active":
        awards.confirm_award(actor=people["approver"], tender=tender, award=award)
    tender.refresh_from_db()
    return tender


def _challenges(tender: Tender, people: dict[str, Any]) -> timeline.Story:
    """The two losing bidders challenge within the 7 working days after the award notice (Law
    Art. 52); one is answered and taken to the finance bureau as a complaint (Art. 55), the
    other, lodged last, still awaits its answer."""
    (kangle_user, kangle), (qingyuan_user, qingyuan) = people["bidders"][1], people["bidders"][2]
    notice = timezone.now()
    yield timeline.working_days_after(notice, 1, hour=15)
    answered = challenges.lodge_challenge(
        actor=qingyuan_user, tender=tender, provider=qingyuan, grounds="中标人的护理人员资质证明不全，请求核实。"
    )
    yield timeline.working_days_after(notice, 3, hour=16)
    challenges.answer_challenge(
        actor=people["staff"],
        tender=tender,
        challenge=answered,
        answer="经核实，中标人已提交全部护理人员资格证书复印件，资质符合采购文件要求。",
    )
    yield timeline.working_days_after(notice, 4, hour=11)
    challenges.lodge_complaint(
        actor=qingyuan_user,
        tender=tender,
        challenge=answered,
        grounds="采购人答复未附证书清单，请财政部门调取原件核查。",
    )
    yield timeline.working_days_after(notice, 5, hour=14)
    challenges.lodge_challenge(
        actor=kangle_user,
        tender=tender,
        provider=kangle,
        grounds="评审专家对我方服务方案的评分明显偏低，请求复核评分。",
    )
    return 0


def _story(title: str, people: dict[str, Any]) -> timeline.Story:
    """The tenders of one project, by the state the demo shows with it; returns tenders made.
    Each runs for its statutory periods and ends where the demo shows it today."""
    plan = PLANS[title]
    # The recent tenders end where the demo shows them today, so they are dated back from it:
    # the bid deadline so many working days ago, the notice the method's period before that.
    deadlines = {"awarded": (8, 25), "evaluated": (3, 15), "opened": (2, 12)}
    deadline = None
    if plan in deadlines:
        back, period = deadlines[plan]
        deadline = timeline.working_days_ago(back, hour=9, minute=30)
        start = timeline.days_after(deadline, -period - 1, hour=10)
    else:
        start = timeline.day(100 if plan == "failed_then_published" else 120)
    yield start
    purchaser = Organisation.objects.filter(name_zh=PURCHASER).first()
    project = Project.objects.filter(
        purchaser=purchaser, title=title, status__in=[ProjectStatus.APPROVED, ProjectStatus.IN_PLAN]
    ).first()
    if project is None or Tender.objects.filter(project=project).exists():
        return 0
    if plan == "awarded":
        # Public tender: at least 20 days from the notice to the deadline (Law Art. 35); the
        # award notice six working days ago, so the 7-day challenge window is still open.
        tender = _published(project, people, deadline=deadline)
        yield from _procedure(tender, people, ("0.95", "0.97", "0.985"), "awarded")
        yield from _challenges(tender, people)
        return 1
    if plan == "evaluated":
        # Competitive consultation: at least 10 days from the notice; the report two working
        # days ago, so the purchaser still has days to confirm the winner (Reg. Art. 43).
        tender = _published(project, people, deadline=deadline)
        yield from _procedure(tender, people, ("0.94", "0.9", "0.97"), "evaluated")
        return 1
    if plan == "opened":
        tender = _published(project, people, deadline=deadline)
        yield from _procedure(tender, people, ("0.95", "0.92", "0.98"), "opened")
        # The panel is drawn; its experts find the declaration waiting on their home page.
        yield timeline.working_days_after(tender.bid_deadline, 0, hour=15)
        evaluation.draw_panel(actor=people["staff"], tender=tender)
        return 1
    if plan == "failed_then_published":
        # Only one bid by the deadline: fewer than the method's minimum, the procurement fails;
        # the purchaser publishes it again months later, open for bids today.
        tender = _published(project, people, days=21)
        yield from _procedure(tender, people, ("0.96",), "opened")
        yield timeline.ago(14)
        tender = _published(project, people, days=25)
        yield timeline.ago(6, hour=11)
        _bid(tender, people, 0, (tender.budget * Decimal("0.93")).quantize(Decimal("1")))
        return 2
    if plan == "cancelled_then_draft":
        tender = _published(project, people)
        yield timeline.days_after(start, 6, hour=16)
        tender.refresh_from_db()
        tenders.cancel_tender(
            actor=people["staff"],
            tender=tender,
            version=tender.version,
            reason="服务需求调整，采购文件需重新编制。",
        )
        yield timeline.ago(2, hour=15)
        _draft(project, people)
        return 2
    return 0


# project title → what its tenders show
PLANS = {
    "东城区社区养老驿站运营服务": "awarded",
    "老年人助餐服务": "evaluated",
    "健康科普宣传服务（原由委内人员承担）": "opened",
    "东城区困境家庭社会工作服务": "failed_then_published",
    "东城区残疾人居家托养服务": "cancelled_then_draft",
}


def _people() -> dict[str, Any] | None:
    people = {"staff": _user(STAFF), "approver": _user(APPROVER), "finance": _user(FINANCE)}
    bidders = []
    for username, name in BIDDERS:
        organisation = Organisation.objects.filter(name_zh=name).first()
        bidders.append((_user(username), organisation))
    if any(v is None for v in people.values()) or any(u is None or o is None for u, o in bidders):
        return None
    return {**people, "bidders": bidders}


def experts_day() -> dt.datetime:
    """The day the finance bureau registers the expert pool (and the two extra projects are
    approved): before the first tender is published."""
    return timeline.day(EXPERTS_DAY, hour=9, minute=30)


EXPERTS_DAY = 84


def load(*, password: str) -> int:
    """Create what is missing; return how many records were created. `password` is the demo
    password the expert accounts get."""
    return timeline.load_alone(lambda: stories(password=password))


def stories(*, password: str) -> list[timeline.Story]:
    """The expert pool and the two extra projects in May, then one story per project
    (govbuy.core.timeline), and the tender whose winner refused to sign (demo_refusal)."""
    return [
        _setup(password),
        *[_tenders_of(title) for title in PLANS],
        demo_refusal.refusal_story(sys.modules[__name__]),
    ]


def _setup(password: str) -> timeline.Story:
    yield experts_day()
    purchaser = Organisation.objects.filter(name_zh=PURCHASER).first()
    people = _people()
    city_finance = _user(CITY_FINANCE)
    if purchaser is None or people is None or city_finance is None:
        sys.stderr.write("Procurement demo data skipped: the demo world is not loaded.\n")
        return 0
    created = _experts(password, city_finance)
    yield timeline.working_days_after(experts_day(), 1, hour=14)
    for spec in EXTRA_PROJECTS:
        if Project.objects.filter(purchaser=purchaser, title=spec[0]).exists():
            continue
        project = _extra_project(purchaser, spec, people, review=False)
        if project is not None:
            yield from planning_demo.reviewed(project, finance=people["finance"], comment="同意。")
            created += 1
    return created


def _tenders_of(title: str) -> timeline.Story:
    people = _people()
    if people is None:
        return 0
    return (yield from _story(title, people))
