"""The signed-in credit pages: a provider's record (score with every fact and its weight, what
would change it, objections), and the authority's workspace (confirm facts, decide objections,
import lists, decide bans)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from govbuy.core.errors import DomainError
from govbuy.core.pages import flash_domain_error
from govbuy.core.uploads import read_upload
from govbuy.credit import selectors
from govbuy.credit.export import report_pdf, report_xlsx
from govbuy.credit.forms import BanForm, DecisionForm, FactForm, ListImportForm, ObjectionForm
from govbuy.credit.models import CreditFact
from govbuy.credit.services import bans, lists, objections, records, reports
from govbuy.organizations.models import Organisation
from govbuy.organizations.rules import VERIFIER_KINDS
from govbuy.organizations.scope import scope_for


def _files(form: Any, name: str = "evidence") -> list[tuple[str, bytes]]:
    upload = form.cleaned_data.get(name)
    return [(upload.name, read_upload(upload))] if upload else []


def _attempt(request: HttpRequest, action: Any, success: str) -> bool:
    try:
        action()
    except DomainError as exc:
        flash_domain_error(request, exc)
        return False
    messages.success(request, success)
    return True


@login_required
def provider_record(request: HttpRequest, pk: int) -> HttpResponse:
    provider = selectors.provider_for(request.user, pk)
    scope = scope_for(request.user)
    return render(
        request,
        "credit/provider_record.html",
        {
            "provider": provider,
            "record": selectors.record_of(provider.pk),
            "is_provider": scope.writes_for(provider.pk),
            "objection_form": ObjectionForm(),
        },
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    provider_id = scope_for(request.user).acting_provider()
    if provider_id is None:
        raise Http404
    return redirect("credit:provider", pk=provider_id)


@login_required
@require_POST
def object_to_fact(request: HttpRequest, pk: int) -> HttpResponse:
    fact = CreditFact.objects.filter(pk=pk).first()
    if fact is None or not scope_for(request.user).writes_for(fact.provider_id):
        raise Http404
    form = ObjectionForm(request.POST, request.FILES)
    if form.is_valid():
        _attempt(
            request,
            lambda: objections.file_objection(
                actor=request.user, fact=fact, text=form.cleaned_data["text"], documents=_files(form)
            ),
            _("Your objection is filed; the recording authority decides it with reasons."),
        )
    else:
        messages.error(request, _("Give the grounds of the objection."))
    return redirect("credit:provider", pk=fact.provider_id)


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (scope.is_finance(write=True) or scope.is_platform_admin):
        raise Http404
    return render(
        request,
        "credit/workspace.html",
        {
            "to_confirm": list(selectors.facts_to_confirm(request.user)[:50]),
            "objections": list(selectors.objections_to_decide(request.user)[:50]),
            "lists": selectors.lists_status(),
            "fact_form": FactForm(),
            "ban_form": BanForm(),
            "list_form": ListImportForm(),
            "decision_form": DecisionForm(),
        },
    )


@login_required
@require_POST
def enter_fact(request: HttpRequest) -> HttpResponse:
    form = FactForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        _attempt(
            request,
            lambda: records.enter_fact(
                actor=request.user,
                provider=data["provider"],
                kind=data["kind"],
                occurred_on=data["occurred_on"],
                summary=data["summary"],
                legal_basis=data["legal_basis"],
                documents=_files(form),
            ),
            _("The fact is entered; a second person of the authority confirms it."),
        )
    else:
        messages.error(request, _("Check the fields of the fact."))
    return redirect("credit:workspace")


@login_required
@require_POST
def confirm_fact(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        records.confirm_fact(actor=request.user, fact=pk)
    except DomainError as exc:
        if exc.code == "not_found":
            raise Http404 from exc
        flash_domain_error(request, exc)
    else:
        messages.success(request, _("The fact is confirmed; the provider is told of it."))
    return redirect("credit:workspace")


@login_required
@require_POST
def decide_objection(request: HttpRequest, pk: int) -> HttpResponse:
    objection = selectors.objection_for(request.user, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        _attempt(
            request,
            lambda: objections.decide_objection(
                actor=request.user,
                objection=objection,
                version=data["version"],
                upheld=data["upheld"],
                reasons=data["reasons"],
            ),
            _("The objection is decided."),
        )
    else:
        messages.error(request, _("Give the decision and its reasons."))
    return redirect("credit:workspace")


@login_required
@require_POST
def decide_ban(request: HttpRequest) -> HttpResponse:
    form = BanForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        _attempt(request, lambda: bans.decide_ban(actor=request.user, **data), _("The ban is decided and in force."))
    else:
        messages.error(request, _("Check the fields of the ban."))
    return redirect("credit:workspace")


@login_required
@require_POST
def import_list(request: HttpRequest) -> HttpResponse:
    form = ListImportForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            lists.import_list(
                actor=request.user,
                kind=data["kind"],
                publisher=data["publisher"],
                source=data["source"],
                as_of=data["as_of"],
                file_name=upload.name,
                data=read_upload(upload),
            )
        except DomainError as exc:
            flash_domain_error(request, exc)
            for problems in (exc.fields or {}).values():
                for problem in problems[:50]:
                    messages.error(request, str(problem))
        else:
            messages.success(request, _("The list is imported."))
    else:
        messages.error(request, _("Check the fields of the import."))
    return redirect("credit:workspace")


@login_required
def tender_checks(request: HttpRequest, pk: int) -> HttpResponse:
    tender = selectors.tender_for_checks(request.user, pk)
    return render(request, "credit/tender_checks.html", {"tender": tender, "rows": selectors.checks_of(tender)})


@login_required
@require_POST
def check_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    tender = selectors.tender_for_checks(request.user, pk)
    target = int(request.POST.get("target") or 0)
    steps = {
        "run": lambda: lists.run_check(
            actor=request.user, tender=tender, bid=target, stage=request.POST.get("stage", "evaluation")
        ),
        "accept": lambda: lists.accept_findings(actor=request.user, check=target),
        "override": lambda: lists.propose_override(
            actor=request.user, check=target, reason=request.POST.get("reason", "")
        ),
        "confirm": lambda: lists.confirm_override(actor=request.user, check=target),
    }
    if action not in steps:
        raise Http404
    try:
        steps[action]()
    except DomainError as exc:
        if exc.code == "not_found":
            raise Http404 from exc
        flash_domain_error(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect("credit:tender_checks", pk=tender.pk)


@login_required
@require_http_methods(["GET", "POST"])
def report_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if request.method == "POST":
        if not scope.is_finance(write=True):
            raise Http404
        try:
            year = int(request.POST.get("year") or 0)
            recipient = int(request.POST.get("recipient") or 0)
        except ValueError:
            year, recipient = 0, 0
        _attempt(
            request,
            lambda: reports.issue_report(actor=request.user, recipient=recipient, year=year),
            _("The report is issued; the authority finds it on its home page."),
        )
        return redirect("credit:reports")
    recipients = Organisation.objects.filter(kind__in=sorted(VERIFIER_KINDS - {"finance_bureau"})).order_by("name_zh")
    return render(
        request,
        "credit/reports.html",
        {
            "reports": list(selectors.visible_reports(request.user)[:100]),
            "may_issue": scope.is_finance(write=True),
            "recipients": recipients if scope.is_finance(write=True) else [],
            "year": timezone.localdate().year - 1,
        },
    )


@login_required
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    report = selectors.report_for(request.user, pk)
    if scope_for(request.user).writes_for(report.recipient_id) or report.recipient_id in {
        m.organisation_id for m in scope_for(request.user).memberships
    }:
        reports.mark_received(actor=request.user, report=report)
    if fmt == "pdf":
        response = HttpResponse(report_pdf(report), content_type="application/pdf")
    else:
        response = HttpResponse(
            report_xlsx(report), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="credit-report-{report.year}-{report.pk}.{fmt}"'
    return response
