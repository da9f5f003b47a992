"""Pages of monitoring: the list of cases (with the form that opens one), a case with its
questions, answers, conclusion and remedy. Thin: parse, fetch through a selector, call a service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from govbuy.core.errors import DomainError
from govbuy.core.pages import flash_domain_error
from govbuy.core.storage import open_verified
from govbuy.core.uploads import read_upload
from govbuy.credit.models import FactKind
from govbuy.organizations.scope import scope_for
from govbuy.oversight import rules, selectors
from govbuy.oversight.models import CaseReason, CaseStatus
from govbuy.oversight.services import flagging, monitoring

PAGE_SIZE = 25


def _refused(request: HttpRequest, exc: DomainError) -> None:
    if exc.status == 404:
        raise Http404 from exc
    flash_domain_error(request, exc)


def _act(request: HttpRequest, pk: int, action: Callable[[Any], Any], done: str) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    try:
        action(case)
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, done)
    return redirect("oversight:case", case.pk)


@login_required
@require_http_methods(["GET"])
def case_list(request: HttpRequest) -> HttpResponse:
    monitors = selectors.monitors_any(request.user)
    status = str(request.GET.get("status") or "")
    cases = selectors.visible_cases(request.user, status=status)
    if not monitors and not scope_for(request.user).is_purchaser:
        raise Http404
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "oversight/case_list.html",
        {
            "page": page,
            "status": status,
            "statuses": CaseStatus.choices,
            "reasons": CaseReason.choices,
            "tenders": selectors.monitorable_tenders(request.user) if monitors else [],
        },
    )


@login_required
@require_POST
def case_open(request: HttpRequest) -> HttpResponse:
    try:
        case = monitoring.open_case(
            actor=request.user,
            tender=request.POST.get("tender") or None,
            contract=request.POST.get("contract") or None,
            project=request.POST.get("project") or None,
            reason=str(request.POST.get("reason") or ""),
            reason_details=str(request.POST.get("reason_details") or ""),
        )
    except DomainError as exc:
        _refused(request, exc)
        return redirect("oversight:cases")
    messages.success(request, _("Monitoring case %(reference)s opened.") % {"reference": case.reference})
    return redirect("oversight:case", case.pk)


@login_required
@require_http_methods(["GET"])
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    scope = scope_for(request.user)
    return render(
        request,
        "oversight/case_detail.html",
        {
            "case": case,
            "questions": selectors.questions_of(case),
            "is_body": rules.acts_for_body(scope, case.body_id),
            "is_purchaser": rules.acts_for_purchaser(scope, case.purchaser_id),
            "answer_days": (rules.ANSWER_DAYS_MIN, rules.ANSWER_DAYS_MAX),
            "remedy_days": (rules.REMEDY_DAYS_MIN, rules.REMEDY_DAYS_MAX),
            "referrals": selectors.case_referrals(case),
            # The conclusion form names the provider and the kind of violation to refer.
            "providers": list(selectors.process_providers(case)) if case.status == CaseStatus.ACTIVE else [],
            "fact_kinds": [(k, FactKind(k).label) for k in sorted(monitoring.REFERRED_KINDS)],
        },
    )


@login_required
@require_POST
def case_ask(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda c: monitoring.ask_question(
            actor=request.user,
            case=c,
            version=request.POST.get("version"),
            text=str(request.POST.get("text") or ""),
            answer_days=request.POST.get("answer_days"),
        ),
        _("Question sent to the purchaser."),
    )


@login_required
@require_POST
def case_answer(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    files = [(f.name, read_upload(f)) for f in request.FILES.getlist("documents")]
    return _act(
        request,
        pk,
        lambda c: monitoring.answer_question(
            actor=request.user,
            case=c,
            question=question_pk,
            answer=str(request.POST.get("answer") or ""),
            documents=files,
        ),
        _("Answer sent."),
    )


@login_required
@require_POST
def case_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    files = [(f.name, read_upload(f)) for f in request.FILES.getlist("evidence")]
    return _act(
        request,
        pk,
        lambda c: monitoring.conclude_case(
            actor=request.user,
            case=c,
            version=request.POST.get("version"),
            violation=request.POST.get("outcome") == "violation",
            conclusion=str(request.POST.get("conclusion") or ""),
            obligations=str(request.POST.get("obligations") or ""),
            remedy_days=request.POST.get("remedy_days"),
            provider=request.POST.get("provider") or None,
            fact_kind=str(request.POST.get("fact_kind") or ""),
            legal_basis=str(request.POST.get("legal_basis") or ""),
            documents=files,
        ),
        _("Conclusion recorded and published."),
    )


@login_required
@require_POST
def case_remedy(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda c: monitoring.report_remedy(
            actor=request.user,
            case=c,
            version=request.POST.get("version"),
            report=str(request.POST.get("report") or ""),
        ),
        _("Remedy reported."),
    )


@login_required
@require_POST
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda c: monitoring.close_case(actor=request.user, case=c, version=request.POST.get("version")),
        _("Case closed."),
    )


@login_required
@require_http_methods(["GET"])
def answer_document(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    doc = selectors.document_for(request.user, pk, doc_pk)
    return FileResponse(
        open_verified(doc.path, doc.sha256), as_attachment=True, filename=doc.file_name, content_type=doc.content_type
    )


@login_required
@require_http_methods(["GET"])
def flag_list(request: HttpRequest) -> HttpResponse:
    if not selectors.monitors_any(request.user):
        raise Http404
    status = str(request.GET.get("status") or "open")
    page = Paginator(selectors.ranked_flags(request.user, status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "oversight/flag_list.html", {"page": page, "status": status})


@login_required
@require_POST
def flag_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    flag = selectors.flag_for(request.user, pk)
    try:
        flagging.dismiss_flag(
            actor=request.user,
            flag=flag,
            version=request.POST.get("version"),
            reason=str(request.POST.get("reason") or ""),
        )
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Flag dismissed."))
    # Back to the process page the flag was dismissed from (a local path only), else the list.
    back = str(request.POST.get("next") or "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts=None) and back.startswith("/"):
        return redirect(back)
    return redirect("oversight:flags")
