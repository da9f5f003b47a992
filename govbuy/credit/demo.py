"""Demo credit records, made through the services: a provider with a good record, one mixed
(an objection upheld), one poor (an authority's fact with evidence and four eyes, an objection
rejected, a ban in force), an expired ban, the three external lists imported and a report to the
civil-affairs bureau. Loading twice
changes nothing."""

from __future__ import annotations

import datetime as dt
import sys

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from govbuy.accounts import services as account_services
from govbuy.core import facts
from govbuy.credit.models import CreditFact, ExternalList
from govbuy.credit.services import bans, lists, objections, records, reports
from govbuy.organizations import services as org_services
from govbuy.organizations.models import Membership, Organisation
from govbuy.providers.samples import minimal_pdf

# The contracts demo finds subcontracting at 阳光 (a mixed record once its own good facts count);
# 康乐 answers its one late delivery with an objection that is upheld.
GOOD = "北京市朝阳区康乐社会工作事务所"
MIXED = "北京市东城区阳光居家养老服务中心"
POOR = "北京中关村智慧城市科技有限公司"
EXPIRED = "北京市儿童福利基金会"
REVIEWER = "credit.reviewer"
REVIEWER_NAME = "郑秋实"  # screens show names, never logins
SOURCE = "credit.demo"


def _report(kind: str, org: Organisation, n: int, days_ago: int, summary: str) -> None:
    with transaction.atomic():
        facts.report(
            kind,
            provider_id=org.pk,
            source_type=SOURCE,
            source_id=n,
            occurred_at=timezone.now() - dt.timedelta(days=days_ago),
            summary=summary,
        )


def _csv(rows: list[list[str]]) -> bytes:
    return ("\n".join(",".join(r) for r in [["名称", "统一社会信用代码", "案号", "详情"], *rows]) + "\n").encode()


def load(*, password: str) -> int:
    users = get_user_model().objects
    finance = users.filter(username="city.finance").first()
    orgs = {o.name_zh: o for o in Organisation.objects.filter(name_zh__in=[GOOD, MIXED, POOR, EXPIRED])}
    mixed_user = users.filter(username="sunshine").first()
    qingyuan_user = users.filter(username="qingyuan").first()
    qingyuan = Organisation.objects.filter(name_zh="北京清源物业管理有限公司").first()
    if finance is None or len(orgs) < 4 or mixed_user is None or qingyuan_user is None or qingyuan is None:
        sys.stderr.write("Credit demo data skipped: the demo world is not loaded.\n")
        return 0
    if CreditFact.objects.filter(source_type=SOURCE).exists():
        return 0
    created = 0
    reviewer = users.filter(username=REVIEWER).first()
    if reviewer is None:
        reviewer = account_services.create_user(
            actor=None, username=REVIEWER, password=password, display_name=REVIEWER_NAME
        )
        city_finance = Organisation.objects.get(pk=Membership.objects.filter(user=finance).values("organisation")[:1])
        org_services.add_member(actor=None, organisation=city_finance, user=reviewer, role="staff")
        created += 2

    good, mixed, poor, expired = orgs[GOOD], orgs[MIXED], orgs[POOR], orgs[EXPIRED]
    _report("contracts.completed_on_time", good, 1, 300, "社区社会工作服务合同按期履行完毕")
    _report("contracts.completed_on_time", good, 2, 120, "社区矫正社会工作服务合同按期履行完毕")
    _report("performance.grade_excellent", good, 3, 90, "2026年度社会工作服务绩效评价等次为优")
    _report("performance.grade_excellent", mixed, 4, 200, "居家养老服务绩效评价为优")
    _report("contracts.delivery_late", mixed, 5, 5, "阶段性服务报告逾期15日提交")
    _report("contracts.delivery_late", qingyuan, 6, 4, "物业服务月报逾期提交")
    _report("performance.grade_poor", poor, 7, 60, "智慧社区平台运维绩效评价为差")
    created += 7

    late = CreditFact.objects.get(source_type=SOURCE, source_id=5)
    upheld = objections.file_objection(
        actor=mixed_user, fact=late, text="逾期系采购人延迟确认服务对象名单所致，附往来函件。"
    )
    objections.decide_objection(
        actor=finance,
        objection=upheld,
        version=upheld.version,
        upheld=True,
        reasons="采购人确认延迟责任在己方，异议成立。",
    )
    rejected_fact = CreditFact.objects.get(source_type=SOURCE, source_id=6)
    rejected = objections.file_objection(actor=qingyuan_user, fact=rejected_fact, text="月报仅晚一日。")
    objections.decide_objection(
        actor=finance,
        objection=rejected,
        version=rejected.version,
        upheld=False,
        reasons="合同约定次月5日前提交，实际逾期十日，事实清楚。",
    )
    created += 4

    entered = records.enter_fact(
        actor=finance,
        provider=poor,
        kind="credit.false_materials",
        occurred_on=timezone.localdate() - dt.timedelta(days=40),
        summary="在智慧社区服务项目投标中提供虚假的类似项目业绩证明",
        legal_basis="《政府采购法》第七十七条第一款第（一）项",
        documents=[("处理决定书.pdf", minimal_pdf())],
    )
    records.confirm_fact(actor=reviewer, fact=entered)
    today = timezone.localdate()
    bans.decide_ban(
        actor=finance,
        provider=poor,
        starts_on=today - dt.timedelta(days=30),
        ends_on=today - dt.timedelta(days=31) + dt.timedelta(days=366),
        facts="在智慧社区服务项目投标中提供虚假的类似项目业绩证明，谋取中标",
        penalty="处采购金额千分之五的罚款，列入不良行为记录名单，一年内禁止参加政府采购活动",
        legal_basis="《政府采购法》第七十七条",
        decision_number="京财采处〔2026〕18号",
        fact=entered,
    )
    bans.decide_ban(
        actor=finance,
        provider=expired,
        starts_on=dt.date(2023, 3, 1),
        ends_on=dt.date(2024, 2, 29),
        facts="中标后无正当理由拒不与采购人签订政府采购合同",
        penalty="列入不良行为记录名单，一年内禁止参加政府采购活动",
        legal_basis="《政府采购法实施条例》第七十二条",
        decision_number="京财采处〔2023〕6号",
    )
    created += 4

    as_of = today - dt.timedelta(days=2)
    for kind, publisher, source, rows in (
        (
            "dishonest_debtors",
            "最高人民法院",
            "中国执行信息公开网",
            [["北京某某商贸有限公司", "", "（2025）京0105执1234号", "有履行能力而拒不履行"]],
        ),
        (
            "tax_violations",
            "国家税务总局北京市税务局",
            "重大税收违法失信主体信息公布栏",
            [["北京某某科技有限公司", "", "京税稽罚〔2025〕88号", "虚开增值税专用发票"]],
        ),
        (
            "procurement_violations",
            "财政部",
            "中国政府采购网 政府采购严重违法失信行为信息记录",
            [["某某咨询有限公司", "", "财库处罚〔2025〕12号", "提供虚假材料谋取中标"]],
        ),
    ):
        if not ExternalList.objects.filter(kind=kind).exists():
            lists.import_list(
                actor=finance,
                kind=kind,
                publisher=publisher,
                source=source,
                as_of=as_of,
                file_name=f"{kind}.csv",
                data=_csv(rows),
            )
            created += 1
    civil = Organisation.objects.filter(kind="civil_affairs").order_by("pk").first()
    if civil is not None:
        reports.issue_report(actor=finance, recipient=civil, year=today.year)
        created += 1
    return created
