"""Monitoring cases (issue 15, Prozorro's monitoring): a body in reach opens a case with its
reasons, asks the purchaser with a deadline in working days, the purchaser answers with documents,
the body concludes (reasons required; a violation needs obligations and a deadline), the purchaser
reports the remedy and the body closes. Every step audited; outside the reach a 404."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.urls import reverse

from govbuy.audit.describe import describe, registered_codes
from govbuy.audit.models import AuditEvent
from govbuy.core.calendar.rules import get_calendar
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.oversight import rules, selectors
from govbuy.oversight.models import CaseStatus, MonitoringCase
from govbuy.oversight.services import monitoring
from govbuy.providers.samples import minimal_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world, published):
    return monitoring.open_case(
        actor=world.auditor, tender=published, reason="risk_flag", reason_details="单一投标人，价格接近预算"
    )


def _ask(world, case, days=5):
    case.refresh_from_db()
    return monitoring.ask_question(
        actor=world.auditor, case=case, version=case.version, text="请说明评审过程", answer_days=days
    )


# --- The transition table --------------------------------------------------------------------------


def test_the_transition_table_allows_exactly_the_listed_moves():
    states = list(CaseStatus.values)
    for before, after in itertools.product(states, states):
        if after in rules.TRANSITIONS[before]:
            rules.check_transition(before, after)
        else:
            with pytest.raises(TransitionRefused):
                rules.check_transition(before, after)
    assert set(rules.TRANSITIONS) == set(states)
    for move in rules.ACTIONS.values():
        assert move is not None
        assert move[1] in rules.TRANSITIONS[move[0]]


def test_a_walk_through_every_state_with_the_services(world, case):
    assert case.status == CaseStatus.ACTIVE
    assert case.reference.startswith("JD-")
    question = _ask(world, case)
    monitoring.answer_question(
        actor=world.purchaser_a,
        case=case,
        question=question,
        answer="评审按招标文件进行",
        documents=[("评审说明.pdf", minimal_pdf("评审说明"))],
    )
    case.refresh_from_db()
    concluded = monitoring.conclude_case(
        actor=world.auditor,
        case=case,
        version=case.version,
        violation=True,
        conclusion="评分标准与招标文件不一致",
        obligations="重新组织评审",
        remedy_days=10,
    )
    assert concluded.status == CaseStatus.VIOLATION
    assert concluded.remedy_due == get_calendar().add_working_days(concluded.concluded_at, 10)
    remedied = monitoring.report_remedy(
        actor=world.purchaser_a, case=case, version=concluded.version, report="已重新评审"
    )
    assert remedied.status == CaseStatus.REMEDY_REPORTED
    closed = monitoring.close_case(actor=world.auditor, case=case, version=remedied.version)
    assert closed.status == CaseStatus.CLOSED
    actions = list(AuditEvent.objects.filter(object_type="oversight.monitoringcase").values_list("action", flat=True))
    assert actions == [
        "oversight.case.opened",
        "oversight.question.asked",
        "oversight.question.answered",
        "oversight.case.concluded",
        "oversight.case.remedy_reported",
        "oversight.case.closed",
    ]
    for event in AuditEvent.objects.filter(action__startswith="oversight."):
        assert event.action in registered_codes()
        assert "…" not in describe(event)
        assert event.region_id == world.district_a.pk


def test_no_violation_closes_without_a_remedy(world, case):
    concluded = monitoring.conclude_case(
        actor=world.auditor, case=case, version=case.version, violation=False, conclusion="程序合规"
    )
    assert concluded.status == CaseStatus.NO_VIOLATION
    assert concluded.remedy_due is None
    with pytest.raises(TransitionRefused):
        monitoring.report_remedy(actor=world.purchaser_a, case=case, version=concluded.version, report="x")
    assert monitoring.close_case(actor=world.auditor, case=case, version=concluded.version).status == "closed"


# --- Bad input -------------------------------------------------------------------------------------


def test_a_case_needs_a_reason_and_its_reasons(world, published):
    with pytest.raises(ValidationFailed) as exc:
        monitoring.open_case(actor=world.auditor, tender=published, reason="whim", reason_details="x")
    assert "reason" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        monitoring.open_case(actor=world.auditor, tender=published, reason="plan", reason_details="  ")
    assert "reason_details" in exc.value.fields


def test_a_conclusion_without_reasons_is_refused(world, case):
    with pytest.raises(ValidationFailed) as exc:
        monitoring.conclude_case(actor=world.auditor, case=case, version=case.version, violation=False, conclusion="")
    assert "conclusion" in exc.value.fields


def test_a_violation_needs_obligations_and_a_deadline(world, case):
    with pytest.raises(ValidationFailed) as exc:
        monitoring.conclude_case(
            actor=world.auditor, case=case, version=case.version, violation=True, conclusion="违规", obligations=""
        )
    assert "obligations" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        monitoring.conclude_case(
            actor=world.auditor,
            case=case,
            version=case.version,
            violation=True,
            conclusion="违规",
            obligations="整改",
            remedy_days=0,
        )
    assert "remedy_days" in exc.value.fields


def test_the_answer_deadline_is_counted_in_working_days(world, case):
    question = _ask(world, case, days=5)
    asked = question.asked_at
    assert question.due_on == get_calendar().add_working_days(asked, 5)
    assert get_calendar().working_days_between(asked, question.due_on) == 5
    with pytest.raises(ValidationFailed):
        _ask(world, case, days=100)


def test_a_stale_version_is_a_conflict(world, case):
    _ask(world, case)
    with pytest.raises(Conflict):
        monitoring.ask_question(actor=world.auditor, case=case, version=1, text="再问", answer_days=5)


# --- Reach -----------------------------------------------------------------------------------------


def test_a_body_outside_the_district_gets_a_404(world, published, case):
    # District B's finance bureau neither opens a case on district A's tender nor asks in one.
    with pytest.raises(NotFound):
        monitoring.open_case(actor=world.district_finance_b, tender=published, reason="plan", reason_details="抽查")
    with pytest.raises(NotFound):
        monitoring.ask_question(
            actor=world.district_finance_b, case=case, version=case.version, text="x", answer_days=5
        )
    with pytest.raises(NotFound):
        monitoring.ask_question(actor=world.outsider, case=case, version=case.version, text="x", answer_days=5)
    own = monitoring.open_case(actor=world.district_finance_a, tender=published, reason="plan", reason_details="抽查")
    assert own.body == world.district_finance_a_org
    assert list(selectors.visible_cases(world.district_finance_b)) == []
    assert {c.pk for c in selectors.visible_cases(world.city_finance)} == {case.pk, own.pk}


def test_only_the_opening_body_acts_and_only_the_purchaser_answers(world, case):
    question = _ask(world, case)
    with pytest.raises(PermissionRefused):
        monitoring.ask_question(actor=world.city_finance, case=case, version=case.version + 1, text="x", answer_days=5)
    with pytest.raises(PermissionRefused):
        monitoring.answer_question(actor=world.auditor, case=case, question=question, answer="x")
    with pytest.raises(NotFound):
        monitoring.answer_question(actor=world.purchaser_b, case=case, question=question, answer="x")
    with pytest.raises(PermissionRefused):
        monitoring.open_case(actor=world.purchaser_a, tender=case.tender, reason="plan", reason_details="x")


def test_a_draft_tender_cannot_be_monitored(world, make_tender):
    draft = make_tender()
    with pytest.raises(NotFound):
        monitoring.open_case(actor=world.city_finance, tender=draft, reason="plan", reason_details="x")


# --- Pages -----------------------------------------------------------------------------------------


def test_pages_take_the_auditor_from_opening_to_closing(world, login, published):
    client = login(world.auditor)
    response = client.post(
        reverse("oversight:case_open"), {"tender": published.pk, "reason": "complaint", "reason_details": "投诉线索"}
    )
    case = MonitoringCase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("oversight:case", args=[case.pk])
    client.post(reverse("oversight:case_ask", args=[case.pk]), {"version": 1, "text": "请提供合同", "answer_days": 5})
    question = case.questions.get()
    purchaser = login(world.purchaser_a)
    page = purchaser.get(reverse("oversight:case", args=[case.pk]))
    assert reverse("oversight:case_answer", args=[case.pk, question.pk]).encode() in page.content
    purchaser.post(reverse("oversight:case_answer", args=[case.pk, question.pk]), {"answer": "见附件"})
    client = login(world.auditor)
    client.post(
        reverse("oversight:case_conclude", args=[case.pk]),
        {"version": 3, "outcome": "no_violation", "conclusion": "未发现违规"},
    )
    client.post(reverse("oversight:case_close", args=[case.pk]), {"version": 4})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert client.get(reverse("oversight:cases")).status_code == 200


def test_outsiders_get_404_on_every_case_url(world, login, case):
    question = _ask(world, case)
    client = login(world.outsider)
    for name, args in (
        ("oversight:case", [case.pk]),
        ("oversight:case_ask", [case.pk]),
        ("oversight:case_answer", [case.pk, question.pk]),
        ("oversight:case_conclude", [case.pk]),
        ("oversight:case_remedy", [case.pk]),
        ("oversight:case_close", [case.pk]),
        ("oversight:answer_document", [case.pk, 1]),
    ):
        assert client.get(reverse(name, args=args)).status_code in (404, 405)
        assert client.post(reverse(name, args=args)).status_code in (404, 405)
    other = login(world.district_finance_b)
    assert other.get(reverse("oversight:case", args=[case.pk])).status_code == 404


def test_the_case_list_uses_a_fixed_number_of_queries(world, login, published, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.city_finance)
    monitoring.open_case(actor=world.auditor, tender=published, reason="plan", reason_details="抽查")
    client.get(reverse("oversight:cases"))
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("oversight:cases")).status_code == 200
    for _i in range(5):
        monitoring.open_case(actor=world.auditor, tender=published, reason="plan", reason_details="抽查")
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(reverse("oversight:cases")).status_code == 200


def test_home_sections_lead_to_the_waiting_work(world, login, case):
    question = _ask(world, case)
    home = login(world.purchaser_a).get(reverse("core:home"))
    assert b"oversight-questions" in home.content
    monitoring.answer_question(actor=world.purchaser_a, case=case, question=question, answer="已答复")
    home = login(world.auditor).get(reverse("core:home"))
    assert b"oversight-body" in home.content
    assert dt.date.today() <= question.due_on + dt.timedelta(days=30)


def test_a_conclusion_is_published_on_the_portal_project_page_and_its_api(world, client, case):
    page = reverse("portal:project", args=[case.project_id])
    api = reverse("api:portal-project", args=[case.project_id])
    assert b"monitoring-conclusions" not in client.get(page).content
    assert client.get(api).json()["panels"] == []
    monitoring.conclude_case(
        actor=world.auditor,
        case=case,
        version=case.version,
        violation=True,
        conclusion="评分标准与招标文件不一致",
        obligations="重新组织评审",
        remedy_days=10,
    )
    body = client.get(page).content.decode()
    assert 'id="monitoring-conclusions"' in body
    assert "评分标准与招标文件不一致" in body
    assert "重新组织评审" in body
    [panel] = client.get(api).json()["panels"]
    assert panel["items"][0]["label"].startswith(case.reference)


def test_no_stale_project_page_after_a_conclusion_or_a_later_step(
    world, settings, case, django_capture_on_commit_callbacks
):
    """The public project page is kept in the page cache; recording a conclusion, a remedy or the
    closing moves its generation, so no visitor is served the page as it was before."""
    from django.core.cache import caches
    from django.test import Client

    from govbuy.core import pagecache

    settings.GOVBUY_PAGE_CACHE_SECONDS = 60
    caches[pagecache.CACHE_ALIAS].clear()
    page = reverse("portal:project", args=[case.project_id])
    assert b"monitoring-conclusions" not in Client().get(page).content
    assert Client().get(page)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        case = monitoring.conclude_case(
            actor=world.auditor,
            case=case,
            version=case.version,
            violation=True,
            conclusion="评分标准与招标文件不一致",
            obligations="重新组织评审",
            remedy_days=10,
        )
    assert "评分标准与招标文件不一致" in Client().get(page).content.decode()
    concluded = Client().get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        case = monitoring.report_remedy(actor=world.purchaser_a, case=case, version=case.version, report="已重新评审")
    assert Client().get(page).content.decode() != concluded
