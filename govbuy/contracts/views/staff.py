"""The contract list, the contract page (terms, clocks, schedule, deliverables, payments,
amendments, roster, visits and, for the purchaser and oversight, signs of subcontracting) and the
downloads of the contract PDF and of deliverable evidence."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from govbuy.contracts import home, rules, selectors
from govbuy.contracts.models import (
    AmendmentRationale,
    BondForm,
    ContractStatus,
    TerminationCause,
    VisitRating,
)
from govbuy.contracts.ocds import SECTION_TITLES
from govbuy.contracts.services import common, drafting
from govbuy.core.errors import Conflict, DomainError
from govbuy.core.storage import open_verified

PAGE_SIZE = 25


@login_required
@require_http_methods(["GET"])
def contract_list(request: HttpRequest) -> HttpResponse:
    if not home.sees_contracts(request):
        raise Http404
    status = str(request.GET.get("status") or "")
    page = Paginator(selectors.visible_contracts(request.user, {"status": status}), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "contracts/contract_list.html",
        {
            "page": page,
            "status": status,
            "statuses": ContractStatus.choices,
            "awards": selectors.drawable_awards(request.user),
            "bond_forms": BondForm.choices,
        },
    )


@login_required
@require_http_methods(["GET"])
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = selectors.contract_for(request.user, pk)
    role = selectors.role_of(request.user, contract)
    clocks = selectors.clocks_of(contract)
    context = {
        "contract": contract,
        "role": role,
        "clocks": clocks,
        "overdue": clocks.overdue(contract),
        "flags": selectors.flags_of(request.user, contract),
        "accounts": selectors.payee_accounts(request.user, contract),
        "four_eyes": rules.needs_second_user(contract.value, common.four_eyes_threshold()),
        "threshold": common.four_eyes_threshold(),
        "in_delivery": contract.status in rules.DELIVERY_STATES,
        "in_force": contract.status in rules.IN_FORCE_STATES,
        "withholdable": [(key, SECTION_TITLES[key]) for key in rules.WITHHOLDABLE],
        "rationales": AmendmentRationale.choices,
        "causes": TerminationCause.choices,
        "ratings": VisitRating.choices,
        **selectors.details(contract),
    }
    return render(request, "contracts/contract_detail.html", context)


@login_required
@require_http_methods(["GET"])
def contract_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    contract = selectors.contract_for(request.user, pk)
    if not contract.pdf_path:
        raise Http404
    return FileResponse(
        open_verified(contract.pdf_path, contract.pdf_sha256),
        as_attachment=True,
        filename=f"{contract.reference}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_http_methods(["GET"])
def deliverable_document(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_for(request.user, pk)
    return FileResponse(
        open_verified(document.path, document.sha256),
        as_attachment=True,
        filename=document.display_name,
        content_type=document.content_type,
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest) -> HttpResponse:
    """The city finance bureau edits the text every new contract PDF is rendered from."""
    current = selectors.template_for(request.user)
    body, error = current.body, ""
    if request.method == "POST":
        body = str(request.POST.get("body") or "")
        try:
            drafting.edit_template(
                actor=request.user,
                body=body,
                note=str(request.POST.get("note") or ""),
                version=int(request.POST.get("version") or "-1"),
            )
        except (DomainError, ValueError) as exc:
            error = str(exc.message) if isinstance(exc, DomainError) else str(Conflict.default_message)
        else:
            messages.success(request, _("Contract template saved."))
            return redirect("contracts:template")
    return render(request, "contracts/template_form.html", {"body": body, "version": current.version, "error": error})
