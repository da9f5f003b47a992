"""Public tender notices: the list, the notice page and its documents (no sign-in)."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from govbuy.core.errors import ValidationFailed
from govbuy.core.paging import CappedPaginator
from govbuy.core.storage import open_verified
from govbuy.procurement import selectors
from govbuy.procurement.models import TenderStatus

# --- Public notices ----------------------------------------------------------------------------------------------

PAGE_SIZE = 25


@require_http_methods(["GET"])
def public_list(request: HttpRequest) -> HttpResponse:
    status = str(request.GET.get("status") or "")
    statuses = [(value, TenderStatus(value).label) for value in selectors.PUBLIC_STATES]
    try:
        tenders = selectors.public_tenders(status)
    except ValidationFailed as error:
        context = {"page": [], "statuses": statuses, "status": "", "error": error.message}
        return render(request, "procurement/public_list.html", context, status=400)
    # Counted up to 5,000 notices (250 pages): beyond that the status filter and search narrow it.
    page = CappedPaginator(tenders, PAGE_SIZE, cap=5_000).get_page(request.GET.get("page"))
    return render(request, "procurement/public_list.html", {"page": page, "statuses": statuses, "status": status})


@require_http_methods(["GET"])
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    tender = selectors.public_tender(pk)
    return render(
        request,
        "procurement/public_detail.html",
        {
            "tender": tender,
            "lots": selectors.lots_of(tender),
            "criteria": selectors.criteria_of(tender),
            "documents": selectors.documents_of(tender),
            "opening": selectors.opening_of(tender),
            "clarifications": selectors.public_clarifications(tender),
            "awards": selectors.public_awards(tender),
        },
    )


@require_http_methods(["GET"])
def public_document(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    tender = selectors.public_tender(pk)
    doc = selectors.document_of(tender, doc_pk)
    return FileResponse(
        open_verified(doc.path, doc.sha256), as_attachment=True, filename=doc.file_name, content_type=doc.content_type
    )
