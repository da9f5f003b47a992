"""Reminders of the award, challenge-answer and complaint-decision time limits, mailed through
Django's mail backend by `manage.py run_deadlines`. Each (kind, object) is reminded once, so the
job may run any number of times; it changes no state the rules depend on, because every limit is
checked when the step is requested."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from govbuy.audit.services import record_event
from govbuy.core.calendar.rules import WorkingCalendar, get_calendar, local_date
from govbuy.core.mail import send_each
from govbuy.organizations.kinds import WRITE_ROLES
from govbuy.organizations.models import Membership, OrganisationKind
from govbuy.procurement import rules
from govbuy.procurement.models import (
    Challenge,
    ChallengeStatus,
    Complaint,
    ComplaintStatus,
    DeadlineReminder,
    Evaluation,
    ReminderKind,
    Tender,
    TenderStatus,
)

SUBJECTS = {
    ReminderKind.AWARD_DUE: gettext_noop("Confirm the winner of %(ref)s by %(day)s"),
    ReminderKind.ANSWER_DUE: gettext_noop("Answer the challenge to %(ref)s by %(day)s"),
    ReminderKind.DECISION_DUE: gettext_noop("Decide the complaint about %(ref)s by %(day)s"),
}


def _due_soon(deadline: dt.datetime, now: dt.datetime, calendar: WorkingCalendar) -> bool:
    """From the working day before the last day of the period on."""
    return local_date(now) >= calendar.add_working_days(local_date(deadline), -1)


def _emails(q: Q) -> list[str]:
    rows = Membership.objects.filter(q, role__in=WRITE_ROLES).values_list("user__email", flat=True)
    return sorted({e for e in rows if e})


def _purchaser_emails(tender: Tender) -> list[str]:
    return _emails(Q(organisation_id=tender.purchaser_id))


def _finance_emails(tender: Tender) -> list[str]:
    regions = [tender.region_id]
    if tender.region.parent_id:
        regions.append(tender.region.parent_id)
    return _emails(Q(organisation__kind=OrganisationKind.FINANCE_BUREAU, organisation__region_id__in=regions))


def _candidates(now: dt.datetime, calendar: WorkingCalendar) -> Iterable[tuple[str, int, Tender, dt.datetime]]:
    for report in Evaluation.objects.filter(tender__status=TenderStatus.EVALUATED).select_related("tender__region"):
        yield (
            ReminderKind.AWARD_DUE,
            report.tender_id,
            report.tender,
            rules.award_deadline(report.reported_at, calendar),
        )
    for challenge in Challenge.objects.filter(status=ChallengeStatus.LODGED).select_related("tender__region"):
        yield (
            ReminderKind.ANSWER_DUE,
            challenge.pk,
            challenge.tender,
            rules.answer_deadline(challenge.lodged_at, calendar),
        )
    for complaint in Complaint.objects.filter(status=ComplaintStatus.LODGED).select_related(
        "challenge__tender__region"
    ):
        yield (
            ReminderKind.DECISION_DUE,
            complaint.pk,
            complaint.challenge.tender,
            rules.decision_deadline(complaint.lodged_at, calendar),
        )


def _mail(addresses: list[str], subject: str, body: str) -> Callable[[], None]:
    def send() -> None:
        send_each(addresses, subject, body)

    return send


def send_deadline_reminders(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    calendar = get_calendar()
    sent = 0
    for kind, object_id, tender, deadline in list(_candidates(now, calendar)):
        if not _due_soon(deadline, now, calendar):
            continue
        with transaction.atomic():
            _reminder, created = DeadlineReminder.objects.get_or_create(
                kind=kind, object_id=object_id, defaults={"deadline": deadline, "sent_at": now}
            )
            if not created:
                continue
            day = local_date(deadline).isoformat()
            record_event(
                actor=None,
                action="procurement.deadline.reminded",
                obj=tender,
                organisation=tender.purchaser,
                data={"reference": tender.reference, "kind": str(kind), "deadline": day},
            )
            addresses = _finance_emails(tender) if kind == ReminderKind.DECISION_DUE else _purchaser_emails(tender)
            if addresses:
                subject = gettext(SUBJECTS[ReminderKind(kind)]) % {"ref": tender.reference, "day": day}
                body = subject + "\n" + gettext("Open govbuy to act before the time limit ends.")
                transaction.on_commit(_mail(addresses, subject, body))
            sent += 1
    return sent
