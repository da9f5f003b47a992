"""API for the guidance catalog: versions, items, diffs and the negative list (public reads);
drafts, items, imports, publication and filings (the finance bureaus); comments (the staffing
office). Same selectors and services as the pages; outside the scope is a 404."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from govbuy.api.base import answer, paginate, parse
from govbuy.api.catalog.serializers import (
    CommentInputSerializer,
    CommentSerializer,
    DecideSerializer,
    DiffSerializer,
    DiscardSerializer,
    DraftCreateSerializer,
    DraftUpdateSerializer,
    FilingInputSerializer,
    FilingSerializer,
    ImportInputSerializer,
    ImportJobSerializer,
    ImportResultSerializer,
    ItemInputSerializer,
    ItemSerializer,
    ItemUpdateSerializer,
    MatterInputSerializer,
    MatterSerializer,
    MatterUpdateSerializer,
    PublishSerializer,
    PurchasableSerializer,
    VersionSerializer,
)
from govbuy.api.errors import error_responses
from govbuy.api.pagination import PageNumberPagination
from govbuy.catalog import rules, selectors
from govbuy.catalog.models import CatalogItem, CatalogVersion, Filing
from govbuy.catalog.services import draft_items, filings, imports, negative_list, versions
from govbuy.catalog.spreadsheets import ImportRefused, refuse_oversized
from govbuy.core.errors import NotFound, ValidationFailed
from govbuy.organizations.models import Region
from govbuy.organizations.scope import scope_for

# --- Helpers -----------------------------------------------------------------------------------


def _region(code: str) -> Region:
    region = Region.objects.filter(code=str(code)[:12]).first()
    if region is None:
        message = _("No region has this code.")
        raise ValidationFailed(message, fields={"region": [message]})
    return region


def _version_answer(version: CatalogVersion, code: int = status.HTTP_200_OK) -> Response:
    return answer(VersionSerializer, CatalogVersion.objects.select_related("region"), version, code)


class PublicReadMixin:
    """Reads are public (published versions need no sign-in); writes need a signed-in user."""

    def get_permissions(self) -> list[Any]:
        if getattr(self, "request", None) is not None and self.request.method in ("GET", "HEAD", "OPTIONS"):
            return [AllowAny()]
        return super().get_permissions()  # type: ignore[misc]


VERSION_FILTERS = [
    OpenApiParameter("region", str, description="Region code, e.g. 110000."),
    OpenApiParameter("status", str, enum=list(CatalogVersion.Status.values)),
]


# --- Versions ----------------------------------------------------------------------------------


class VersionListView(PublicReadMixin, APIView):
    pagination_class = PageNumberPagination

    @extend_schema(
        summary="Catalog versions (published for everyone; drafts for their owners)",
        parameters=VERSION_FILTERS,
        responses={200: VersionSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        region = None
        code = str(request.query_params.get("region") or "")
        if code:
            region = Region.objects.filter(code=code[:12]).first()
            if region is None:
                return Response({"count": 0, "next": None, "previous": None, "results": []})
        qs = selectors.visible_versions(
            request.user, region=region, status=str(request.query_params.get("status") or "")
        )
        return paginate(self, request, qs, VersionSerializer)

    @extend_schema(
        summary="Start a draft (the region's finance bureau)",
        request=DraftCreateSerializer,
        responses={201: VersionSerializer, **error_responses(400, 403, 409)},
    )
    def post(self, request: Request) -> Response:
        data = parse(DraftCreateSerializer, request)
        draft = versions.create_draft(
            actor=request.user,
            region=_region(data["region"]),
            title_zh=data["title_zh"],
            title_en=data["title_en"],
            notes=data["notes"],
            empty=data["empty"],
        )
        return _version_answer(draft, status.HTTP_201_CREATED)


class VersionDetailView(PublicReadMixin, APIView):
    @extend_schema(summary="One catalog version", responses={200: VersionSerializer, **error_responses(404)})
    def get(self, request: Request, pk: int) -> Response:
        return Response(VersionSerializer(selectors.version_for(request.user, pk)).data)

    @extend_schema(
        summary="Change a draft's title or notes",
        request=DraftUpdateSerializer,
        responses={200: VersionSerializer, **error_responses(400, 403, 404, 409)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        version = selectors.version_for(request.user, pk)
        data = parse(DraftUpdateSerializer, request)
        draft = versions.update_draft(actor=request.user, catalog=version, **data)
        return _version_answer(draft)


class VersionItemsView(PublicReadMixin, APIView):
    @extend_schema(
        summary="Items of a version (flat, in tree order; parent_code links them)",
        parameters=[OpenApiParameter("q", str, description="Code or name (Simplified, Traditional or English).")],
        responses={200: ItemSerializer(many=True), **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        version = selectors.version_for(request.user, pk)
        items = selectors.items_with_parent_codes(version)
        q = str(request.query_params.get("q") or "").strip()
        if q:
            roots, _matches = selectors.tree(items, q)
            keep: set[int] = set()

            def walk(nodes: list[selectors.Node]) -> None:
                for node in nodes:
                    if node.matched:
                        keep.add(node.item.pk)
                    walk(node.children)

            walk(roots)
            items = [i for i in items if i.pk in keep]
        return paginate(self, request, items, ItemSerializer)

    @extend_schema(
        summary="Add an item to a draft",
        request=ItemInputSerializer,
        responses={201: ItemSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        version = selectors.version_for(request.user, pk)
        data = parse(ItemInputSerializer, request)
        item = draft_items.add_item(actor=request.user, catalog=version, **data)
        item.parent_code = item.parent.code if item.parent else ""  # type: ignore[attr-defined]
        return Response(ItemSerializer(item).data, status=status.HTTP_201_CREATED)


class ItemDetailView(PublicReadMixin, APIView):
    def _item(self, request: Request, pk: int) -> CatalogItem:
        item = selectors.item_for(request.user, pk)
        item.parent_code = item.parent.code if item.parent else ""  # type: ignore[attr-defined]
        return item

    @extend_schema(summary="One item", responses={200: ItemSerializer, **error_responses(404)})
    def get(self, request: Request, pk: int) -> Response:
        return Response(ItemSerializer(self._item(request, pk)).data)

    @extend_schema(
        summary="Rename, move, re-flag or re-describe an item of a draft",
        request=ItemUpdateSerializer,
        responses={200: ItemSerializer, **error_responses(400, 403, 404, 409)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        item = self._item(request, pk)
        data = parse(ItemUpdateSerializer, request)
        version = data.pop("version")
        draft_items.update_item(actor=request.user, item=item, version=version, **data)
        return Response(ItemSerializer(self._item(request, pk)).data)

    @extend_schema(
        summary="Remove an item of a draft",
        parameters=[OpenApiParameter("version", int, required=True, description="The draft's version you read.")],
        responses={204: None, **error_responses(400, 403, 404, 409)},
    )
    def delete(self, request: Request, pk: int) -> Response:
        item = self._item(request, pk)
        raw = str(request.query_params.get("version") or request.data.get("version") or "")
        if not raw.isdigit():
            message = _("Give the draft's version you read.")
            raise ValidationFailed(message, fields={"version": [message]})
        draft_items.remove_item(actor=request.user, item=item, version=int(raw))
        return Response(status=status.HTTP_204_NO_CONTENT)


class VersionDiffView(PublicReadMixin, APIView):
    @extend_schema(
        summary="Changes of a version against the one it replaced, or against ?against=<number>",
        parameters=[OpenApiParameter("against", int, description="Another version number of the same region.")],
        responses={200: DiffSerializer, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        version = selectors.version_for(request.user, pk)
        raw = str(request.query_params.get("against") or "")
        if raw.isdigit():
            against: CatalogVersion | None = selectors.version_by_number(request.user, version.region.code, raw)
            diff = selectors.diff_versions(against, version)
        elif version.is_public and version.diff:
            against, diff = version.diff_against, version.diff
        else:
            against = selectors.latest_published(version.region) if version.is_draft else None
            diff = selectors.diff_versions(against, version)
        return Response({"against": against.number if against else None, **diff})


class VersionActionView(APIView):
    action_name = ""

    def _version(self, request: Request, pk: int) -> CatalogVersion:
        return selectors.version_for(request.user, pk)


class PublishView(VersionActionView):
    @extend_schema(
        summary="Publish a draft with its effective date",
        request=PublishSerializer,
        responses={200: VersionSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = parse(PublishSerializer, request)
        return _version_answer(versions.publish_version(actor=request.user, catalog=self._version(request, pk), **data))


class DiscardView(VersionActionView):
    @extend_schema(
        summary="Discard a draft (kept on record)",
        request=DiscardSerializer,
        responses={200: VersionSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = parse(DiscardSerializer, request)
        return _version_answer(versions.discard_draft(actor=request.user, catalog=self._version(request, pk), **data))


class CommentsView(VersionActionView):
    @extend_schema(summary="Comments on a draft", responses={200: CommentSerializer(many=True), **error_responses(404)})
    def get(self, request: Request, pk: int) -> Response:
        version = self._version(request, pk)
        return Response(CommentSerializer(selectors.comments_of(request.user, version), many=True).data)

    @extend_schema(
        summary="Comment on a draft (the staffing office on the city's; the owner)",
        request=CommentInputSerializer,
        responses={201: CommentSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = parse(CommentInputSerializer, request)
        comment = versions.comment_on_draft(actor=request.user, catalog=self._version(request, pk), **data)
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class FileVersionView(VersionActionView):
    @extend_schema(
        summary="File a published district version with the city finance bureau",
        request=FilingInputSerializer,
        responses={201: FilingSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = parse(FilingInputSerializer, request)
        filing = filings.submit_filing(actor=request.user, catalog=self._version(request, pk), **data)
        return Response(FilingSerializer(filing).data, status=status.HTTP_201_CREATED)


class ImportView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Import a version from .xlsx or .csv (all problems listed at once; nothing written on error)",
        request={"multipart/form-data": ImportInputSerializer},
        responses={201: ImportResultSerializer, 202: ImportResultSerializer, **error_responses(400, 403, 409)},
    )
    def post(self, request: Request) -> Response:
        data = parse(ImportInputSerializer, request)
        upload = data["file"]
        refuse_oversized(upload.size)
        try:
            outcome = imports.import_spreadsheet(
                actor=request.user,
                region=_region(data["region"]),
                file_name=upload.name,
                data=bytes(upload.read()),
                version=data.get("version"),
                title_zh=data["title_zh"],
                title_en=data["title_en"],
            )
        except ImportRefused as exc:
            # Each problem also under its cell's path (rows.<row>.<column>), in the one error shape.
            fields = {name: list(messages) for name, messages in exc.fields.items()}
            for error in exc.errors:
                fields.setdefault(f"rows.{error.row}.{error.column}", []).append(error.message)
            raise ValidationFailed(exc.message, code=exc.code, fields=fields) from None
        return Response(
            {
                "rows": outcome.rows,
                "catalog": VersionSerializer(outcome.catalog).data if outcome.catalog else None,
                "job": ImportJobSerializer(outcome.job).data if outcome.job else None,
            },
            status=status.HTTP_202_ACCEPTED if outcome.job else status.HTTP_201_CREATED,
        )


class ImportJobView(APIView):
    @extend_schema(
        summary="Progress of a background import", responses={200: ImportJobSerializer, **error_responses(404)}
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(ImportJobSerializer(selectors.import_job_for(request.user, pk)).data)


# --- Filings -----------------------------------------------------------------------------------


class FilingListView(APIView):
    @extend_schema(
        summary="District catalog filings (the district's own; all for the city finance bureau)",
        parameters=[OpenApiParameter("status", str, enum=list(Filing.Status.values))],
        responses={200: FilingSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        qs = selectors.visible_filings(request.user, status=str(request.query_params.get("status") or ""))
        return paginate(self, request, qs, FilingSerializer)


class FilingDetailView(APIView):
    @extend_schema(summary="One filing", responses={200: FilingSerializer, **error_responses(404)})
    def get(self, request: Request, pk: int) -> Response:
        return Response(FilingSerializer(selectors.filing_for(request.user, pk)).data)


class FilingDecisionView(APIView):
    acknowledge = True

    @extend_schema(
        summary="Acknowledge or return a filing (the city finance bureau)",
        request=DecideSerializer,
        responses={200: FilingSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        filing = selectors.filing_for(request.user, pk)
        data = parse(DecideSerializer, request)
        decide = filings.acknowledge_filing if self.acknowledge else filings.return_filing
        return Response(FilingSerializer(decide(actor=request.user, filing=filing, **data)).data)


class FilingReturnView(FilingDecisionView):
    acknowledge = False


# --- Negative list and purchasability ----------------------------------------------------------


class MatterListView(PublicReadMixin, APIView):
    parser_classes = [JSONParser, FormParser]

    @extend_schema(
        summary="The negative list with each matter's legal basis", responses={200: MatterSerializer(many=True)}
    )
    def get(self, request: Request) -> Response:
        return Response(MatterSerializer(selectors.negative_matters(), many=True).data)

    @extend_schema(
        summary="Add a negative-list matter (the city finance bureau)",
        request=MatterInputSerializer,
        responses={201: MatterSerializer, **error_responses(400, 403)},
    )
    def post(self, request: Request) -> Response:
        data = parse(MatterInputSerializer, request)
        return Response(
            MatterSerializer(negative_list.add_matter(actor=request.user, **data)).data, status=status.HTTP_201_CREATED
        )


class MatterDetailView(PublicReadMixin, APIView):
    @extend_schema(summary="One negative-list matter", responses={200: MatterSerializer, **error_responses(404)})
    def get(self, request: Request, pk: int) -> Response:
        return Response(MatterSerializer(selectors.matter_for(request.user, pk)).data)

    @extend_schema(
        summary="Change a negative-list matter (the city finance bureau)",
        request=MatterUpdateSerializer,
        responses={200: MatterSerializer, **error_responses(400, 403, 404, 409)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        if not rules.may_maintain_negative_list(scope_for(request.user)):
            raise NotFound()
        matter = selectors.matter_for(request.user, pk)
        data = parse(MatterUpdateSerializer, request)
        version = data.pop("version")
        return Response(
            MatterSerializer(
                negative_list.update_matter(actor=request.user, matter=matter, version=version, **data)
            ).data
        )


class PurchasableView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="May this item be purchased in this region on this date? With the reason.",
        parameters=[
            OpenApiParameter("item", int, required=True, description="Item id (any version; matched by code)."),
            OpenApiParameter("region", str, required=True, description="Region code."),
            OpenApiParameter("date", OpenApiTypes.DATE, description="Default: today (Asia/Shanghai)."),
        ],
        responses={200: PurchasableSerializer, **error_responses(400, 404)},
    )
    def get(self, request: Request) -> Response:
        from django.utils.dateparse import parse_date

        item = selectors.item_for(request.user, request.query_params.get("item"))
        region = _region(str(request.query_params.get("region") or ""))
        raw_date = str(request.query_params.get("date") or "")
        try:
            on_date = parse_date(raw_date) if raw_date else None
        except ValueError:
            on_date = None
        if raw_date and on_date is None:
            message = _("Give the date as YYYY-MM-DD.")
            raise ValidationFailed(message, fields={"date": [message]})
        answer = selectors.is_purchasable(item, region, on_date)
        return Response(
            {
                "allowed": answer.allowed,
                "code": answer.code,
                "reason": answer.reason,
                "needs_approval": answer.needs_approval,
                "version_id": answer.version_id,
                "item_code": answer.item_code,
                "matter_code": answer.matter_code,
                "legal_basis": answer.legal_basis,
            }
        )
