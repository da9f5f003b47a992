"""Monitoring cases on a project and on a contract (issue 15: "a case on a project, tender or
contract"), and the event mails of a case: the question to the purchaser, the answer to the body,
the conclusion to the purchaser, the remedy to the body, and a reminder of an answer falling due."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from govbuy.core.errors import NotFound, ValidationFailed
from govbuy.oversight.models import CaseQuestion, MonitoringCase
from govbuy.oversight.services import monitoring

pytestmark = pytest.mark.django_db


def _emails(world):
    model = type(world.purchaser_a)
    model.objects.filter(pk=world.purchaser_a.pk).update(email="buyer@example.org")
    model.objects.filter(pk=world.auditor.pk).update(email="auditor@example.org")


def test_a_case_on_a_contract_names_it_and_shows_on_its_page(world, login, live):
    case = monitoring.open_case(actor=world.auditor, contract=live, reason="plan", reason_details="履约抽查")
    assert (case.contract_id, case.tender_id, case.project_id) == (live.pk, live.award.tender_id, live.project_id)
    client = login(world.auditor)
    assert live.reference in client.get(reverse("oversight:case", args=[case.pk])).content.decode()
    assert case.reference in client.get(reverse("contracts:detail", args=[live.pk])).content.decode()
    with pytest.raises(NotFound):
        monitoring.open_case(actor=world.district_finance_b, contract=live, reason="plan", reason_details="越区")


def test_a_case_on_a_project_from_its_page(world, login, approved):
    client = login(world.auditor)
    page = client.get(reverse("planning:project", args=[approved.pk])).content.decode()
    assert f'name="project" value="{approved.pk}"' in page
    opened = client.post(
        reverse("oversight:case_open"), {"project": approved.pk, "reason": "plan", "reason_details": "预算编制抽查"}
    )
    assert opened.status_code == 302
    case = MonitoringCase.objects.get()
    assert (case.project_id, case.tender_id, case.contract_id) == (approved.pk, None, None)


def test_exactly_one_subject(world, published, approved):
    with pytest.raises(ValidationFailed):
        monitoring.open_case(actor=world.auditor, reason="plan", reason_details="x")
    with pytest.raises(ValidationFailed):
        monitoring.open_case(actor=world.auditor, tender=published, project=approved, reason="plan", reason_details="x")


def test_the_api_opens_a_case_on_a_contract(world, login, live):
    response = login(world.auditor).post(
        reverse("api:oversight-cases"),
        {"contract": live.pk, "reason": "plan", "reason_details": "履约抽查"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["contract"] == live.reference


def test_each_step_mails_the_side_that_acts_next(world, published, django_capture_on_commit_callbacks):
    _emails(world)
    case = monitoring.open_case(actor=world.auditor, tender=published, reason="plan", reason_details="抽查")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        question = monitoring.ask_question(
            actor=world.auditor, case=case, version=case.version, text="请说明", answer_days=5
        )
    assert [m.to for m in mail.outbox] == [["buyer@example.org"]]
    assert case.reference in mail.outbox[-1].subject
    assert question.due_on.isoformat() in mail.outbox[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        monitoring.answer_question(actor=world.purchaser_a, case=case, question=question, answer="已说明")
    assert mail.outbox[-1].to == ["auditor@example.org"]
    case.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        case = monitoring.conclude_case(
            actor=world.auditor,
            case=case,
            version=case.version,
            violation=True,
            conclusion="依据不足",
            obligations="补充询价",
            remedy_days=20,
        )
    assert mail.outbox[-1].to == ["buyer@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        monitoring.report_remedy(actor=world.purchaser_a, case=case, version=case.version, report="已补充")
    assert mail.outbox[-1].to == ["auditor@example.org"]
    assert len(mail.outbox) == 4


def test_the_purchaser_is_reminded_once_of_an_answer_falling_due(world, published, django_capture_on_commit_callbacks):
    from govbuy.oversight.tasks import remind_answers

    _emails(world)
    case = monitoring.open_case(actor=world.auditor, tender=published, reason="plan", reason_details="抽查")
    question = monitoring.ask_question(
        actor=world.auditor, case=case, version=case.version, text="请说明", answer_days=5
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_answers.enqueue().return_value == 0  # five working days away
    CaseQuestion.objects.filter(pk=question.pk).update(due_on=dt.date.today())
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_answers.enqueue().return_value == 1
        assert remind_answers.enqueue().return_value == 0  # once
    assert [m.to for m in mail.outbox] == [["buyer@example.org"]]
