"""Pages of the award (Reg. Art. 43): the ranking with the credit checks, the proposal of each
lot's winner and the second user's confirmation above the four-eyes threshold; then the
challenges, their answers, and the complaints to the finance bureau (Law Art. 52–56)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from govbuy.core.calendar.rules import get_calendar, local_date
from govbuy.core.pages import act_then_redirect
from govbuy.core.storage import open_verified
from govbuy.organizations.scope import scope_for
from govbuy.procurement import rules
from govbuy.procurement.models import Bid, RefusalGround
from govbuy.procurement.selectors import panels, tendering
from govbuy.procurement.services import awards, challenges, oversight_reads, refusals


def _awardable(request: HttpRequest, pk: int) -> Any:
    tender = tendering.tender_for(request.user, pk)
    if not panels.sees_evaluation(request.user, tender):
        raise Http404
    return tender


@login_required
@require_http_methods(["GET"])
def award_page(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _awardable(request, pk)
    report = panels.evaluation_of(tender)
    is_staff = rules.purchaser_staff_of(scope_for(request.user), tender.purchaser_id)
    rows = panels.awards_of(tender)
    return render(
        request,
        "procurement/awards.html",
        {
            "tender": tender,
            "is_staff": is_staff,
            "awards": rows,
            "evidence_ids": [a.pk for a in rows if panels.reads_refusal_evidence(request.user, a, tender)],
            "grounds": RefusalGround.choices,
            # A lot whose winner refused to sign is awarded again (Reg. Art. 49).
            "reawardable": panels.lots_to_award_again(tender),
            "rankings": panels.visible_rankings(request.user, tender),
            "checks": panels.visible_credit_checks(request.user, tender),
            "deadline": local_date(rules.award_deadline(report.reported_at, get_calendar())) if report else None,
            "threshold": awards.four_eyes_threshold(),
        },
    )


def _act(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    return act_then_redirect(request, _awardable(request, pk), action, done, "procurement:awards")


@login_required
@require_POST
def award_propose(request: HttpRequest, pk: int) -> HttpResponse:
    bid = str(request.POST.get("bid") or "")
    reason = str(request.POST.get("reason") or "")
    if not bid.isdigit():
        raise Http404
    return _act(
        request,
        pk,
        lambda t: awards.propose_award(actor=request.user, tender=t, bid=int(bid), reason=reason),
        _("Winner proposed."),
    )


@login_required
@require_POST
def award_confirm(request: HttpRequest, pk: int, award_pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda t: awards.confirm_award(actor=request.user, tender=t, award=award_pk),
        _("Award confirmed and announced."),
    )


@login_required
@require_POST
def award_refusal_record(request: HttpRequest, pk: int, award_pk: int) -> HttpResponse:
    """Reg. Art. 49: the winner refused to sign, or did not sign within the period."""
    upload = request.FILES.get("evidence")
    evidence = (upload.name or "", upload.read()) if upload is not None else None
    ground = str(request.POST.get("ground") or "")
    reason = str(request.POST.get("reason") or "")
    return _act(
        request,
        pk,
        lambda t: refusals.record_refusal(
            actor=request.user, tender=t, award=award_pk, ground=ground, reason=reason, evidence=evidence
        ),
        _("Refusal to sign recorded; a second authorised user confirms it."),
    )


@login_required
@require_POST
def award_refusal_confirm(request: HttpRequest, pk: int, award_pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda t: refusals.confirm_refusal(actor=request.user, tender=t, award=award_pk),
        _("Refusal to sign confirmed: the award is superseded and the lot may be awarded to the next-ranked bid."),
    )


@login_required
@require_POST
def award_refusal_withdraw(request: HttpRequest, pk: int, award_pk: int) -> HttpResponse:
    """A refusal recorded by mistake is withdrawn before its confirmation."""
    reason = str(request.POST.get("reason") or "")
    return _act(
        request,
        pk,
        lambda t: refusals.withdraw_refusal(actor=request.user, tender=t, award=award_pk, reason=reason),
        _("Refusal to sign withdrawn: the award is active again."),
    )


@login_required
@require_http_methods(["GET"])
def award_refusal_evidence(request: HttpRequest, pk: int, award_pk: int) -> HttpResponse:
    """The evidence of a refusal to sign; an oversight body's download is audited."""
    award = panels.refusal_evidence_for(request.user, pk, award_pk)
    oversight_reads.record_oversight_read(
        actor=request.user, tender=award.tender, subject="refusal_evidence", object_id=award.pk
    )
    return FileResponse(
        open_verified(award.refusal_evidence_path, award.refusal_evidence_sha256),
        as_attachment=True,
        filename=award.refusal_evidence_name,
    )


@login_required
@require_http_methods(["GET"])
def challenge_page(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _awardable(request, pk)
    scope = scope_for(request.user)
    own_bidders = set(
        Bid.objects.filter(tender=tender, status="opened", provider_id__in=scope.organisation_ids)
        .values_list("provider_id", flat=True)
        .distinct()
    )
    return render(
        request,
        "procurement/challenges.html",
        {
            "tender": tender,
            "challenges": panels.challenges_for(request.user, tender),
            "is_staff": rules.purchaser_staff_of(scope, tender.purchaser_id),
            "is_reviewer": rules.finance_reviewer_of(scope, tender.region_id),
            "bidder_ids": sorted(own_bidders),
            # A complaint may name the bidder whose conduct it concerns (only the challenger's form shows it).
            "bidders": panels.bidders_of(tender) if own_bidders else [],
            "signing_allowed": panels.signing_allowed(tender),
        },
    )


def _act_challenge(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    return act_then_redirect(request, _awardable(request, pk), action, done, "procurement:challenges")


@login_required
@require_POST
def challenge_lodge(request: HttpRequest, pk: int) -> HttpResponse:
    provider = str(request.POST.get("provider") or "")
    if not provider.isdigit():
        raise Http404
    grounds = str(request.POST.get("grounds") or "")
    return _act_challenge(
        request,
        pk,
        lambda t: challenges.lodge_challenge(actor=request.user, tender=t, provider=int(provider), grounds=grounds),
        _("Challenge lodged."),
    )


@login_required
@require_POST
def challenge_answer(request: HttpRequest, pk: int, challenge_pk: int) -> HttpResponse:
    answer = str(request.POST.get("answer") or "")
    return _act_challenge(
        request,
        pk,
        lambda t: challenges.answer_challenge(actor=request.user, tender=t, challenge=challenge_pk, answer=answer),
        _("Answer recorded."),
    )


@login_required
@require_POST
def complaint_lodge(request: HttpRequest, pk: int, challenge_pk: int) -> HttpResponse:
    grounds = str(request.POST.get("grounds") or "")
    named = str(request.POST.get("against_provider") or "")
    against = int(named) if named.isdigit() else None
    return _act_challenge(
        request,
        pk,
        lambda t: challenges.lodge_complaint(
            actor=request.user, tender=t, challenge=challenge_pk, grounds=grounds, against_provider=against
        ),
        _("Complaint lodged with the finance bureau."),
    )


@login_required
@require_POST
def complaint_decide(request: HttpRequest, pk: int, complaint_pk: int) -> HttpResponse:
    upheld = request.POST.get("upheld") == "yes"
    decision = str(request.POST.get("decision") or "")
    against = request.POST.get("upheld_against_provider") == "yes"
    false = request.POST.get("false_complaint") == "yes"
    return _act_challenge(
        request,
        pk,
        lambda t: challenges.decide_complaint(
            actor=request.user,
            tender=t,
            complaint=complaint_pk,
            upheld=upheld,
            decision=decision,
            upheld_against_provider=against,
            false_complaint=false,
        ),
        _("Decision recorded."),
    )
