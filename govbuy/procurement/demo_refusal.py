"""Demo story of a winner's refusal to sign (Reg. Art. 49), for the procurement demo: a public
tender run in late summer whose winner, 北京清源物业管理有限公司, writes eight working days
after the award notice — within the 30 days Law Art. 46 gives to sign — that it will not sign.
The purchaser records the refusal with the letter as evidence, the approver confirms it the next
working day (the refusal becomes a credit fact of the provider), and two working days later —
within the five working days of the confirmation — the lot is awarded to the next-ranked bid
after its credit check, under a new award and a new result notice.

Through the services, on their days (govbuy.core.timeline); a project that already has a tender
is left alone, so loading twice changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from govbuy.core import timeline
from govbuy.organizations.models import Organisation
from govbuy.planning import demo as planning_demo
from govbuy.planning.models import Project
from govbuy.procurement.models import Award, AwardStatus, Ranking, Tender
from govbuy.procurement.services import awards, evaluation, refusals
from govbuy.providers.samples import minimal_pdf

# procurement.demo.EXTRA_PROJECTS' shape: title, catalog item, description, beneficiaries, costs, target, method.
PROJECT = (
    "东城区社区卫生服务站保洁与消毒服务",
    "B03",
    "为东城区8个社区卫生服务站提供日常保洁、医疗区域消毒和医疗废物暂存点清洁服务。",
    "东城区社区卫生服务站就诊居民",
    [("保洁消毒人员", "personnel", "人·月", "8", "3500.00")],
    ("服务站点数", "8", "个"),
    "public_tender",
)
PROJECT_DAY, TENDER_DAY = 132, 146
# The bidders in the order of the quality the panel sees in their bids (procurement.demo.QUALITY):
# the winner first, the bidder the lot passes to second.
ORDER = ("qingyuan", "kangle", "sunshine")
REASON = "中标供应商来函称因人员调配困难，无法按采购文件要求组建服务团队，放弃中标、拒绝签订政府采购合同。"


def refusal_story(steps: Any) -> timeline.Story:
    """`steps` is govbuy.procurement.demo, whose helpers run the tender (passed in, not imported,
    so the two modules do not import each other)."""
    yield timeline.day(PROJECT_DAY, hour=11)
    purchaser = Organisation.objects.filter(name_zh=steps.PURCHASER).first()
    people = steps._people()
    if purchaser is None or people is None:
        return 0
    project = Project.objects.filter(purchaser=purchaser, title=PROJECT[0]).first()
    if project is not None and Tender.objects.filter(project=project).exists():
        return 0
    if project is None:
        project = steps._extra_project(purchaser, PROJECT, people, review=False)
        if project is None:
            return 0
        project = yield from planning_demo.reviewed(project, finance=people["finance"], comment="同意。")
    by_name = {user.username: (user, org) for user, org in people["bidders"]}
    bidders = {**people, "bidders": [by_name[name] for name in ORDER]}
    yield timeline.day(TENDER_DAY, hour=9, minute=30)
    tender = steps._published(project, bidders, days=21)
    yield from steps._procedure(tender, bidders, ("0.94", "0.96", "0.98"), "awarded")
    refused = Award.objects.filter(tender=tender, status=AwardStatus.ACTIVE).first()
    if refused is None:
        return 1
    yield timeline.working_days_after(refused.confirmed_at or timezone.now(), 8, hour=10)
    refusals.record_refusal(
        actor=people["staff"],
        tender=tender,
        award=refused,
        ground="refused",
        reason=REASON,
        evidence=("放弃中标函.pdf", minimal_pdf(f"Letter declining to sign the contract of {tender.reference}")),
    )
    yield timeline.working_days_after(timezone.now(), 1, hour=15)
    refusals.confirm_refusal(actor=people["approver"], tender=tender, award=refused)
    yield timeline.working_days_after(timezone.now(), 2, hour=10)
    _award_next(tender, people, refused)
    return 1


def _award_next(tender: Tender, people: dict[str, Any], refused: Award) -> None:
    """The next-ranked bid of the lot, after its three-list credit check, wins under a new award."""
    ranked = Ranking.objects.filter(evaluation__tender=tender, lot=refused.lot).select_related("bid").order_by("rank")
    following = next((r.bid for r in ranked if r.bid.provider_id != refused.provider_id), None)
    if following is None:
        return
    evaluation.record_credit_check(
        actor=people["staff"],
        tender=tender,
        bid=following,
        dishonest_debtors="clear",
        tax_violations="clear",
        procurement_violations="clear",
        reference="信用中国、中国政府采购网查询记录（演示）",
    )
    award = awards.propose_award(actor=people["staff"], tender=tender, bid=following)
    award.refresh_from_db()
    if award.status == AwardStatus.PROPOSED:
        awards.confirm_award(actor=people["approver"], tender=tender, award=award)
