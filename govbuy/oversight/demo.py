"""Demo oversight (issue 15), through the services acting as the demo users: the risk flags of
every demo tender past its draft, computed by the rules (flags where the data raise them, none on
the clean processes), and monitoring cases in every state on the Dongcheng Health Commission's
tenders, contracts and a project — a question waiting for its answer, an answer waiting to be
read, no violation, a violation with its remedy due, a remedy reported, and a closed case.

Loading twice changes nothing: flags are raised once, and a case whose reasons are already on
record is left alone. Needs the procurement and contracts demos loaded first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model

from govbuy.contracts.models import Contract
from govbuy.oversight.models import MonitoringCase
from govbuy.oversight.services import flagging, monitoring
from govbuy.planning.models import Project
from govbuy.procurement import demo as procurement_demo
from govbuy.procurement.models import Tender, TenderStatus

PURCHASER = "dongcheng.health"
QUESTION = "请说明本项目预算的编制依据，并提供市场询价记录。"
ANSWER = "预算依据2026年三家机构询价的平均价编制，询价记录见附件说明。"


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


def _fresh(case: MonitoringCase) -> MonitoringCase:
    return MonitoringCase.objects.get(pk=case.pk)


def _ask(case: MonitoringCase, body: Any) -> Any:
    return monitoring.ask_question(actor=body, case=case, version=_fresh(case).version, text=QUESTION, answer_days=5)


def _waiting(case: MonitoringCase, body: Any, purchaser: Any) -> Any:
    return _ask(case, body)


def _answered(case: MonitoringCase, body: Any, purchaser: Any) -> MonitoringCase:
    question = _ask(case, body)
    monitoring.answer_question(actor=purchaser, case=case, question=question, answer=ANSWER)
    return _fresh(case)


def _violation(case: MonitoringCase, body: Any, purchaser: Any) -> MonitoringCase:
    case = _answered(case, body, purchaser)
    return monitoring.conclude_case(
        actor=body,
        case=case,
        version=case.version,
        violation=True,
        conclusion="询价记录仅有一家机构，预算编制依据不足，不符合《政府购买服务管理办法》关于以事定费的要求。",
        obligations="重新开展市场调查，补充至少三家机构的询价记录，并将调查报告报送监督机构。",
        remedy_days=20,
    )


def _no_violation(case: MonitoringCase, body: Any, purchaser: Any) -> MonitoringCase:
    case = _answered(case, body, purchaser)
    return monitoring.conclude_case(
        actor=body,
        case=case,
        version=case.version,
        violation=False,
        conclusion="合同按期签订并公告，交付与付款记录齐全，未发现违法违规问题。",
    )


def _remedied(case: MonitoringCase, body: Any, purchaser: Any) -> MonitoringCase:
    case = _violation(case, body, purchaser)
    return monitoring.report_remedy(
        actor=purchaser, case=case, version=case.version, report="已补充三家机构询价记录并报送调查报告。"
    )


def _closed(case: MonitoringCase, body: Any, purchaser: Any) -> MonitoringCase:
    case = _no_violation(case, body, purchaser)
    return monitoring.close_case(actor=body, case=case, version=case.version)


Step = Callable[[MonitoringCase, Any, Any], Any]
# (body user, subject kind, index among the purchaser's subjects, reason, reasons, the steps after opening)
CASES: list[tuple[str, str, int, str, str, Step | None]] = [
    ("auditor", "tender", 0, "risk_flag", "风险提示：中标金额接近预算，需核实预算编制依据。", _waiting),
    ("supervision", "tender", 1, "public_feedback", "公众反映投标期限较短，核查招标公告发布情况。", _answered),
    ("dongcheng.finance", "contract", 0, "plan", "年度监督检查计划：抽查合同签订、公告与付款。", _no_violation),
    ("auditor", "contract", 1, "risk_flag", "风险提示：合同金额经补充协议增加，核查增加依据。", _violation),
    ("auditor", "contract", 2, "complaint", "供应商投诉履约验收不规范，核查验收材料。", _remedied),
    ("city.finance", "project", 0, "plan", "市级抽查：区级项目预算编制与审核程序。", _closed),
]


def _subjects(purchaser_id: int) -> dict[str, list[Any]]:
    return {
        "tender": list(
            Tender.objects.filter(purchaser_id=purchaser_id).exclude(status=TenderStatus.DRAFT).order_by("pk")
        ),
        "contract": list(
            Contract.objects.filter(purchaser_id=purchaser_id).exclude(status__in=["draft", "cancelled"]).order_by("pk")
        ),
        "project": list(Project.objects.filter(purchaser_id=purchaser_id).exclude(status="draft").order_by("pk")),
    }


def _flags() -> int:
    raised = 0
    for pk in Tender.objects.exclude(status=TenderStatus.DRAFT).order_by("pk").values_list("pk", flat=True):
        raised += len(flagging.compute_flags(tender=pk))
    return raised


def load() -> int:
    purchaser = _user(PURCHASER)
    if purchaser is None:
        return 0
    organisation = purchaser.memberships.filter(organisation__name_zh=procurement_demo.PURCHASER).first()
    if organisation is None:
        return 0
    created = _flags()
    subjects = _subjects(organisation.organisation_id)
    for username, kind, index, reason, details, step in CASES:
        body = _user(username)
        if (
            body is None
            or index >= len(subjects[kind])
            or MonitoringCase.objects.filter(reason_details=details).exists()
        ):
            continue
        case = monitoring.open_case(actor=body, reason=reason, reason_details=details, **{kind: subjects[kind][index]})
        if step is not None:
            step(case, body, purchaser)
        created += 1
    return created
