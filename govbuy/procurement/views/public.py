"""Public tender notices: the list, the notice page and its documents (no sign-in)."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from govbuy.core.calendar.rules import get_calendar
from govbuy.core.errors import ValidationFailed
from govbuy.core.paging import CappedPaginator
from govbuy.core.storage import open_verified
from govbuy.organizations.models import Organisation
from govbuy.procurement import rules
from govbuy.procurement.forms import PublicTenderFilterForm
from govbuy.procurement.models import TenderStatus
from govbuy.procurement.selectors import panels, questions, tendering

# --- Public notices ----------------------------------------------------------------------------------------------

PAGE_SIZE = 25


@require_http_methods(["GET"])
def public_list(request: HttpRequest) -> HttpResponse:
    status = str(request.GET.get("status") or "")
    statuses = [(value, TenderStatus(value).label) for value in tendering.PUBLIC_STATES]
    purchasers = Organisation.objects.filter(pk__in=tendering.public_tenders().values("purchaser_id")).order_by(
        "name_zh"
    )
    form = PublicTenderFilterForm(request.GET, purchasers=purchasers)
    try:
        tenders = tendering.public_tenders(status)
    except ValidationFailed as error:
        context = {"page": [], "statuses": statuses, "status": "", "error": error.message, "form": form}
        return render(request, "procurement/public_list.html", context, status=400)
    tenders = form.apply_to(tenders)
    # Counted up to 5,000 notices (250 pages): beyond that the filters and search narrow it.
    page = CappedPaginator(tenders, PAGE_SIZE, cap=5_000).get_page(request.GET.get("page"))
    context = {"page": page, "statuses": statuses, "status": status, "form": form}
    return render(request, "procurement/public_list.html", context)


@require_http_methods(["GET"])
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The tender notice (招标公告) in the national section order, then the result notice
    (中标（成交）结果公告) once a winner is confirmed, or the reason it was cancelled or failed."""
    tender = tendering.public_tender(pk)
    awards = panels.public_awards(tender)
    notice_at = max((a.confirmed_at for a in awards if a.confirmed_at), default=None)
    return render(
        request,
        "procurement/public_detail.html",
        {
            "tender": tender,
            "project": tender.project,
            "lots": tendering.lots_of(tender),
            "criteria": tendering.criteria_of(tender),
            "documents": tendering.documents_of(tender),
            "opening": tendering.opening_of(tender),
            "clarifications": questions.public_clarifications(tender),
            "awards": awards,
            # A winner that refused to sign (Reg. Art. 49): the new result notice says whom the award passed from.
            "refusals": panels.public_refusals(tender) if awards else [],
            "award_notice_at": notice_at,
            # The panel's names are part of the result notice (not before: they stay secret until then).
            "panel_names": panels.public_panel_names(tender) if awards else [],
            "challenge_until": rules.challenge_deadline(notice_at, get_calendar()) if notice_at else None,
        },
    )


@require_http_methods(["GET"])
def public_document(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    tender = tendering.public_tender(pk)
    doc = tendering.document_of(tender, doc_pk)
    return FileResponse(
        open_verified(doc.path, doc.sha256), as_attachment=True, filename=doc.file_name, content_type=doc.content_type
    )
