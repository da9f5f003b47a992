"""Every write of monitoring: open a case, ask the purchaser, answer (with documents), conclude,
report the remedy, close. One function per transition; each locks the case, checks the rules,
records an audit event in the same transaction and tells the other side after the commit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.contracts.models import Contract, ContractStatus
from govbuy.core import pagecache
from govbuy.core.calendar.rules import get_calendar
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from govbuy.core.storage import document_path, save_once
from govbuy.core.uploads import inspect_upload
from govbuy.credit.models import ENTERED_KINDS, FactKind
from govbuy.credit.services.records import refer_fact
from govbuy.organizations.models import Organisation
from govbuy.organizations.scope import scope_for
from govbuy.oversight import notifications, rules, selectors
from govbuy.oversight.models import AnswerDocument, CaseQuestion, CaseReason, CaseStatus, MonitoringCase
from govbuy.planning.models import Project, ProjectStatus
from govbuy.procurement.models import Tender, TenderStatus

ANSWER_KINDS = frozenset({"pdf", "png", "jpeg", "docx", "xlsx"})
CASE_TYPE = selectors.CASE_SOURCE
# A violation is referred as one of the kinds an authority enters, never as a commendation.
REFERRED_KINDS = frozenset(ENTERED_KINDS - {FactKind.COMMENDATION})


def _event(actor: Any, action: str, case: MonitoringCase, changes: dict[str, Any] | None = None, **data: Any) -> None:
    record_event(
        actor=actor,
        action=action,
        obj=case,
        organisation=case.body,
        region_id=case.region_id,
        changes=changes,
        data={"reference": case.reference, **data},
    )


def _pk(value: Any) -> int:
    try:
        return int(value.pk if hasattr(value, "pk") else value)
    except (TypeError, ValueError):
        raise NotFound() from None


def _subject(
    tender: Tender | int | None, contract: Contract | int | None, project: Project | int | None
) -> tuple[Project, Tender | None, Contract | None, Organisation, str]:
    """The project, tender and contract a case is opened on (exactly one is given), the purchaser
    and the reference the case names; a 404 for a draft or an unknown one."""
    given = [x for x in (tender, contract, project) if x not in (None, "")]
    if len(given) != 1:
        message = _("Choose the project, tender or contract to monitor.")
        raise ValidationFailed(message, fields={"tender": [message]})
    if tender not in (None, ""):
        found = Tender.objects.select_related("project", "purchaser").filter(pk=_pk(tender)).first()
        if found is None or found.status == TenderStatus.DRAFT:
            raise NotFound()
        return found.project, found, None, found.purchaser, found.reference
    if contract not in (None, ""):
        deal = Contract.objects.select_related("project", "purchaser", "award").filter(pk=_pk(contract)).first()
        if deal is None or deal.status == ContractStatus.DRAFT:
            raise NotFound()
        linked = Tender.objects.filter(pk=deal.award.tender_id).first() if deal.award is not None else None
        return deal.project, linked, deal, deal.purchaser, deal.reference
    plan = Project.objects.select_related("purchaser").filter(pk=_pk(project)).first()
    if plan is None or plan.status == ProjectStatus.DRAFT:
        raise NotFound()
    return plan, None, None, plan.purchaser, plan.reference


def open_case(
    *,
    actor: Any,
    reason: str,
    reason_details: str,
    tender: Tender | int | None = None,
    contract: Contract | int | None = None,
    project: Project | int | None = None,
) -> MonitoringCase:
    """Open a case on a project, a tender or a contract in the body's reach (a 404 outside it,
    as for every read)."""
    if reason not in CaseReason.values:
        message = _("Choose the reason for monitoring.")
        raise ValidationFailed(message, fields={"reason": [message]})
    details = rules.text(reason_details, "reason_details", _("State the reasons for opening the case."))
    plan, found, deal, purchaser, subject = _subject(tender, contract, project)
    scope = scope_for(actor)
    membership = rules.body_membership(scope, purchaser.region_id)
    if membership is None:
        if purchaser.pk in scope.organisation_ids:
            raise PermissionRefused(_("Only a finance bureau, the audit office or the supervision office monitors."))
        raise NotFound()
    with transaction.atomic():
        case = MonitoringCase.objects.create(
            reference=f"pending-{subject}-{timezone.now().timestamp()}"[:40],
            body_id=membership.organisation_id,
            purchaser=purchaser,
            region_id=purchaser.region_id,
            project=plan,
            tender=found,
            contract=deal,
            reason=reason,
            reason_details=details,
            opened_by=actor,
        )
        case.reference = rules.make_reference(timezone.localdate().year, case.pk)
        case.save(update_fields=["reference"])
        _event(actor, "oversight.case.opened", case, tender=subject, reason=reason)
    return case


def _lock(case: MonitoringCase | int, version: Any = None) -> MonitoringCase:
    pk = case.pk if isinstance(case, MonitoringCase) else case
    locked = (
        MonitoringCase.objects.select_for_update(of=("self",))
        .select_related("body", "purchaser", "project", "tender", "contract")
        .filter(pk=pk)
        .first()
    )
    if locked is None:
        raise NotFound()
    if version is not None and str(version) != str(locked.version):
        raise Conflict(_("The case changed since you read it; reload and try again."))
    return locked


def _as_body(actor: Any, case: MonitoringCase) -> None:
    scope = scope_for(actor)
    if rules.acts_for_body(scope, case.body_id):
        return
    if rules.body_membership(scope, case.region_id) is None and not rules.acts_for_purchaser(scope, case.purchaser_id):
        raise NotFound()
    raise PermissionRefused(_("Only the body that opened the case acts on it."))


def _as_purchaser(actor: Any, case: MonitoringCase) -> None:
    scope = scope_for(actor)
    if rules.acts_for_purchaser(scope, case.purchaser_id):
        return
    if rules.body_membership(scope, case.region_id) is None:
        raise NotFound()
    raise PermissionRefused(_("Only the purchaser answers for its process."))


def _bump(case: MonitoringCase, *fields: str) -> None:
    case.version += 1
    case.save(update_fields=[*fields, "version", "updated_at"])
    if case.concluded_at is not None:
        # A concluded case is on the public project page (and its API): no stored page may
        # show it as it was before this change.
        pagecache.bump()


def ask_question(*, actor: Any, case: MonitoringCase | int, version: Any, text: str, answer_days: Any) -> CaseQuestion:
    body = rules.text(text, "text", _("Write the question."))
    n = rules.days(answer_days, "answer_days", rules.ANSWER_DAYS_MIN, rules.ANSWER_DAYS_MAX)
    with transaction.atomic():
        locked = _lock(case, version)
        _as_body(actor, locked)
        if locked.status != CaseStatus.ACTIVE:
            raise Conflict(_("Questions are asked while the case is under monitoring."))
        due = rules.due_on(timezone.now(), n, get_calendar())
        question = CaseQuestion.objects.create(case=locked, text=body, due_on=due, asked_by=actor)
        _bump(locked)
        _event(actor, "oversight.question.asked", locked, question=question.pk, due_on=due.isoformat())
        notifications.asked(locked, question)
    return question


def answer_question(
    *,
    actor: Any,
    case: MonitoringCase | int,
    question: CaseQuestion | int,
    answer: str,
    documents: list[tuple[str, bytes]] | None = None,
) -> CaseQuestion:
    body = rules.text(answer, "answer", _("Write the answer."))
    uploads = [
        (inspect_upload(name=n, data=d, allowed=ANSWER_KINDS, max_bytes=int(settings.GOVBUY_UPLOAD_MAX_BYTES)), d)
        for n, d in documents or []
    ]
    with transaction.atomic():
        locked = _lock(case)
        _as_purchaser(actor, locked)
        qpk = question.pk if isinstance(question, CaseQuestion) else question
        row = CaseQuestion.objects.select_for_update().filter(case=locked, pk=qpk).first()
        if row is None:
            raise NotFound()
        if row.answered_at is not None:
            raise Conflict(_("This question is already answered."))
        if locked.status != CaseStatus.ACTIVE:
            raise Conflict(_("The case is concluded; answers are no longer taken."))
        row.answer, row.answered_by, row.answered_at = body, actor, timezone.now()
        row.save(update_fields=["answer", "answered_by", "answered_at"])
        for upload, data in uploads:
            path = save_once(path=document_path(prefix="oversight", upload=upload), data=data, sha256=upload.sha256)
            AnswerDocument.objects.create(
                question=row,
                file_name=upload.display_name or upload.safe_name,
                path=path,
                sha256=upload.sha256,
                size=upload.size,
                content_type=upload.content_type,
            )
        _bump(locked)
        late = row.answered_at.date() > row.due_on
        _event(
            actor,
            "oversight.question.answered",
            locked,
            question=row.pk,
            documents=[u.sha256 for u, _d in uploads],
            late=late,
        )
        notifications.answered(locked)
    return row


def conclude_case(
    *,
    actor: Any,
    case: MonitoringCase | int,
    version: Any,
    violation: bool,
    conclusion: str,
    obligations: str = "",
    remedy_days: Any = None,
    provider: Organisation | int | None = None,
    fact_kind: str = "",
    legal_basis: str = "",
    documents: list[tuple[str, bytes]] | None = None,
) -> MonitoringCase:
    """No violation, or a violation with the obligations to remedy it and a deadline; the reasons
    are required either way. The conclusion is published from this moment. A violation by a
    provider of the process (a bidder, winner or contractor) is referred to its credit record in
    the same transaction: unconfirmed until the finance bureau of its region confirms it."""
    reasons = rules.text(conclusion, "conclusion", _("Give the reasons for the conclusion."))
    due: dt.date | None = None
    duties = ""
    if violation:
        duties = rules.text(obligations, "obligations", _("State what the purchaser must do to remedy the violation."))
        n = rules.days(remedy_days, "remedy_days", rules.REMEDY_DAYS_MIN, rules.REMEDY_DAYS_MAX)
        due = rules.due_on(timezone.now(), n, get_calendar())
    named = provider not in (None, "")
    if named and not violation:
        message = _("A provider is referred to the credit record only for a violation.")
        raise ValidationFailed(message, fields={"provider": [message]})
    if named and fact_kind not in REFERRED_KINDS:
        message = _("Choose the kind of violation to refer to the credit record.")
        raise ValidationFailed(message, fields={"fact_kind": [message]})
    after = CaseStatus.VIOLATION if violation else CaseStatus.NO_VIOLATION
    with transaction.atomic():
        locked = _lock(case, version)
        _as_body(actor, locked)
        rules.check_transition(locked.status, after)
        before = locked.status
        locked.status, locked.conclusion, locked.obligations, locked.remedy_due = after, reasons, duties, due
        locked.concluded_at = timezone.now()
        _bump(locked, "status", "conclusion", "obligations", "remedy_due", "concluded_at")
        referred = _refer(actor, locked, provider, fact_kind, legal_basis, documents) if violation else None
        _event(
            actor,
            "oversight.case.concluded",
            locked,
            {"status": (before, after)},
            outcome=after,
            remedy_due=due.isoformat() if due else "",
            referred=referred.pk if referred is not None else None,
        )
        notifications.concluded(locked)
    return locked


def _refer(
    actor: Any,
    case: MonitoringCase,
    provider: Organisation | int | None,
    kind: str,
    legal_basis: str,
    documents: list[tuple[str, bytes]] | None,
) -> Any:
    """Refer the violation to the credit record of the provider named, who must be a bidder
    (opened), winner or contractor of the case's process; nobody named, nothing referred."""
    if provider in (None, ""):
        return None
    pk = _pk(provider)
    if not selectors.process_providers(case).filter(pk=pk).exists():
        message = _("This provider did not bid for, win or perform the process of this case.")
        raise ValidationFailed(message, fields={"provider": [message]})
    return refer_fact(
        actor=actor,
        provider=pk,
        kind=kind,
        occurred_on=timezone.localdate(),
        summary=case.conclusion,
        legal_basis=legal_basis,
        documents=documents,
        source_type=CASE_TYPE,
        source_id=case.pk,
    )


def report_remedy(*, actor: Any, case: MonitoringCase | int, version: Any, report: str) -> MonitoringCase:
    text = rules.text(report, "report", _("Describe what was done to remedy the violation."))
    with transaction.atomic():
        locked = _lock(case, version)
        _as_purchaser(actor, locked)
        rules.check_transition(locked.status, CaseStatus.REMEDY_REPORTED)
        locked.status, locked.remedy_report = CaseStatus.REMEDY_REPORTED, text
        _bump(locked, "status", "remedy_report")
        late = locked.remedy_due is not None and timezone.localdate() > locked.remedy_due
        _event(actor, "oversight.case.remedy_reported", locked, {"status": ("violation", "remedy_reported")}, late=late)
        notifications.remedied(locked)
    return locked


def close_case(*, actor: Any, case: MonitoringCase | int, version: Any) -> MonitoringCase:
    with transaction.atomic():
        locked = _lock(case, version)
        _as_body(actor, locked)
        before = locked.status
        rules.check_transition(before, CaseStatus.CLOSED)
        locked.status, locked.closed_at = CaseStatus.CLOSED, timezone.now()
        _bump(locked, "status", "closed_at")
        _event(actor, "oversight.case.closed", locked, {"status": (before, "closed")})
    return locked


def remind_answers_due(*, today: dt.date | None = None) -> int:
    """Remind the purchaser once of each unanswered question due by the next working day (or
    already overdue). Run by the worker (tasks.remind_answers, daily through run_schedule)."""
    day = today or timezone.localdate()
    horizon = get_calendar().add_working_days(day, 1)
    sent = 0
    with transaction.atomic():
        rows = (
            CaseQuestion.objects.select_for_update(of=("self",))
            .filter(answered_at__isnull=True, reminded_at__isnull=True, due_on__lte=horizon, case__status="active")
            .select_related("case__body", "case__purchaser", "case__project", "case__tender", "case__contract")
            .order_by("pk")
        )
        for question in rows:
            question.reminded_at = timezone.now()
            question.save(update_fields=["reminded_at"])
            notifications.answer_due(question.case, question)
            sent += 1
    return sent
