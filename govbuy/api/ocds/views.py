"""Open data in the API: /api/v1/ocds/releases, /feed and /records/<ocid>.

The same responses as /ocds/… (disclosure.packages builds both, byte for byte); here they are
documented in the OpenAPI spec. OCDS packages are JSON documents defined by the OCDS schemas, so
the spec describes them as objects and points to the standard."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

from govbuy.api.errors import error_responses
from govbuy.disclosure import packages

PACKAGE_DOC = "https://standard.open-contracting.org/1.1/en/schema/reference/"


PAGE_SIZE = OpenApiParameter("page_size", OpenApiTypes.INT, description="1–500 releases a page (default 100).")


NO_CONTENT = OpenApiResponse(description="No release after the cursor; the Link header names where to poll next.")


class _Public(APIView):
    permission_classes = [AllowAny]


class ReleasesView(_Public):
    @extend_schema(
        operation_id="ocds_releases",
        summary="All releases, as OCDS release packages",
        description=f"A release package ({PACKAGE_DOC}) with links.next until the last page. Pages follow "
        "the feed order, so a cursor stays valid however many releases are published later.",
        parameters=[
            OpenApiParameter("cursor", OpenApiTypes.STR, description="links.next of the previous page."),
            PAGE_SIZE,
        ],
        responses={200: OpenApiTypes.OBJECT, 204: NO_CONTENT, **error_responses(400)},
        tags=["ocds"],
    )
    def get(self, request: Request) -> HttpResponse:
        return packages.release_page(request._request, feed=False)


class FeedView(_Public):
    @extend_schema(
        operation_id="ocds_feed",
        summary="Releases published after a cursor",
        description="Every release committed after `since`, in commit order; links.next is always "
        "present and is where to continue (or poll) from. A client that follows it misses no release.",
        parameters=[
            OpenApiParameter("since", OpenApiTypes.STR, description="A cursor; absent or 0: from the start."),
            PAGE_SIZE,
        ],
        responses={200: OpenApiTypes.OBJECT, 204: NO_CONTENT, **error_responses(400)},
        tags=["ocds"],
    )
    def get(self, request: Request) -> HttpResponse:
        return packages.release_page(request._request, feed=True)


class RecordView(_Public):
    @extend_schema(
        operation_id="ocds_record",
        summary="One contracting process as an OCDS record package",
        description="The record's releases, compiledRelease and versionedRelease.",
        responses={200: OpenApiTypes.OBJECT, **error_responses(404)},
        tags=["ocds"],
    )
    def get(self, request: Request, ocid: str) -> HttpResponse:
        return packages.record_package(request._request, ocid)
