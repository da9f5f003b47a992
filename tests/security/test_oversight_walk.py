"""Oversight reads everything in its reach and changes nothing (issue 15, seed §四.一, §四.二).

Every URL pattern of the staff side and the API is walked (like test_headers.py) and filled with
real objects: a tender that went through opening, evaluation, award, a challenge and a complaint
(with the bid documents), a second tender still sealed, and the project, plan and budget behind
them. Each oversight persona (the city finance bureau, the district finance bureaus, the audit
office and the supervision office) then GETs every URL: an unexpected 404 fails. It POSTs to
every URL too: an audit event written by the request (every change writes one) fails.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from govbuy.accounts.testing import force_login_verified
from govbuy.audit.models import AuditEvent
from govbuy.procurement.models import Award, Challenge, Complaint, Ranking
from govbuy.procurement.services import awards, challenges, evaluation, opening, tenders
from tests.builders.procurement import make_experts, past_opening_time, seat_and_score
from tests.security.test_headers import reachable_endpoints, walk
from tests.security.test_sealed_bids import SAMPLES, _sealed_world

OVERSIGHT = ("city_finance", "district_finance_a", "district_finance_b", "auditor", "supervisor")


def _awarded_world(world):
    objects = _sealed_world(world)
    tender = objects["tender"]
    from govbuy.procurement.models import ProcurementMethod

    method = ProcurementMethod.objects.get(code="public_tender")
    tenders.update_method(
        actor=world.city_finance, method=method, version=method.version, min_suppliers=2, panel_size=3
    )
    past_opening_time(tender)
    opening.initiate_opening(actor=world.purchaser_a, tender=tender)
    opening.confirm_opening(actor=world.purchaser_a_approver, tender=tender)
    make_experts(world, 3)
    seat_and_score(world, tender)
    evaluation.complete_evaluation(actor=world.purchaser_a, tender=tender)
    top = Ranking.objects.get(evaluation__tender=tender, rank=1).bid
    evaluation.record_credit_check(
        actor=world.purchaser_a,
        tender=tender,
        bid=top,
        dishonest_debtors="clear",
        tax_violations="clear",
        procurement_violations="clear",
        reference="信用中国",
    )
    award = awards.propose_award(actor=world.purchaser_a, tender=tender, bid=top)
    if award.status == "proposed":
        awards.confirm_award(actor=world.purchaser_a_approver, tender=tender, award=award)
    loser = Ranking.objects.get(evaluation__tender=tender, rank=2).bid.provider
    user = world.provider_a if loser == world.provider_a_org else world.provider_b
    challenge = challenges.lodge_challenge(actor=user, tender=tender, provider=loser, grounds="评分有误")
    challenges.answer_challenge(actor=world.purchaser_a, tender=tender, challenge=challenge, answer="复核无误")
    challenges.lodge_complaint(actor=user, tender=tender, challenge=challenge, grounds="答复不当")
    tender.refresh_from_db()
    objects["tender"] = tender
    objects["award"] = Award.objects.get(tender=tender)
    objects["challenge"] = Challenge.objects.get(tender=tender)
    objects["complaint"] = Complaint.objects.get(challenge__tender=tender)
    objects["bid_document"] = objects["bid"].documents.get()
    objects["profile"] = world.provider_a_org.provider_profile
    objects["line"] = objects["project"].budget_line
    objects["event"] = AuditEvent.objects.filter(action="procurement.tender.created").get()
    from govbuy.oversight.services import monitoring

    objects["case"] = monitoring.open_case(
        actor=world.auditor, tender=tender, reason="complaint", reason_details="投诉"
    )
    return objects


# Patterns with arguments outside procurement and the portal (those are in SAMPLES), filled with
# the objects above: everything an oversight body reads about the process and its parties.
MORE_SAMPLES = {
    "procurement:bid_document": lambda o: {"pk": o["bid_document"].pk},
    "procurement:award_confirm": lambda o: {"pk": o["tender"].pk, "award_pk": o["award"].pk},
    "procurement:challenge_answer": lambda o: {"pk": o["tender"].pk, "challenge_pk": o["challenge"].pk},
    "procurement:complaint_lodge": lambda o: {"pk": o["tender"].pk, "challenge_pk": o["challenge"].pk},
    "procurement:complaint_decide": lambda o: {"pk": o["tender"].pk, "complaint_pk": o["complaint"].pk},
    "api:procurement-award-confirm": lambda o: {"pk": o["tender"].pk, "award_pk": o["award"].pk},
    "procurement:award_refusal_record": lambda o: {"pk": o["tender"].pk, "award_pk": o["award"].pk},
    "procurement:award_refusal_confirm": lambda o: {"pk": o["tender"].pk, "award_pk": o["award"].pk},
    "api:procurement-award-refusal": lambda o: {"pk": o["tender"].pk, "award_pk": o["award"].pk},
    "api:procurement-award-refusal-confirm": lambda o: {"pk": o["tender"].pk, "award_pk": o["award"].pk},
    "procurement:award_refusal_withdraw": lambda o: {"pk": o["tender"].pk, "award_pk": o["award"].pk},
    "api:procurement-award-refusal-withdraw": lambda o: {"pk": o["tender"].pk, "award_pk": o["award"].pk},
    "procurement:award_refusal_evidence": lambda o: {"pk": o["tender"].pk, "award_pk": o["award"].pk},
    "api:procurement-award-refusal-evidence": lambda o: {"pk": o["tender"].pk, "award_pk": o["award"].pk},
    "api:procurement-challenge-answer": lambda o: {"pk": o["tender"].pk, "challenge_pk": o["challenge"].pk},
    "api:procurement-complaint": lambda o: {"pk": o["tender"].pk, "challenge_pk": o["challenge"].pk},
    "api:procurement-complaint-decide": lambda o: {"pk": o["tender"].pk, "complaint_pk": o["complaint"].pk},
    "planning:project": lambda o: {"pk": o["project"].pk},
    "planning:project_edit": lambda o: {"pk": o["project"].pk},
    "planning:project_action": lambda o: {"pk": o["project"].pk, "action": "cancel"},
    "planning:budget": lambda o: {"pk": o["line"].budget_id},
    "planning:line_add": lambda o: {"pk": o["line"].budget_id},
    "planning:budget_import": lambda o: {"pk": o["line"].budget_id},
    "planning:line_edit": lambda o: {"pk": o["line"].pk},
    "api:planning-project": lambda o: {"pk": o["project"].pk},
    "api:planning-project-cancel": lambda o: {"pk": o["project"].pk},
    "api:planning-project-withdraw": lambda o: {"pk": o["project"].pk},
    "api:planning-budget": lambda o: {"pk": o["line"].budget_id},
    "api:planning-budget-lines": lambda o: {"pk": o["line"].budget_id},
    "api:planning-line": lambda o: {"pk": o["line"].pk},
    "organizations:detail": lambda o: {"pk": o["purchaser"].pk},
    "organizations:members": lambda o: {"pk": o["purchaser"].pk},
    "organizations:edit": lambda o: {"pk": o["purchaser"].pk},
    "organizations:deactivate": lambda o: {"pk": o["purchaser"].pk},
    "api:organisation-detail": lambda o: {"pk": o["purchaser"].pk},
    "api:organisation-members": lambda o: {"pk": o["purchaser"].pk},
    "providers:detail": lambda o: {"pk": o["profile"].pk},
    "providers:edit": lambda o: {"pk": o["profile"].pk},
    "providers:suspend": lambda o: {"pk": o["profile"].pk},
    "api:provider-detail": lambda o: {"pk": o["profile"].pk},
    "api:provider-suspend": lambda o: {"pk": o["profile"].pk},
    "catalog:region": lambda o: {"region_code": "110000"},
    "catalog:history": lambda o: {"region_code": "110000"},
    "catalog:version": lambda o: {"region_code": "110000", "number": 1},
    "catalog:item": lambda o: {"region_code": "110000", "number": 1, "code": "A05-01"},
    "oversight:case": lambda o: {"pk": o["case"].pk},
    "api:oversight-case": lambda o: {"pk": o["case"].pk},
    "audit:event_detail": lambda o: {"position": o["event"].position},
    "api:audit-event-detail": lambda o: {"position": o["event"].position},
}

# Pages that answer 404 to every oversight body, with the reason.
NOT_OVERSIGHT = {
    # Oversight reads a refusal's evidence (audited): govbuy/procurement/tests/test_refusals.py.
    "procurement:award_refusal_evidence": "the walk's award has no refusal to sign, so no evidence to read",
    "api:procurement-award-refusal-evidence": "the walk's award has no refusal to sign, so no evidence to read",
    "providers:mine": "a provider's own dossier",
    "procurement:tender_create": "drafting a tender is the purchaser's",
    "procurement:bid_submit": "bidding is a provider's",
    "planning:project_create": "proposing a project is the purchaser's",
    "planning:project_edit": "editing a proposal is the purchaser's",
    "planning:line_add": "a purchaser's budget lines are its own to edit",
    "planning:budget_import": "a purchaser's budget lines are its own to edit",
    "planning:line_edit": "a purchaser's budget lines are its own to edit",
    "providers:edit": "a provider edits its own dossier",
    "organizations:edit": "an organisation edits its own record",
    "portal:feedback-queue": "moderating citizens' comments is the purchaser's (it holds contacts)",
    "portal:feedback": "moderating citizens' comments is the purchaser's (it holds contacts)",
    "api:portal-feedback": "moderating citizens' comments is the purchaser's (it holds contacts)",
    "api:catalog-purchasable": "answers a question asked in the query string",
    "api:procurement-invitation-draw": "the sample tender is open, so it has no draw",
    "credit:mine": "a provider's own credit record",
    "performance:survey-new": "opening a recipient survey is the purchaser's",
    "performance:surveys": "the purchaser's survey workspace (each survey's aggregates show on its round)",
    "performance:commissions": "a third-party evaluator's own commissions (each shows on its round)",
    "performance:consultation-new": "opening a consultation is the drafting body's",
    "performance:round-new": "opening an evaluation round is the purchaser's",
}
# What only the city's finance bureau keeps (the methods table, the holiday calendar).
CITY_FINANCE_ONLY = {
    "procurement:method_edit",
    "core:calendar-edit-current",
    # The contract template the city finance bureau edits (each signed contract's PDF is read where
    # the contract is).
    "contracts:template",
    "api:contract-template",
    # The indicator templates and the key-project thresholds are the city finance bureau's to set.
    "performance:template-new",
    "performance:thresholds",
    "api:performance-thresholds",
}
# What finance bureaus keep and audit and supervision do not read.
FINANCE_ONLY = {
    "catalog:manage": "catalog drafts are the finance bureau's work in progress",
    "catalog:import": "catalog drafts are the finance bureau's work in progress",
    "catalog:filings": "filings pass between finance bureaus",
    "procurement:experts": "the expert pool is kept by the finance bureau",
    "providers:report": "the registration authorities' report",
    "api:provider-report": "the registration authorities' report",
    "credit:workspace": "entering facts and deciding objections is the finance bureau's work",
    "performance:consultations": "moderated by the body that drafted it (published comments are public)",
}
# A provider's dossier (identity papers, staff) is read by its registration authority and by audit
# and supervision; the finance bureaus read the public directory entry.
NOT_FINANCE = {"providers:detail", "api:provider-detail"}
# District A's process, which the other district's finance bureau must not see (the boundary).
DISTRICT_A_PAGES = (
    "procurement:tender",
    "procurement:evaluation",
    "procurement:awards",
    "procurement:challenges",
    "procurement:bid_document",
    "api:procurement-tender",
    "api:procurement-evaluation",
    "api:procurement-awards",
    "api:procurement-challenges",
    "planning:project",
    "api:planning-project",
    "oversight:case",
    "api:oversight-case",
)
# POST targets that are the user's own account or the audit office's own check, not a record of
# the process: a read-only body may use them.
OWN_ACTIONS = re.compile(r"^(accounts:|api:auth-|api:me|set_language$|audit:verify_run_create$|api:audit-verify-runs$)")
# What the finance bureaus write in their own duties (the pool, the methods, the complaint decision).
FINANCE_WRITES = re.compile(r"^(procurement\.(expert|method|complaint)\.|catalog\.|calendar\.)")
# Every monitoring body's own work: its monitoring cases.
MONITORING_WRITES = re.compile(r"^oversight\.")
# Events that record a read (an export, an oversight body's look at a confidential record), not a change.
READ_EVENTS = re.compile(r"(\.exported$|^procurement\.oversight\.read$)")
POST_FORM = re.compile(r'<form[^>]*method="post"[^>]*>', re.I)
ACTION = re.compile(r'action="([^"]*)"')
# Forms that change no record of the process: the user's own account and language, the audit
# office's chain verification, a citizen's comment, the check digit of a credit code, and the
# registration of one's own organisation as a provider (open to every signed-in user), and the
# body's own monitoring cases and risk flags.
PUBLIC_FORMS = re.compile(
    r"^(/accounts/|/i18n/setlang/|/audit/verify-runs/|/projects/\d+/feedback/|/organizations/uscc-check/"
    r"|/providers/register/|/oversight/|/s/)"  # /s/: where a recipient enters a survey code (public)
)


def _urls(objects):
    objects = {**objects, "purchaser": objects["project"].purchaser}
    generic = dict(reachable_endpoints()[0])
    samples = {**SAMPLES, **MORE_SAMPLES}
    out = []
    for endpoint in walk():
        if endpoint.key.startswith(("admin:", "admin/")):
            continue
        if endpoint.key in samples:
            out.append((endpoint.key, reverse(endpoint.key, kwargs=samples[endpoint.key](objects))))
        elif "<" not in endpoint.route and "(?P" not in endpoint.route and endpoint.key in generic:
            out.append((endpoint.key, generic[endpoint.key]))
    return out


def _expected_404(persona: str, key: str) -> bool:
    if key in NOT_OVERSIGHT:
        return True
    if key in CITY_FINANCE_ONLY and persona != "city_finance":
        return True
    if key in NOT_FINANCE and "finance" in persona:
        return True
    return key in FINANCE_ONLY and persona in ("auditor", "supervisor")


@pytest.fixture
def awarded_world(world):
    return _awarded_world(world)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", OVERSIGHT)
def test_oversight_bodies_read_every_page_in_their_reach(world, awarded_world, persona):
    client = force_login_verified(Client(), getattr(world, persona))
    urls = _urls(awarded_world)
    assert len(urls) > 190
    sampled = {*SAMPLES, *MORE_SAMPLES}
    problems = []
    for key, url in urls:
        response = client.get(url)
        status = response.status_code
        if persona == "district_finance_b" and key in DISTRICT_A_PAGES:
            if status != 404:
                problems.append(f"{key} GET {url}: {status}, not 404 across the district boundary")
            continue
        # The other district's bureau may find any record of district A's process missing.
        across = persona == "district_finance_b" and key in sampled
        if status == 404 and not across and not _expected_404(persona, key):
            problems.append(f"{persona} {key} GET {url}: unexpected 404")
        if status >= 500:
            problems.append(f"{key} GET {url}: {status}")
        if persona in ("auditor", "supervisor") and status == 200 and "text/html" in response.get("Content-Type", ""):
            body = b"".join(response.streaming_content) if response.streaming else response.content
            for form in POST_FORM.findall(body.decode("utf-8", "replace")):
                match = ACTION.search(form)
                target = match.group(1) if match and match.group(1) else url
                if not PUBLIC_FORMS.match(target):
                    problems.append(f"{key} GET {url}: a read-only body is offered a form posting to {target}")
    assert problems == [], "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", OVERSIGHT)
def test_oversight_bodies_change_nothing_they_do_not_own(world, awarded_world, persona):
    client = force_login_verified(Client(), getattr(world, persona))
    writes = []
    for key, url in _urls(awarded_world):
        if OWN_ACTIONS.match(key):
            continue
        before = AuditEvent.objects.order_by("-position").values_list("position", flat=True).first()
        if key.startswith("api:"):
            response = client.post(url, {}, content_type="application/json")
        else:
            response = client.post(url, {})
        new = [
            a
            for a in AuditEvent.objects.filter(position__gt=before).values_list("action", flat=True)
            if not READ_EVENTS.search(a) and not MONITORING_WRITES.match(a)
        ]
        if persona.endswith("finance") or persona.startswith("district_finance"):
            new = [a for a in new if not FINANCE_WRITES.match(a)]
        if new:
            writes.append(f"{key} POST {url} [{response.status_code}]: {new}")
        if response.status_code >= 500:
            writes.append(f"{key} POST {url}: {response.status_code}")
    assert writes == [], "\n".join(writes)


@pytest.mark.django_db
def test_sensitive_reads_by_oversight_leave_an_audit_event(world, awarded_world):
    tender = awarded_world["tender"]
    urls = {
        "evaluation": reverse("procurement:evaluation", args=[tender.pk]),
        "evaluation_report": reverse("procurement:evaluation_report", args=[tender.pk]),
        "bid_document": reverse("procurement:bid_document", args=[awarded_world["bid_document"].pk]),
    }
    auditor = force_login_verified(Client(), world.auditor)
    for subject, url in urls.items():
        response = auditor.get(url)
        assert response.status_code == 200, subject
        event = AuditEvent.objects.filter(action="procurement.oversight.read").order_by("-position").first()
        assert event is not None
        assert event.data["subject"] == subject
        assert event.actor_id == world.auditor.pk
        assert event.organisation_id == world.audit_org.pk
        assert event.region_id == tender.region_id
    api = auditor.get(reverse("api:procurement-evaluation", args=[tender.pk]))
    assert api.status_code == 200
    assert AuditEvent.objects.filter(action="procurement.oversight.read").count() == 4
    # The purchaser's own reads are its work, not oversight.
    purchaser = force_login_verified(Client(), world.purchaser_a)
    assert purchaser.get(urls["evaluation"]).status_code == 200
    assert AuditEvent.objects.filter(action="procurement.oversight.read").count() == 4


@pytest.mark.django_db
def test_oversight_sees_the_evaluation_only_once_the_panel_is_done(world):
    from govbuy.procurement.selectors import panels, tendering

    objects = _sealed_world(world)
    tender = objects["tender"]
    from govbuy.procurement.models import ProcurementMethod

    method = ProcurementMethod.objects.get(code="public_tender")
    tenders.update_method(
        actor=world.city_finance, method=method, version=method.version, min_suppliers=2, panel_size=3
    )
    past_opening_time(tender)
    opening.initiate_opening(actor=world.purchaser_a, tender=tender)
    opening.confirm_opening(actor=world.purchaser_a_approver, tender=tender)
    tender.refresh_from_db()
    for persona in ("city_finance", "auditor", "supervisor", "district_finance_a"):
        user = getattr(world, persona)
        assert tendering.sees_opened_bids(user, tender)
        assert not panels.sees_full_evaluation(user, tender), persona
        response = force_login_verified(Client(), user).get(reverse("procurement:evaluation", args=[tender.pk]))
        assert response.status_code == 404
    assert panels.sees_full_evaluation(world.purchaser_a, tender)
