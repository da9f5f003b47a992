"""Every read of monitoring, from the user's scope: the monitoring bodies in reach (the city's
read every district's cases) and the purchaser whose process is monitored. Outside: a 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from govbuy.audit.models import AuditCheckpoint
from govbuy.contracts.models import Contract
from govbuy.core.calendar.rules import SHANGHAI, start_of_day
from govbuy.credit.selectors import referred_facts
from govbuy.organizations.models import Organisation
from govbuy.organizations.scope import Scope, scope_for
from govbuy.oversight import rules
from govbuy.oversight.models import AnswerDocument, CaseQuestion, CaseStatus, Flag, FlagStatus, MonitoringCase
from govbuy.procurement.models import Award, Bid, BidStatus, Tender, TenderStatus

# The source a credit fact referred by a case names (govbuy.credit.services.records.refer_fact).
CASE_SOURCE = "oversight.monitoringcase"


def parse_pk(value: Any) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        raise Http404 from None


def cases_q(scope: Scope) -> Q:
    if scope.is_anonymous:
        return Q(pk__in=[])
    q = Q(purchaser_id__in=list(scope.organisation_ids)) | Q(body_id__in=list(scope.organisation_ids))
    monitors = [m for m in scope.memberships if m.kind in rules.MONITORING_KINDS]
    if any(m.region_level == "city" for m in monitors) or scope.is_platform_admin:
        return Q(pk__isnull=False)
    regions = [m.region_id for m in monitors]
    return q | Q(region_id__in=regions) if regions else q


def monitors_any(user: Any) -> bool:
    return any(m.kind in rules.MONITORING_KINDS for m in scope_for(user).memberships)


def visible_cases(user: Any, *, status: str = "") -> QuerySet[MonitoringCase]:
    qs = MonitoringCase.objects.filter(cases_q(scope_for(user)))
    if status in CaseStatus.values:
        qs = qs.filter(status=status)
    return (
        qs.select_related("body", "purchaser", "tender", "project", "contract")
        .annotate(
            open_questions=Count("questions", filter=Q(questions__answered_at__isnull=True)),
            new_answers=Count("questions", filter=Q(questions__answered_at__isnull=False)),
        )
        .order_by("-opened_at", "-pk")
    )


def case_for(user: Any, pk: Any) -> MonitoringCase:
    case = (
        MonitoringCase.objects.filter(cases_q(scope_for(user)), pk=parse_pk(pk))
        .select_related("body", "purchaser", "tender", "project", "contract", "region", "opened_by")
        .first()
    )
    if case is None:
        raise Http404
    return case


def questions_of(case: MonitoringCase) -> list[CaseQuestion]:
    return list(
        CaseQuestion.objects.filter(case=case)
        .select_related("asked_by", "answered_by")
        .prefetch_related("documents")
        .order_by("asked_at", "pk")
    )


def document_for(user: Any, case_pk: Any, pk: Any) -> AnswerDocument:
    case = case_for(user, case_pk)
    doc = AnswerDocument.objects.filter(question__case=case, pk=parse_pk(pk)).first()
    if doc is None:
        raise Http404
    return doc


def monitorable_tenders(user: Any, limit: int = 50) -> list[Tender]:
    """Tenders past their draft in the reach of the user's monitoring bodies, newest first."""
    monitors = [m for m in scope_for(user).memberships if m.kind in rules.MONITORING_KINDS]
    if not monitors:
        return []
    qs = Tender.objects.exclude(status=TenderStatus.DRAFT)
    if not any(m.region_level == "city" for m in monitors):
        qs = qs.filter(purchaser__region_id__in=[m.region_id for m in monitors])
    return list(qs.select_related("purchaser").order_by("-pk")[:limit])


def process_providers(case: MonitoringCase) -> QuerySet[Organisation]:
    """The providers a violation of the case's process may be referred against: the bidders (once
    their bids are opened: sealed bids stay sealed from everyone), the winners and the contractors
    of the case's tender (or of its project when the case names no tender) and of its contract."""
    if case.tender_id is not None:
        bids = Bid.objects.filter(tender_id=case.tender_id)
        awards = Award.objects.filter(tender_id=case.tender_id)
        contracts = Contract.objects.filter(award__tender_id=case.tender_id)
    else:
        bids = Bid.objects.filter(tender__project_id=case.project_id)
        awards = Award.objects.filter(tender__project_id=case.project_id)
        contracts = Contract.objects.filter(project_id=case.project_id)
    q = (
        Q(pk__in=bids.filter(status=BidStatus.OPENED).values("provider_id"))
        | Q(pk__in=awards.values("provider_id"))
        | Q(pk__in=contracts.values("provider_id"))
    )
    if case.contract_id is not None:
        q |= Q(pk__in=Contract.objects.filter(pk=case.contract_id).values("provider_id"))
    return Organisation.objects.filter(q).order_by("name_zh", "pk")


def case_referrals(case: MonitoringCase) -> list[Any]:
    """The credit facts the case referred, for its page: read by whoever reads the case."""
    return referred_facts(CASE_SOURCE, case.pk)


def published_conclusions(project_id: int) -> list[MonitoringCase]:
    """What the public sees of monitoring: the concluded cases of a project, with their reasons."""
    return list(
        MonitoringCase.objects.filter(project_id=project_id, concluded_at__isnull=False)
        .select_related("body", "tender")
        .order_by("concluded_at", "pk")
    )


def body_todo(user: Any, limit: int = 10) -> tuple[list[MonitoringCase], int]:
    """The body's cases with answers to read or remedies to check (the home page)."""
    scope = scope_for(user)
    own = [m.organisation_id for m in scope.memberships if m.kind in rules.MONITORING_KINDS]
    if not own:
        return [], 0
    waiting = Q(status=CaseStatus.ACTIVE, questions__answered_at__isnull=False) | Q(
        status__in=[CaseStatus.REMEDY_REPORTED, CaseStatus.NO_VIOLATION]
    )
    qs = MonitoringCase.objects.filter(waiting, body_id__in=own).distinct().order_by("opened_at", "pk")
    return list(qs.select_related("tender", "contract", "project")[:limit]), qs.count()


def purchaser_todo(user: Any, limit: int = 10) -> tuple[list[CaseQuestion], int]:
    """Questions of monitoring bodies waiting for the purchaser's answer, the most urgent first."""
    scope = scope_for(user)
    own = scope.written_organisations()
    if not own:
        return [], 0
    qs = CaseQuestion.objects.filter(
        case__purchaser_id__in=own, case__status=CaseStatus.ACTIVE, answered_at__isnull=True
    ).order_by("due_on", "pk")
    return list(qs.select_related("case")[:limit]), qs.count()


# --- Risk flags ------------------------------------------------------------------------------------


def flags_q(scope: Scope) -> Q | None:
    """Flags are for the monitoring bodies in reach (the city's see every district's)."""
    monitors = [m for m in scope.memberships if m.kind in rules.MONITORING_KINDS]
    if scope.is_platform_admin or any(m.region_level == "city" for m in monitors):
        return Q(pk__isnull=False)
    if monitors:
        return Q(region_id__in=[m.region_id for m in monitors])
    return None


def ranked_flags(user: Any, *, status: str = FlagStatus.OPEN) -> QuerySet[Flag]:
    """The flags in reach, the highest score first (open ones by default, every one with "all")."""
    match = flags_q(scope_for(user))
    if match is None:
        return Flag.objects.none()
    qs = Flag.objects.filter(match)
    if status in FlagStatus.values:
        qs = qs.filter(status=status)
    return qs.select_related("rule", "tender", "purchaser").order_by("-score", "-raised_at", "-pk")


def flag_for(user: Any, pk: Any) -> Flag:
    flag = ranked_flags(user, status="all").filter(pk=parse_pk(pk)).first()
    if flag is None:
        raise Http404
    return flag


# --- Published audit checkpoints -------------------------------------------------------------------


def published_checkpoints() -> QuerySet[AuditCheckpoint]:
    """The signed checkpoint that closed each past day (Asia/Shanghai), newest first: published so
    that anyone can later prove the history up to it was not rewritten. Only the day's last one:
    the checkpoints taken after each bid would tell the public when bids arrived (Reg. Art. 14)."""
    today = start_of_day(timezone.localdate(timezone.now(), SHANGHAI))
    last_of_day = (
        AuditCheckpoint.objects.filter(created_at__lt=today)
        .annotate(day=TruncDate("created_at", tzinfo=SHANGHAI))
        .values("day")
        .annotate(last=Max("pk"))
        .values("last")
    )
    return AuditCheckpoint.objects.filter(pk__in=Subquery(last_of_day)).order_by("-position", "-pk")


# --- The panel on a process's staff pages --------------------------------------------------------

PROCESS_FILTERS = {"project": "tender__project_id", "tender": "tender_id", "contract": "tender__awards__contract__pk"}
CASE_FILTERS = {
    "project": lambda pk: Q(project_id=pk),
    "tender": lambda pk: Q(tender_id=pk),
    "contract": lambda pk: Q(contract_id=pk) | Q(tender__awards__contract__pk=pk),
}


def process_flags(user: Any, kind: str, pk: int) -> list[Flag]:
    """The open flags of one project, tender or contract (through its tender), for the monitoring
    bodies in reach; none for anyone else."""
    match = flags_q(scope_for(user))
    if match is None:
        return []
    field = PROCESS_FILTERS[kind]
    return list(
        Flag.objects.filter(match, status=FlagStatus.OPEN, **{field: pk})
        .select_related("rule", "tender")
        .order_by("-score", "-raised_at", "-pk")
    )


def process_cases(user: Any, kind: str, pk: int) -> list[MonitoringCase]:
    """The monitoring cases of the process in the reach of the user's monitoring bodies."""
    scope = scope_for(user)
    if not any(m.kind in rules.MONITORING_KINDS for m in scope.memberships):
        return []
    qs = MonitoringCase.objects.filter(cases_q(scope), CASE_FILTERS[kind](pk)).select_related("body")
    return list(qs.distinct().order_by("-opened_at", "-pk"))


# --- Home sections of the monitoring bodies ---------------------------------------------------------

HIGH_RISK_SCORE = 2  # a flag of a rule weighing 2 or more (rules carry weights 1 to 3)
NEW_FLAG_DAYS = 30
LATE_RULES = ("late_signing", "late_publication", "late_payment")


def new_high_risk_flags(user: Any, limit: int = 10) -> tuple[list[Flag], int]:
    """Open flags of the last NEW_FLAG_DAYS scoring HIGH_RISK_SCORE or more (the late steps have
    their own section), the highest first."""
    since = timezone.now() - dt.timedelta(days=NEW_FLAG_DAYS)
    qs = ranked_flags(user).filter(score__gte=HIGH_RISK_SCORE, raised_at__gte=since).exclude(rule__code__in=LATE_RULES)
    return list(qs[:limit]), qs.count()


def late_step_flags(user: Any, limit: int = 10) -> tuple[list[Flag], int]:
    """Open flags of late signing, publication and payment in reach, the longest overdue first."""
    qs = ranked_flags(user).filter(rule__code__in=LATE_RULES)
    return list(qs[:limit]), qs.count()
