"""Public pages of oversight: the audit chain's published daily checkpoints."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from govbuy.oversight import selectors

PAGE_SIZE = 50


@require_safe
def checkpoints(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.published_checkpoints(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "oversight/checkpoints.html", {"page": page})
