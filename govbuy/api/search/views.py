"""Public search API: GET /api/v1/search/ — the search page's parser and query, as JSON."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from govbuy.api.errors import error_responses
from govbuy.api.search.serializers import SearchPageSerializer, SearchResultSerializer
from govbuy.core.errors import NotFound
from govbuy.core.paging import CappedPaginator
from govbuy.disclosure import selectors
from govbuy.disclosure.forms import parse_search
from govbuy.disclosure.models import SearchDocument

PAGE_SIZE = 20


class SearchView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="search",
        summary="Search notices, projects, providers and catalog items",
        description=(
            "Traditional and Simplified Chinese match each other, words inside longer words match "
            "(养老 finds 居家养老服务), English words match. Without q, lists by the filters. "
            "A query of more than 200 characters, or of punctuation only, answers 400."
        ),
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Words to look for (at most 200 characters)."),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=[value for value, _label in SearchDocument.Kind.choices]),
            OpenApiParameter("region", OpenApiTypes.INT, description="Region id."),
            OpenApiParameter("year", OpenApiTypes.INT),
            OpenApiParameter("status", OpenApiTypes.STR),
            OpenApiParameter("category", OpenApiTypes.STR, description="Catalog category (level-1 code)."),
            OpenApiParameter("method", OpenApiTypes.STR, description="Procurement method."),
            OpenApiParameter("page", OpenApiTypes.INT, description="From 1; 20 results a page."),
        ],
        responses={200: SearchPageSerializer, **error_responses(400, 404)},
        tags=["search"],
    )
    def get(self, request: Request) -> Response:
        _form, search = parse_search(request.query_params)
        paginator = CappedPaginator(selectors.search(query=search.query, filters=search.filters), PAGE_SIZE)
        if search.page > max(paginator.num_pages, 1):
            raise NotFound()
        page = paginator.page(search.page)

        def link(number: int) -> str:
            params = request.query_params.copy()
            params["page"] = str(number)
            return request.build_absolute_uri(request.path + "?" + params.urlencode())

        return Response(
            {
                "count": paginator.count,
                "count_capped": paginator.count_capped,
                "page": page.number,
                "pages": paginator.num_pages,
                "next": link(page.next_page_number()) if page.has_next() else None,
                "previous": link(page.previous_page_number()) if page.has_previous() else None,
                "results": SearchResultSerializer(page.object_list, many=True).data,
            }
        )
