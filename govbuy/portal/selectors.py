"""Reads of the public portal: the latest notices for the home page, a public project's history
from plan to award, and public feedback (published comments for everyone; the moderation queue
for the project's purchaser, scoped: another purchaser's comments are a 404).

Planning's and procurement's models are read here, never written. A project is public once it
is in a published annual plan or one of its tender notices is published; before that its page
does not exist. Nothing about bids appears before the opening (R5): the number of bids comes
from the opening record, which exists only after the opening.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse

from govbuy.contracts.selectors import public_contracts_of_project
from govbuy.disclosure import ocds
from govbuy.disclosure.models import Release
from govbuy.organizations.scope import scope_for
from govbuy.planning.models import AnnualPlan, PlanEntry, Project
from govbuy.portal import rules as feedback_rules
from govbuy.portal.models import Feedback, FeedbackStatus
from govbuy.procurement.models import Award, AwardStatus, Evaluation, Opening, Tender, TenderStatus
from govbuy.procurement.selectors.tendering import OPENED_STATES, public_projects, public_tenders

LATEST = 5  # notices of each kind on the home page
# Tender states in which an evaluation report, when there is one, is final and public.
EVALUATED_STATES = (TenderStatus.EVALUATED, TenderStatus.AWARDED, TenderStatus.FAILED)


def _pk(value: Any) -> int:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < number < 2**63:
        raise Http404
    return number


# --- Home ------------------------------------------------------------------------------------------


def latest_tenders(limit: int = LATEST) -> list[Tender]:
    """The newest tender notices. One query."""
    return list(
        public_tenders()
        .select_related(None)
        .select_related("purchaser", "method")
        .only(
            "id",
            "reference",
            "title",
            "status",
            "published_at",
            "bid_deadline",
            "budget",
            "project",
            "purchaser__id",
            "purchaser__name_zh",
            "purchaser__name_en",
            "method__id",
            "method__name_zh",
            "method__name_en",
        )
        .order_by("-published_at", "-pk")[:limit]
    )


def latest_awards(limit: int = LATEST) -> list[Award]:
    """The newest confirmed awards (announced: status active). One query."""
    return list(
        Award.objects.filter(status=AwardStatus.ACTIVE, tender__published_at__isnull=False)
        .select_related("tender", "lot", "provider")
        .only(
            "id",
            "amount",
            "confirmed_at",
            "tender__id",
            "tender__reference",
            "tender__title",
            "tender__project",
            "lot__id",
            "lot__number",
            "lot__title",
            "provider__id",
            "provider__name_zh",
            "provider__name_en",
        )
        .order_by("-confirmed_at", "-pk")[:limit]
    )


def latest_plans(limit: int = LATEST) -> list[AnnualPlan]:
    """The newest published annual plan versions. One query."""
    return list(AnnualPlan.objects.select_related("purchaser", "region").order_by("-published_at", "-pk")[:limit])


# --- Public projects -------------------------------------------------------------------------------


def public_project_or_none(pk: Any) -> Project | None:
    """The project when it is public, else None (unknown, not yet public, or not a number)."""
    if isinstance(pk, Project):
        pk = pk.pk
    try:
        number = _pk(pk)
    except Http404:
        return None
    return public_projects().select_related("purchaser", "region", "catalog_item").filter(pk=number).first()


def public_project(pk: Any) -> Project:
    project = public_project_or_none(pk)
    if project is None:
        raise Http404
    return project


@dataclass(frozen=True)
class HistoryEvent:
    """One step of a project's history, in the order it happened. `facts` holds plain values
    (numbers, names, amounts) that the page and the API present in the reader's language."""

    kind: str  # plan, plan_update, tender, clarification, opening, evaluation, award, then the contract's
    date: datetime | None
    ref: str  # stable anchor, e.g. "tender-12"
    url: str = ""
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ProjectHistory:
    project: Project
    events: list[HistoryEvent]
    tenders: list[Tender]
    ocid: str
    has_record: bool


def _plan_events(project: Project) -> list[HistoryEvent]:
    entries = list(
        PlanEntry.objects.filter(project=project).select_related("plan").order_by("plan__published_at", "plan_id")
    )
    events: list[HistoryEvent] = []
    previous: PlanEntry | None = None
    tracked = ("title", "estimate", "method", "period_start", "period_end", "item_code")
    for entry in entries:
        changed = [name for name in tracked if previous is not None and getattr(previous, name) != getattr(entry, name)]
        if previous is None or changed:
            events.append(
                HistoryEvent(
                    kind="plan" if previous is None else "plan_update",
                    date=entry.plan.published_at,
                    ref=f"plan-{entry.plan_id}",
                    url=reverse("plans:plan", args=[entry.plan_id]),
                    facts={
                        "year": entry.plan.fiscal_year,
                        "number": entry.plan.number,
                        "estimate": entry.estimate,
                        "method": entry.get_method_display(),
                        "item": entry.item_name,
                        "changed": changed,
                    },
                )
            )
        previous = entry
    return events


def _clarification_events(tender_ids: list[int]) -> list[HistoryEvent]:
    """Published answers and change notices. The model arrives with procurement's clarifications;
    the asker is never read here (Reg. Art. 14)."""
    try:
        model = apps.get_model("procurement", "Clarification")
    except LookupError:
        return []
    rows = (
        model.objects.filter(tender_id__in=tender_ids, answered_at__isnull=False)
        .only("id", "tender_id", "question", "answer", "answered_at", "deadline_after")
        .order_by("answered_at", "pk")
    )
    return [
        HistoryEvent(
            kind="clarification",
            date=row.answered_at,
            ref=f"clarification-{row.pk}",
            url=reverse("tenders:tender", args=[row.tender_id]),
            facts={
                "tender": row.tender_id,
                "question": row.question,
                "answer": row.answer,
                "deadline_after": row.deadline_after,
            },
        )
        for row in rows
    ]


def project_history(project: Project) -> ProjectHistory:
    """The whole public history of a project. A fixed number of queries, whatever its size."""
    tenders = list(
        public_tenders()
        .filter(project=project)
        .select_related("method")
        .defer("wrapped_key", "description", "method_reason")
        .order_by("published_at", "pk")
    )
    by_id = {t.pk: t for t in tenders}
    ids = list(by_id)
    events = _plan_events(project)
    for tender in tenders:
        events.append(
            HistoryEvent(
                kind="tender",
                date=tender.published_at,
                ref=f"tender-{tender.pk}",
                url=reverse("tenders:tender", args=[tender.pk]),
                facts={
                    "reference": tender.reference,
                    "title": tender.title,
                    "method_zh": tender.method.name_zh,
                    "method_en": tender.method.name_en,
                    "budget": tender.budget,
                    "deadline": tender.bid_deadline,
                    "status": tender.status,
                    "status_label": tender.get_status_display(),
                    "failure_reason": tender.failure_reason if tender.status == TenderStatus.FAILED else "",
                },
            )
        )
    events += _clarification_events(ids)
    opened = [pk for pk, t in by_id.items() if t.status in OPENED_STATES]
    for opening in Opening.objects.filter(tender_id__in=opened, confirmed_at__isnull=False).only(
        "id", "tender_id", "confirmed_at", "bid_count"
    ):
        events.append(
            HistoryEvent(
                kind="opening",
                date=opening.confirmed_at,
                ref=f"opening-{opening.tender_id}",
                url=reverse("tenders:tender", args=[opening.tender_id]),
                facts={"tender": opening.tender_id, "bids": opening.bid_count},
            )
        )
    evaluated = [pk for pk, t in by_id.items() if t.status in EVALUATED_STATES]
    for evaluation in Evaluation.objects.filter(tender_id__in=evaluated).only("id", "tender_id", "reported_at"):
        events.append(
            HistoryEvent(
                kind="evaluation",
                date=evaluation.reported_at,
                ref=f"evaluation-{evaluation.tender_id}",
                url=reverse("tenders:tender", args=[evaluation.tender_id]),
                facts={"tender": evaluation.tender_id, "reference": by_id[evaluation.tender_id].reference},
            )
        )
    awards = (
        Award.objects.filter(tender_id__in=ids, status=AwardStatus.ACTIVE)
        .select_related("lot", "provider")
        .only(
            "id",
            "tender_id",
            "amount",
            "confirmed_at",
            "lot__id",
            "lot__number",
            "lot__title",
            "provider__id",
            "provider__name_zh",
            "provider__name_en",
        )
        .order_by("confirmed_at", "lot__number")
    )
    for award in awards:
        events.append(
            HistoryEvent(
                kind="award",
                date=award.confirmed_at,
                ref=f"award-{award.pk}",
                url=reverse("tenders:tender", args=[award.tender_id]),
                facts={
                    "tender": award.tender_id,
                    "lot": award.lot.number,
                    "lot_title": award.lot.title,
                    "supplier_zh": award.provider.name_zh,
                    "supplier_en": award.provider.name_en,
                    "amount": award.amount,
                },
            )
        )
    events += _contract_events(project)
    order = {
        "plan": 0,
        "plan_update": 1,
        "tender": 2,
        "clarification": 3,
        "opening": 4,
        "evaluation": 5,
        "award": 6,
        "contract": 7,
        "amendment": 8,
        "milestone": 9,
        "payment": 10,
        "termination": 11,
        "completion": 12,
    }
    events.sort(key=lambda e: (e.date is None, e.date or datetime.max, order.get(e.kind, 9), e.ref))
    ocid = ocds.ocid_for(project.reference)
    return ProjectHistory(
        project=project,
        events=events,
        tenders=tenders,
        ocid=ocid,
        has_record=Release.objects.filter(ocid=ocid).exists(),
    )


def _contract_events(project: Project) -> list[HistoryEvent]:
    """After the award: each published contract notice (with the sections withheld as commercial
    secrets and why), its amendments, milestones reached, payments and its end. Four queries."""
    events: list[HistoryEvent] = []
    url = reverse("portal:project", args=[project.pk])
    for contract in public_contracts_of_project(project.pk):
        base = {"reference": contract.reference, "supplier_zh": contract.provider.name_zh}
        events.append(
            HistoryEvent(
                kind="contract",
                date=contract.published_at,
                ref=f"contract-{contract.pk}",
                url=url,
                facts={
                    **base,
                    "supplier_en": contract.provider.name_en,
                    "value": contract.value,
                    "original_value": contract.original_value,
                    "period_start": contract.period_start,
                    "period_end": contract.period_end,
                    "signed_at": contract.signed_at,
                    "signed_late": contract.signed_late,
                    "published_late": contract.published_late,
                    "withheld": [dict(row) for row in contract.withheld or []],
                    "paid": contract.amount_paid,
                },
            )
        )
        for amendment in contract.amendments.all():
            events.append(
                HistoryEvent(
                    kind="amendment",
                    date=amendment.confirmed_at,
                    ref=f"amendment-{amendment.pk}",
                    url=url,
                    facts={
                        **base,
                        "number": amendment.number,
                        "rationale": amendment.get_rationale_display(),
                        "description": amendment.description,
                        "value_change": amendment.value_change,
                        "new_period_end": amendment.new_period_end,
                    },
                )
            )
        for milestone in contract.milestones.all():
            if milestone.accepted_at is not None:
                events.append(
                    HistoryEvent(
                        kind="milestone",
                        date=milestone.accepted_at,
                        ref=f"milestone-{milestone.pk}",
                        url=url,
                        facts={**base, "title": milestone.title, "percentage": milestone.percentage},
                    )
                )
        for payment in contract.payments.all():
            events.append(
                HistoryEvent(
                    kind="payment",
                    date=payment.created_at,
                    ref=f"payment-{payment.pk}",
                    url=url,
                    facts={**base, "amount": payment.amount, "paid_on": payment.paid_on},
                )
            )
        if contract.terminated_at is not None:
            events.append(
                HistoryEvent(
                    kind="termination",
                    date=contract.terminated_at,
                    ref=f"termination-{contract.pk}",
                    url=url,
                    facts={
                        **base,
                        "cause": contract.get_termination_cause_display(),
                        "reason": contract.termination_reason,
                        "paid": contract.amount_paid,
                    },
                )
            )
        if contract.completed_at is not None:
            events.append(
                HistoryEvent(
                    kind="completion",
                    date=contract.completed_at,
                    ref=f"completion-{contract.pk}",
                    url=url,
                    facts={**base, "paid": contract.amount_paid},
                )
            )
    return events


# --- Feedback --------------------------------------------------------------------------------------


def published_feedback(project: Project) -> QuerySet[Feedback]:
    """The project's published comments and replies, newest first. The contact is never loaded."""
    return (
        Feedback.objects.filter(project=project, status=FeedbackStatus.PUBLISHED)
        .only("id", "project_id", "name", "message", "submitted_at", "reply", "replied_at", "moderated_at")
        .order_by("-submitted_at", "-pk")
    )


def moderation_queue(user: Any, *, status: str = FeedbackStatus.PENDING) -> QuerySet[Feedback]:
    """Comments on the projects of the purchasers the user moderates for; pending by default
    (oldest first: first come, first answered), or every status with status="all"."""
    ids = feedback_rules.moderated_purchasers(scope_for(user))
    qs = Feedback.objects.filter(purchaser_id__in=list(ids)).select_related("project", "purchaser")
    if status == "all":
        return qs.order_by("-submitted_at", "-pk")
    if status not in FeedbackStatus.values:
        status = FeedbackStatus.PENDING
    qs = qs.filter(status=status)
    return (
        qs.order_by("submitted_at", "pk") if status == FeedbackStatus.PENDING else qs.order_by("-submitted_at", "-pk")
    )


def feedback_for(user: Any, pk: Any) -> Feedback:
    """One comment, for a moderator of its project's purchaser; a 404 for everyone else."""
    feedback = moderation_queue(user, status="all").filter(pk=_pk(pk)).first()
    if feedback is None:
        raise Http404
    return feedback


def pending_for(user: Any, limit: int = 10) -> tuple[list[Feedback], int]:
    """For the purchaser's home page: what waits for moderation, and how many in all."""
    ids = feedback_rules.moderated_purchasers(scope_for(user))
    if not ids:
        return [], 0
    qs = moderation_queue(user)
    return list(qs[:limit]), qs.count()


def moderates_any(user: Any) -> bool:
    return bool(feedback_rules.moderated_purchasers(scope_for(user)))
