"""OCDS packages as HTTP responses: release pages, the feed and records. Shared by the /ocds/
views and the API module, so both answer with the same bytes.

Stored releases are canonical JSON text; a release package is spliced together from them without
parsing, which keeps a page of 500 releases cheap. A page without releases answers 204 (an OCDS
package must hold at least one release) with the cursor to poll again in its Link header.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse

from govbuy.core.errors import DomainError, NotFound
from govbuy.disclosure import jsonutil, ocds, rules, selectors
from govbuy.disclosure.compile import record_for

JSON = "application/json; charset=utf-8"


def error_response(error: DomainError) -> JsonResponse:
    return JsonResponse(error.as_dict(), status=error.status, json_dumps_params={"ensure_ascii": False})


def release_package_text(meta: dict[str, Any], documents: Iterable[str]) -> str:
    head = jsonutil.dumps(meta)
    return head[:-1] + ',"releases":[' + ",".join(documents) + "]}"


def _absolute(request: HttpRequest, path: str, params: dict[str, Any]) -> str:
    """On GOVBUY_PUBLIC_URL, whatever host the request came in by (a proxy's, an internal name)."""
    return ocds.public_url(path + "?" + urlencode(params))


def _no_content(next_url: str | None) -> HttpResponse:
    response = HttpResponse(status=204)
    if next_url:
        response["Link"] = f'<{next_url}>; rel="next"'
    return response


def release_page(request: HttpRequest, *, feed: bool) -> HttpResponse:
    """/ocds/releases?cursor=&page_size= (links.next until the last page) and
    /ocds/feed?since=&page_size= (links.next always: where to poll from next)."""
    try:
        name = "since" if feed else "cursor"
        after = rules.parse_cursor(request.GET.get(name), name=name)
        size = rules.parse_page_size(request.GET.get("page_size"))
    except DomainError as error:
        return error_response(error)
    rows = selectors.releases_after(after=after, limit=size + 1)
    more = len(rows) > size
    rows = rows[:size]
    last = rows[-1].seq if rows else after
    next_url = None
    if feed or more:
        next_url = _absolute(request, request.path, {name: str(last), "page_size": str(size)})
    if not rows:
        return _no_content(next_url)
    published = max(row.published_at for row in rows)
    meta = ocds.package_metadata(
        uri=ocds.public_url(request.get_full_path()), published_date=ocds.format_date(published)
    )
    if next_url:
        meta["links"] = {"next": next_url}
    return HttpResponse(release_package_text(meta, (row.document for row in rows)), content_type=JSON)


def record_package(request: HttpRequest, ocid: str) -> HttpResponse:
    rows = selectors.record_documents(ocid) if len(ocid) <= 150 else []
    if not rows:
        return error_response(NotFound())
    releases = [jsonutil.loads(document) for document, _published in rows]
    meta = ocds.package_metadata(
        uri=ocds.public_url(request.get_full_path()),
        published_date=ocds.format_date(max(published for _document, published in rows)),
    )
    meta["records"] = [record_for(ocid, releases)]
    return HttpResponse(jsonutil.dumps(meta), content_type=JSON)
