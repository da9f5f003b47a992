"""Public pages and open-data endpoints: search, /ocds/ (releases, feed, records, extension).
No login anywhere here; everything shown was published."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from govbuy.core.errors import ValidationFailed
from govbuy.core.paging import CappedPaginator
from govbuy.disclosure import ocds, packages, schema, selectors
from govbuy.disclosure.forms import SearchForm, parse_search
from govbuy.disclosure.models import SearchDocument
from govbuy.planning.models import Method, ProjectStatus
from govbuy.procurement.models import TenderStatus

PAGE_SIZE = 20


def _localised(document: SearchDocument, english: bool) -> dict[str, Any]:
    return {
        "document": document,
        "title": document.title_en if english and document.title_en else document.title_zh,
        "summary": document.summary_en if english and document.summary_en else document.summary_zh,
    }


def _status_choices() -> list[tuple[str, str]]:
    choices: dict[str, str] = {}
    for value, label in [*TenderStatus.choices, *ProjectStatus.choices]:
        if value != "draft":
            choices.setdefault(value, str(label))
    return sorted(choices.items(), key=lambda pair: pair[1])


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {
        "kinds": SearchDocument.Kind.choices,
        **selectors.filter_choices(),
        # Method and status in words; the values stay the codes the index holds.
        "methods": Method.choices,
        "statuses": _status_choices(),
    }
    try:
        form, search = parse_search(request.GET)
    except ValidationFailed as error:
        context.update({"form": SearchForm(request.GET), "error": error, "page": None})
        return render(request, "disclosure/search.html", context, status=400)
    paginator = CappedPaginator(selectors.search(query=search.query, filters=search.filters), PAGE_SIZE)
    if search.page > max(paginator.num_pages, 1):
        raise Http404
    page = paginator.page(search.page)
    english = (get_language() or "").startswith("en")
    params = request.GET.copy()
    params.pop("page", None)
    context.update(
        {
            "form": form,
            "error": None,
            "page": page,
            "results": [_localised(document, english) for document in page.object_list],
            "query": params.urlencode(),
            "searched": bool(request.GET),
        }
    )
    return render(request, "disclosure/search.html", context)


@require_safe
def ocds_index(request: HttpRequest) -> HttpResponse:
    """What we publish, where, under which policy (the packages' publicationPolicy)."""
    return render(
        request,
        "disclosure/ocds_index.html",
        {
            "prefix": ocds.ocid_prefix(),
            "scheme": settings.OCDS_ORG_SCHEME,
            "catalog_scheme": settings.OCDS_CATALOG_SCHEME,
            "extensions": ocds.extensions(),
            "license": settings.OCDS_LICENSE,
            "releases_url": reverse("disclosure:ocds-releases"),
            "feed_url": reverse("disclosure:ocds-feed"),
        },
    )


@require_safe
def ocds_releases(request: HttpRequest) -> HttpResponse:
    return packages.release_page(request, feed=False)


@require_safe
def ocds_feed(request: HttpRequest) -> HttpResponse:
    return packages.release_page(request, feed=True)


@require_safe
def ocds_record(request: HttpRequest, ocid: str) -> HttpResponse:
    return packages.record_package(request, ocid)


@require_safe
def ocds_extension(request: HttpRequest, name: str) -> HttpResponse:
    path = schema.EXTENSION_FILES.get(name)
    if path is None:
        raise Http404
    return HttpResponse(path.read_bytes(), content_type=packages.JSON)
