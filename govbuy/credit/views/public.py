"""Public credit pages (no sign-in): the serious-violation list with the national list's fields,
searchable in both scripts, with an xlsx export; each provider's published credit facts."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from govbuy.credit import selectors
from govbuy.credit.export import bans_ocds, bans_xlsx

PAGE_SIZE = 25
EXPORT_LIMIT = 10000


def ban_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.public_bans(request.GET)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "credit/public_bans.html",
        {
            "page": page,
            "q": request.GET.get("q", "")[:100],
            "state": request.GET.get("state", ""),
            "today": timezone.localdate(),
        },
    )


def ban_export(request: HttpRequest) -> HttpResponse:
    data = bans_xlsx(selectors.public_bans(request.GET)[:EXPORT_LIMIT])
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="serious-violations.xlsx"'
    return response


def ban_ocds(request: HttpRequest) -> JsonResponse:
    """The same list (same filters) as OCDS-friendly JSON, beside the xlsx."""
    data = bans_ocds(
        selectors.public_bans(request.GET)[:EXPORT_LIMIT],
        uri=request.build_absolute_uri(),
        published=timezone.now(),
    )
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})


def provider_public(request: HttpRequest, pk: int) -> HttpResponse:
    provider = selectors.public_provider(pk)
    return render(
        request,
        "credit/public_provider.html",
        {"provider": provider, "record": selectors.record_of(provider.pk, published_only=True)},
    )
