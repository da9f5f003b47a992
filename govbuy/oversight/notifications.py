"""Event mails of monitoring: the step that needs the other side next — a question to the
purchaser, an answer or a remedy report to the body, the conclusion to the purchaser, and a
reminder of an answer falling due. Recipients are read inside the service's transaction and the
mail is sent on commit (govbuy.core.mail); mails are written in the site's default language."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from govbuy.core.mail import send_each
from govbuy.organizations.kinds import WRITE_ROLES
from govbuy.organizations.models import Membership
from govbuy.oversight.models import CaseQuestion, MonitoringCase

ASKED = (
    gettext_noop("Monitoring case %(ref)s: a question from %(body)s"),
    gettext_noop(
        "%(body)s asks %(purchaser)s a question in monitoring case %(ref)s on %(subject)s. Answer by %(due)s. "
        "Details: %(path)s"
    ),
)
ANSWERED = (
    gettext_noop("Monitoring case %(ref)s: the purchaser answered"),
    gettext_noop("%(purchaser)s answered a question in monitoring case %(ref)s on %(subject)s. Details: %(path)s"),
)
CONCLUDED = (
    gettext_noop("Monitoring case %(ref)s concluded"),
    gettext_noop(
        "%(body)s concluded monitoring case %(ref)s on %(subject)s: %(outcome)s. The conclusion is published. "
        "Details: %(path)s"
    ),
)
REMEDIED = (
    gettext_noop("Monitoring case %(ref)s: remedy reported"),
    gettext_noop("%(purchaser)s reported the remedy in monitoring case %(ref)s on %(subject)s. Details: %(path)s"),
)
DUE = (
    gettext_noop("Monitoring case %(ref)s: an answer is due by %(due)s"),
    gettext_noop(
        "The question of %(body)s in monitoring case %(ref)s on %(subject)s waits for an answer, due by %(due)s. "
        "Details: %(path)s"
    ),
)


def _purchaser(case: MonitoringCase) -> list[str]:
    rows = Membership.objects.filter(
        organisation_id=case.purchaser_id, is_active=True, user__is_active=True, role__in=WRITE_ROLES
    ).values_list("user__email", flat=True)
    return sorted({e for e in rows if e})


def _body(case: MonitoringCase) -> list[str]:
    """Every member of the body: audit and supervision staff hold read-only roles, and act on the case."""
    rows = Membership.objects.filter(organisation_id=case.body_id, is_active=True, user__is_active=True).values_list(
        "user__email", flat=True
    )
    return sorted({e for e in rows if e})


def subject_of(case: MonitoringCase) -> str:
    if case.contract_id:
        return case.contract.reference
    if case.tender_id:
        return case.tender.reference
    return case.project.reference


def _send(addresses: list[str], template: tuple[str, str], case: MonitoringCase, **extra: str) -> None:
    if not addresses:
        return
    values = {
        "ref": case.reference,
        "body": case.body.name_zh,
        "purchaser": case.purchaser.name_zh,
        "subject": subject_of(case),
        "path": reverse("oversight:case", args=[case.pk]),
        **extra,
    }

    def deliver() -> None:
        with translation.override(settings.LANGUAGE_CODE):
            subject = gettext(template[0]) % values
            body = gettext(template[1]) % values
        send_each(addresses, subject, body)

    transaction.on_commit(deliver)


def asked(case: MonitoringCase, question: CaseQuestion) -> None:
    _send(_purchaser(case), ASKED, case, due=question.due_on.isoformat())


def answered(case: MonitoringCase) -> None:
    _send(_body(case), ANSWERED, case)


def concluded(case: MonitoringCase) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        outcome = str(case.get_status_display())
    _send(_purchaser(case), CONCLUDED, case, outcome=outcome)


def remedied(case: MonitoringCase) -> None:
    _send(_body(case), REMEDIED, case)


def answer_due(case: MonitoringCase, question: CaseQuestion) -> None:
    _send(_purchaser(case), DUE, case, due=question.due_on.isoformat())
