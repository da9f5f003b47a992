"""Credit endpoints: a provider's record (score, facts, weights, what would change it), the
public serious-violation list, and the authority's writes (facts, confirmations, objections,
bans, list imports). Every write is one service call."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from govbuy.api.base import parse
from govbuy.api.credit import serializers as s
from govbuy.api.errors import error_responses
from govbuy.api.pagination import PageNumberPagination
from govbuy.core.uploads import read_upload
from govbuy.credit import selectors
from govbuy.credit.models import CreditFact
from govbuy.credit.services import bans, lists, objections, records, reports
from govbuy.organizations.scope import scope_for


def _files(data: dict[str, Any], name: str = "evidence") -> list[tuple[str, bytes]]:
    upload = data.pop(name, None)
    return [(upload.name, read_upload(upload))] if upload else []


class PublicBanListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = s.CreditBanSerializer
    pagination_class = PageNumberPagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return selectors.public_bans(self.request.query_params)

    @extend_schema(
        summary="Serious violations in government procurement (public; both scripts searched)",
        parameters=[OpenApiParameter("q", str), OpenApiParameter("state", str, enum=["active", "expired"])],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request)


class PublicRecordView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="A provider's published credit facts", responses={200: s.CreditRecordSerializer, **error_responses(404)}
    )
    def get(self, request: Request, pk: int) -> Response:
        provider = selectors.public_provider(pk)
        return Response(s.record_data(provider.pk, selectors.record_of(provider.pk, published_only=True)))


class RecordView(APIView):
    @extend_schema(
        summary="A provider's credit record: score, every fact with its weight, what would change it",
        responses={200: s.CreditRecordSerializer, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        provider = selectors.provider_for(request.user, pk)
        return Response(s.record_data(provider.pk, selectors.record_of(provider.pk)))


class FactCreateView(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        summary="Enter a fact found by the authority (evidence required; a second person confirms)",
        request=s.CreditFactInputSerializer,
        responses={201: s.CreditFactSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        data = parse(s.CreditFactInputSerializer, request)
        documents = _files(data)
        fact = records.enter_fact(actor=request.user, documents=documents, **data)
        return Response(s.CreditFactSerializer(fact).data, status=status.HTTP_201_CREATED)


class FactConfirmView(APIView):
    @extend_schema(
        summary="Confirm a fact (four eyes)",
        request=None,
        responses={200: s.CreditFactSerializer, **error_responses(403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        return Response(s.CreditFactSerializer(records.confirm_fact(actor=request.user, fact=pk)).data)


class ObjectionCreateView(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        summary="Object to a negative fact within its period (the provider)",
        request=s.CreditObjectionInputSerializer,
        responses={201: s.CreditObjectionSerializer, **error_responses(400, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        fact = CreditFact.objects.filter(pk=pk).first()
        if fact is None or not scope_for(request.user).writes_for(fact.provider_id):
            raise Http404
        data = parse(s.CreditObjectionInputSerializer, request)
        objection = objections.file_objection(actor=request.user, fact=fact, text=data["text"], documents=_files(data))
        return Response(s.CreditObjectionSerializer(objection).data, status=status.HTTP_201_CREATED)


class ObjectionListView(generics.ListAPIView):
    serializer_class = s.CreditObjectionSerializer
    pagination_class = PageNumberPagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return selectors.objections_to_decide(self.request.user)

    @extend_schema(summary="Objections waiting for your authority's decision")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request)


class ObjectionDecideView(APIView):
    @extend_schema(
        summary="Decide an objection with reasons",
        request=s.CreditDecisionInputSerializer,
        responses={200: s.CreditObjectionSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        objection = selectors.objection_for(request.user, pk)
        data = parse(s.CreditDecisionInputSerializer, request)
        decided = objections.decide_objection(actor=request.user, objection=objection, **data)
        return Response(s.CreditObjectionSerializer(decided).data)


class BanCreateView(APIView):
    @extend_schema(
        summary="Decide a ban (1–3 years, Law Art. 77)",
        request=s.CreditBanInputSerializer,
        responses={201: s.CreditBanSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        data = parse(s.CreditBanInputSerializer, request)
        ban = bans.decide_ban(actor=request.user, **data)
        return Response(s.CreditBanSerializer(ban).data, status=status.HTTP_201_CREATED)


class ListImportView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Import an external list (every bad row listed, nothing written)",
        request=s.CreditListImportSerializer,
        responses={201: s.CreditListSerializer, **error_responses(400, 403)},
    )
    def post(self, request: Request) -> Response:
        data = parse(s.CreditListImportSerializer, request)
        upload = data.pop("file")
        imported = lists.import_list(actor=request.user, file_name=upload.name, data=read_upload(upload), **data)
        return Response(s.CreditListSerializer(imported).data, status=status.HTTP_201_CREATED)


class TenderChecksView(APIView):
    @extend_schema(
        summary="The ranked bidders of a tender with their automatic three-list checks",
        responses={200: s.CreditRankedBidSerializer(many=True), **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        tender = selectors.tender_for_checks(request.user, pk)
        rows = [
            {
                "bid": r.bid_id,
                "lot": r.lot.number,
                "rank": r.rank,
                "provider": r.bid.provider.name_zh,
                "check": check,
            }
            for r, check in selectors.checks_of(tender)
        ]
        return Response(s.CreditRankedBidSerializer(rows, many=True).data)

    @extend_schema(
        summary="Run the automatic three-list check of a ranked bidder",
        request=s.CreditRunCheckSerializer,
        responses={201: s.CreditCheckSnapshotSerializer, **error_responses(400, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        tender = selectors.tender_for_checks(request.user, pk)
        data = parse(s.CreditRunCheckSerializer, request)
        check = lists.run_check(actor=request.user, tender=tender, bid=data["bid"], stage=data["stage"])
        return Response(s.CreditCheckSnapshotSerializer(check).data, status=status.HTTP_201_CREATED)


class CheckActionView(APIView):
    @extend_schema(
        operation_id="credit_tenders_check_action",
        summary="Accept a check's findings, propose an override (with the reason) or confirm it (four eyes)",
        request=s.CreditCheckActionSerializer,
        responses={200: s.CreditCheckSnapshotSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int, check_id: int) -> Response:
        selectors.tender_for_checks(request.user, pk)
        data = parse(s.CreditCheckActionSerializer, request)
        if data["action"] == "accept":
            check = lists.accept_findings(actor=request.user, check=check_id)
        elif data["action"] == "override":
            check = lists.propose_override(actor=request.user, check=check_id, reason=data["reason"])
        else:
            check = lists.confirm_override(actor=request.user, check=check_id)
        return Response(s.CreditCheckSnapshotSerializer(check).data)


class ReportListView(generics.ListAPIView):
    serializer_class = s.CreditReportSerializer
    pagination_class = PageNumberPagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return selectors.visible_reports(self.request.user)

    @extend_schema(summary="Reports to registration authorities (issued by your bureau, or to your authority)")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request)

    @extend_schema(
        summary="Issue the year's credit report to a registration authority",
        request=s.CreditReportIssueSerializer,
        responses={201: s.CreditReportSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        data = parse(s.CreditReportIssueSerializer, request)
        issued = reports.issue_report(actor=request.user, recipient=data["recipient"], year=data["year"])
        return Response(s.CreditReportSerializer(issued).data, status=status.HTTP_201_CREATED)


class ReportDetailView(APIView):
    @extend_schema(
        summary="One report; the recipient's reading records that it was received",
        responses={200: s.CreditReportSerializer, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        report = selectors.report_for(request.user, pk)
        if report.recipient_id in {m.organisation_id for m in scope_for(request.user).memberships}:
            report = reports.mark_received(actor=request.user, report=report)
        return Response(s.CreditReportSerializer(report).data)
