"""API for procurement: methods, tenders (draft, documents, publication, cancellation, change of
method), sealed bids (submit, withdraw, own receipts), the opening (four eyes) and public notices.

Same selectors and services as the pages; outside the scope is a 404. Before the opening no
answer carries a price, a response or a document of a bid, nor a count of bids (R5).
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from govbuy.api.errors import error_responses
from govbuy.api.organizations import StrictInputSerializer, VersionSerializer
from govbuy.api.pagination import PageNumberPagination
from govbuy.core.errors import NotFound, ValidationFailed
from govbuy.organizations.models import Organisation
from govbuy.organizations.scope import scope_for
from govbuy.procurement import selectors
from govbuy.procurement.models import (
    Bid,
    CreditCheck,
    CreditResult,
    Criterion,
    Expert,
    Lot,
    PanelMember,
    ProcurementMethod,
    Ranking,
    Tender,
    TenderStatus,
)
from govbuy.procurement.services import bids, evaluation, opening, oversight_reads, tenders


class MethodSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcurementMethod
        fields = [
            "id",
            "code",
            "name_zh",
            "name_en",
            "in_procurement_scope",
            "min_period",
            "min_period_unit",
            "min_suppliers",
            "panel_size",
            "expert_share_percent",
            "evaluation_method",
            "price_weight_min",
            "price_weight_max",
            "publicity_working_days",
            "random_invitations",
            "requires_reason",
            "legal_basis",
            "version",
        ]
        read_only_fields = fields


class MethodUpdateSerializer(VersionSerializer):
    min_period = serializers.IntegerField(min_value=0, max_value=365, required=False)
    min_period_unit = serializers.ChoiceField(choices=["calendar_days", "working_days"], required=False)
    min_suppliers = serializers.IntegerField(min_value=1, max_value=100, required=False)
    panel_size = serializers.IntegerField(min_value=0, max_value=50, required=False)
    expert_share_percent = serializers.IntegerField(min_value=0, max_value=100, required=False)
    price_weight_min = serializers.IntegerField(min_value=0, max_value=100, required=False)
    price_weight_max = serializers.IntegerField(min_value=0, max_value=100, required=False)
    publicity_working_days = serializers.IntegerField(min_value=0, max_value=60, required=False)
    random_invitations = serializers.IntegerField(min_value=0, max_value=50, required=False)


class LotSerializer(serializers.ModelSerializer):
    class Meta:
        model = Lot
        fields = ["id", "number", "title", "budget"]
        read_only_fields = fields


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["position", "name", "weight", "is_price"]
        read_only_fields = fields


class TenderSerializer(serializers.ModelSerializer):
    purchaser = serializers.CharField(source="purchaser.name_zh", read_only=True)
    method = serializers.CharField(source="method.code", read_only=True)

    class Meta:
        model = Tender
        fields = [
            "id",
            "reference",
            "title",
            "purchaser",
            "method",
            "budget",
            "bid_bond",
            "bid_deadline",
            "status",
            "published_at",
            "version",
        ]
        read_only_fields = fields


class TenderDetailSerializer(TenderSerializer):
    lots = LotSerializer(many=True, read_only=True)
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta(TenderSerializer.Meta):
        fields = [
            *TenderSerializer.Meta.fields,
            "description",
            "method_reason",
            "failure_reason",
            "opened_at",
            "lots",
            "criteria",
        ]
        read_only_fields = fields


class CriterionInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    weight = serializers.IntegerField()
    is_price = serializers.BooleanField(default=False)


class LotInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    budget = serializers.CharField(max_length=24)


class TenderCreateSerializer(StrictInputSerializer):
    project = serializers.IntegerField()
    title = serializers.CharField(max_length=200, required=False, default="")
    description = serializers.CharField(max_length=4000, required=False, default="")
    bid_deadline = serializers.DateTimeField()
    bid_bond = serializers.CharField(max_length=24, required=False, default="0")
    criteria = CriterionInputSerializer(many=True)
    lots = LotInputSerializer(many=True, required=False, default=list)
    method = serializers.CharField(max_length=32, required=False, default="")
    method_reason = serializers.CharField(max_length=2000, required=False, default="")


class ReasonSerializer(VersionSerializer):
    reason = serializers.CharField(max_length=2000)


class MethodChangeSerializer(ReasonSerializer):
    method = serializers.CharField(max_length=32)


class BidSerializer(serializers.ModelSerializer):
    lot = serializers.IntegerField(source="lot.number", read_only=True)
    provider = serializers.CharField(source="provider.name_zh", read_only=True)

    class Meta:
        model = Bid
        fields = ["id", "lot", "provider", "status", "submitted_at", "receipt_sha256", "price"]
        read_only_fields = fields


class BidDocumentInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    content_base64 = serializers.CharField()


class BidCreateSerializer(StrictInputSerializer):
    provider = serializers.IntegerField(required=False)
    lot = serializers.IntegerField(required=False, allow_null=True, default=None)
    price = serializers.CharField(max_length=24)
    currency = serializers.CharField(max_length=8)
    responses = serializers.DictField(child=serializers.CharField(max_length=4000), required=False, default=dict)
    documents = BidDocumentInputSerializer(many=True, required=False, default=list)


class OpeningSerializer(serializers.Serializer):
    initiated_at = serializers.DateTimeField()
    confirmed_at = serializers.DateTimeField(allow_null=True)
    bid_count = serializers.IntegerField()
    record_sha256 = serializers.CharField()


def _valid(serializer_class: Any, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    if not serializer.is_valid():
        raise ValidationFailed(
            fields={k: [str(m) for m in v] if isinstance(v, list) else [str(v)] for k, v in serializer.errors.items()}
        )
    data: dict[str, Any] = serializer.validated_data
    return data


def _paginate(view: APIView, request: Request, qs: Any, serializer_class: Any) -> Response:
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(qs, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)


def _tender(request: Request, pk: int) -> Tender:
    try:
        return selectors.tender_for(request.user, pk)
    except Exception as exc:  # Http404 from the selector
        raise NotFound() from exc


def _detail(tender: Tender, code: int = status.HTTP_200_OK) -> Response:
    fresh = Tender.objects.select_related("purchaser", "method").prefetch_related("lots", "criteria").get(pk=tender.pk)
    return Response(TenderDetailSerializer(fresh).data, status=code)


class MethodListView(APIView):
    @extend_schema(
        summary="The statutory procurement methods and their parameters", responses={200: MethodSerializer(many=True)}
    )
    def get(self, request: Request) -> Response:
        return Response(MethodSerializer(selectors.methods(), many=True).data)


class MethodDetailView(APIView):
    @extend_schema(
        summary="Change a method's parameters (city finance bureau)",
        request=MethodUpdateSerializer,
        responses={200: MethodSerializer, **error_responses(400, 403, 404, 409)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        data = dict(_valid(MethodUpdateSerializer, request))
        method = ProcurementMethod.objects.filter(pk=pk).first()
        if method is None:
            raise NotFound()
        version = data.pop("version")
        return Response(
            MethodSerializer(tenders.update_method(actor=request.user, method=method, version=version, **data)).data
        )


class TenderListView(APIView):
    @extend_schema(
        summary="Tenders you may see",
        parameters=[OpenApiParameter("status", str, enum=list(TenderStatus.values))],
        responses={200: TenderSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        return _paginate(
            self,
            request,
            selectors.visible_tenders(request.user, status=str(request.query_params.get("status") or "")),
            TenderSerializer,
        )

    @extend_schema(
        summary="Draft a tender from an approved project",
        request=TenderCreateSerializer,
        responses={201: TenderDetailSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request) -> Response:
        data = _valid(TenderCreateSerializer, request)
        try:
            project = selectors.project_for_tender(request.user, data["project"])
        except Exception as exc:
            raise NotFound() from exc
        tender = tenders.create_tender(
            actor=request.user,
            project=project,
            title=data["title"],
            description=data["description"],
            bid_deadline=data["bid_deadline"],
            bid_bond=data["bid_bond"],
            criteria=[dict(c) for c in data["criteria"]],
            lots=[dict(lt) for lt in data["lots"]],
            method=data["method"] or None,
            method_reason=data["method_reason"],
        )
        return _detail(tender, status.HTTP_201_CREATED)


class TenderDetailView(APIView):
    @extend_schema(summary="One tender", responses={200: TenderDetailSerializer, **error_responses(404)})
    def get(self, request: Request, pk: int) -> Response:
        return _detail(_tender(request, pk))


class TenderPublishView(APIView):
    @extend_schema(
        summary="Publish the notice (portal and OCDS)",
        request=VersionSerializer,
        responses={200: TenderDetailSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _valid(VersionSerializer, request)
        return _detail(tenders.publish_tender(actor=request.user, tender=_tender(request, pk), version=data["version"]))


class TenderCancelView(APIView):
    @extend_schema(
        summary="Cancel a tender",
        request=ReasonSerializer,
        responses={200: TenderDetailSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _valid(ReasonSerializer, request)
        return _detail(
            tenders.cancel_tender(
                actor=request.user, tender=_tender(request, pk), version=data["version"], reason=data["reason"]
            )
        )


class TenderDocumentView(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        summary="Add a tender document (multipart: title, file, version)",
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {
                    "title": {"type": "string"},
                    "version": {"type": "integer"},
                    "file": {"type": "string", "format": "binary"},
                },
            }
        },
        responses={201: TenderDetailSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationFailed(fields={"file": ["This field is required."]})
        try:
            version = int(str(request.data.get("version", "")))
        except ValueError:
            raise ValidationFailed(fields={"version": ["A whole number is required."]}) from None
        tender = _tender(request, pk)
        tenders.add_document(
            actor=request.user,
            tender=tender,
            version=version,
            title=str(request.data.get("title") or ""),
            file_name=upload.name or "",
            data=upload.read(),
        )
        return _detail(tender, status.HTTP_201_CREATED)


class MethodChangeView(APIView):
    @extend_schema(
        summary="Approve another method after a failed procurement (finance bureau)",
        request=MethodChangeSerializer,
        responses={200: TenderDetailSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _valid(MethodChangeSerializer, request)
        tender = _tender(request, pk)
        return _detail(
            tenders.approve_method_change(
                actor=request.user, tender=tender, version=data["version"], method=data["method"], reason=data["reason"]
            )
        )


class TenderBidsView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Your own bids (receipts); after the opening, the opened bids with prices",
        responses={200: BidSerializer(many=True), **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        tender = _tender(request, pk)
        rows = (
            selectors.opened_bids(tender)
            if selectors.sees_opened_bids(request.user, tender)
            else selectors.own_bids(request.user, tender)
        )
        return Response(BidSerializer(rows, many=True).data)

    @extend_schema(
        summary="Submit a sealed bid (documents as base64); the answer is the receipt",
        request=BidCreateSerializer,
        responses={201: BidSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _valid(BidCreateSerializer, request)
        tender = _tender(request, pk)
        scope = scope_for(request.user)
        provider_id = scope.acting_provider(data.get("provider"))
        if provider_id is None:
            raise NotFound()
        docs = []
        for doc in data["documents"]:
            try:
                docs.append((doc["name"], base64.b64decode(doc["content_base64"], validate=True)))
            except (binascii.Error, ValueError):
                raise ValidationFailed(fields={"documents": ["Invalid base64."]}) from None
        bid = bids.submit_bid(
            actor=request.user,
            tender=tender,
            provider=Organisation.objects.get(pk=provider_id),
            lot=data["lot"],
            price=data["price"],
            currency=data["currency"],
            responses=data["responses"],
            documents=docs,
        )
        return Response(BidSerializer(bid).data, status=status.HTTP_201_CREATED)


class BidWithdrawView(APIView):
    @extend_schema(
        summary="Withdraw your sealed bid before the deadline",
        request=None,
        responses={200: BidSerializer, **error_responses(404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        try:
            bid = selectors.sealed_bid_for(request.user, pk)
        except Exception as exc:
            raise NotFound() from exc
        return Response(BidSerializer(bids.withdraw_bid(actor=request.user, bid=bid)).data)


class OpeningView(APIView):
    @extend_schema(
        summary="Initiate (step=initiate) or confirm (step=confirm) the opening: two different users",
        parameters=[OpenApiParameter("step", str, enum=["initiate", "confirm"], required=True)],
        request=None,
        responses={200: OpeningSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        tender = _tender(request, pk)
        step = str(request.query_params.get("step") or "")
        if step == "initiate":
            record = opening.initiate_opening(actor=request.user, tender=tender)
        elif step == "confirm":
            record = opening.confirm_opening(actor=request.user, tender=tender)
        else:
            raise ValidationFailed(fields={"step": ["Use initiate or confirm."]})
        return Response(OpeningSerializer(record).data)


class PublicTenderListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Published tender notices (public); status=awarded lists the award notices",
        parameters=[OpenApiParameter("status", str, enum=[str(s) for s in selectors.PUBLIC_STATES], required=False)],
        responses={200: TenderSerializer(many=True), **error_responses(400)},
    )
    def get(self, request: Request) -> Response:
        status_filter = str(request.query_params.get("status") or "")
        return _paginate(self, request, selectors.public_tenders(status_filter), TenderSerializer)


class PublicTenderDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="One published tender notice (public)", responses={200: TenderDetailSerializer, **error_responses(404)}
    )
    def get(self, request: Request, pk: int) -> Response:
        try:
            tender = selectors.public_tender(pk)
        except Exception as exc:
            raise NotFound() from exc
        return _detail(tender)


# --- Evaluation ----------------------------------------------------------------------------------


class ExpertSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name_zh", read_only=True, default="")
    user = serializers.CharField(source="user.username", read_only=True, default="")

    class Meta:
        model = Expert
        fields = ["id", "name", "expertise", "organisation", "affiliation", "user", "is_active", "version"]
        read_only_fields = fields


class ExpertCreateSerializer(StrictInputSerializer):
    name = serializers.CharField(max_length=100)
    expertise = serializers.CharField(max_length=200)
    organisation = serializers.IntegerField(required=False, allow_null=True, default=None)
    affiliation = serializers.CharField(max_length=200, required=False, default="")
    username = serializers.CharField(max_length=150, required=False, default="")


class PanelMemberSerializer(serializers.ModelSerializer):
    expert = serializers.CharField(source="expert.name", read_only=True)
    expertise = serializers.CharField(source="expert.expertise", read_only=True)

    class Meta:
        model = PanelMember
        fields = ["position", "expert", "expertise", "declaration", "declared_at"]
        read_only_fields = fields


class RankingSerializer(serializers.ModelSerializer):
    lot = serializers.IntegerField(source="lot.number", read_only=True)
    provider = serializers.CharField(source="bid.provider.name_zh", read_only=True)
    price = serializers.DecimalField(source="bid.price", max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = Ranking
        fields = ["bid", "lot", "rank", "provider", "price", "price_score", "quality_score", "total"]
        read_only_fields = fields


class CreditCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = CreditCheck
        fields = [
            "bid",
            "checked_at",
            "dishonest_debtors",
            "tax_violations",
            "procurement_violations",
            "reference",
            "evidence_name",
            "evidence_sha256",
        ]
        read_only_fields = fields


class EvaluationSerializer(serializers.Serializer):
    seed = serializers.CharField(allow_null=True)
    candidates = serializers.ListField(child=serializers.IntegerField())
    members = PanelMemberSerializer(many=True)
    reported_at = serializers.DateTimeField(allow_null=True)
    report_sha256 = serializers.CharField(allow_null=True)
    rankings = RankingSerializer(many=True)
    credit_checks = CreditCheckSerializer(many=True)


class DeclarationSerializer(StrictInputSerializer):
    conflict = serializers.BooleanField()
    statement = serializers.CharField(max_length=2000, required=False, default="")


class ScoresSerializer(StrictInputSerializer):
    scores = serializers.DictField(child=serializers.CharField(max_length=12))


class DisqualifySerializer(StrictInputSerializer):
    reason = serializers.CharField(max_length=2000)


class CreditCheckInputSerializer(StrictInputSerializer):
    dishonest_debtors = serializers.ChoiceField(choices=CreditResult.choices)
    tax_violations = serializers.ChoiceField(choices=CreditResult.choices)
    procurement_violations = serializers.ChoiceField(choices=CreditResult.choices)
    reference = serializers.CharField(max_length=500, required=False, default="")
    evidence = BidDocumentInputSerializer(required=False, allow_null=True, default=None)


def _evaluable(request: Request, pk: int) -> Tender:
    tender = _tender(request, pk)
    if tender.status not in selectors.OPENED_STATES:
        raise NotFound()
    return tender


def _evaluation(request: Request, tender: Tender) -> Response:
    panel = selectors.panel_of(tender)
    record = selectors.evaluation_of(tender)
    sees = selectors.sees_evaluation(request.user, tender)
    if not sees and selectors.member_for(request.user, tender) is None:
        raise NotFound()
    data = {
        "seed": panel.seed if panel else None,
        "candidates": panel.candidates if panel else [],
        "members": selectors.members_of(panel),
        "reported_at": record.reported_at if record else None,
        "report_sha256": record.report_sha256 if record else None,
        "rankings": selectors.visible_rankings(request.user, tender),
        "credit_checks": list(selectors.visible_credit_checks(request.user, tender).values()),
    }
    return Response(EvaluationSerializer(data).data)


class ExpertListView(APIView):
    @extend_schema(summary="The expert pool (finance bureau)", responses={200: ExpertSerializer(many=True)})
    def get(self, request: Request) -> Response:
        return _paginate(self, request, selectors.experts(request.user), ExpertSerializer)

    @extend_schema(
        summary="Add an expert to the pool (finance bureau)",
        request=ExpertCreateSerializer,
        responses={201: ExpertSerializer, **error_responses(400, 403, 409)},
    )
    def post(self, request: Request) -> Response:
        from django.contrib.auth import get_user_model

        data = _valid(ExpertCreateSerializer, request)
        user = None
        if data["username"]:
            user = get_user_model().objects.filter(username=data["username"]).first()
            if user is None:
                raise ValidationFailed(fields={"username": ["No such user account."]})
        expert = evaluation.create_expert(
            actor=request.user,
            name=data["name"],
            expertise=data["expertise"],
            organisation=data["organisation"],
            affiliation=data["affiliation"],
            user=user,
        )
        return Response(ExpertSerializer(expert).data, status=status.HTTP_201_CREATED)


class EvaluationView(APIView):
    @extend_schema(
        summary="The panel, the ranking and the credit checks of a tender",
        responses={200: EvaluationSerializer, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        tender = _evaluable(request, pk)
        response = _evaluation(request, tender)
        if selectors.sees_full_evaluation(request.user, tender):
            oversight_reads.record_oversight_read(actor=request.user, tender=tender, subject="evaluation")
        return response


class PanelDrawView(APIView):
    @extend_schema(
        summary="Draw the evaluation panel at random (seed and candidates recorded)",
        request=None,
        responses={200: EvaluationSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        tender = _evaluable(request, pk)
        evaluation.draw_panel(actor=request.user, tender=tender)
        return _evaluation(request, tender)


class DeclarationView(APIView):
    @extend_schema(
        summary="A panel member's conflict-of-interest declaration",
        request=DeclarationSerializer,
        responses={200: EvaluationSerializer, **error_responses(400, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _valid(DeclarationSerializer, request)
        tender = _evaluable(request, pk)
        evaluation.declare(actor=request.user, tender=tender, conflict=data["conflict"], statement=data["statement"])
        return _evaluation(request, tender)


class ScoresView(APIView):
    @extend_schema(
        summary="A member's scores for one bid (criterion id → points)",
        request=ScoresSerializer,
        responses={200: EvaluationSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int, bid_pk: int) -> Response:
        data = _valid(ScoresSerializer, request)
        tender = _evaluable(request, pk)
        evaluation.score_bid(actor=request.user, tender=tender, bid=bid_pk, scores=data["scores"])
        return _evaluation(request, tender)


class DisqualifyView(APIView):
    @extend_schema(
        summary="Disqualify a bid (it leaves the ranking)",
        request=DisqualifySerializer,
        responses={200: EvaluationSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int, bid_pk: int) -> Response:
        data = _valid(DisqualifySerializer, request)
        tender = _evaluable(request, pk)
        evaluation.disqualify_bid(actor=request.user, tender=tender, bid=bid_pk, reason=data["reason"])
        return _evaluation(request, tender)


class EvaluationCompleteView(APIView):
    @extend_schema(
        summary="Compute the ranking and issue the evaluation report",
        request=None,
        responses={200: EvaluationSerializer, **error_responses(403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        tender = _evaluable(request, pk)
        evaluation.complete_evaluation(actor=request.user, tender=tender)
        return _evaluation(request, tender)


class CreditCheckView(APIView):
    @extend_schema(
        summary="Record the three-list credit check of a ranked bidder (evidence: reference or file)",
        request=CreditCheckInputSerializer,
        responses={201: CreditCheckSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int, bid_pk: int) -> Response:
        data = _valid(CreditCheckInputSerializer, request)
        tender = _evaluable(request, pk)
        evidence = None
        if data["evidence"]:
            try:
                evidence = (
                    data["evidence"]["name"],
                    base64.b64decode(data["evidence"]["content_base64"], validate=True),
                )
            except (binascii.Error, ValueError):
                raise ValidationFailed(fields={"evidence": ["Invalid base64."]}) from None
        check = evaluation.record_credit_check(
            actor=request.user,
            tender=tender,
            bid=bid_pk,
            dishonest_debtors=data["dishonest_debtors"],
            tax_violations=data["tax_violations"],
            procurement_violations=data["procurement_violations"],
            reference=data["reference"],
            evidence=evidence,
        )
        return Response(CreditCheckSerializer(check).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("procurement/experts/", ExpertListView.as_view(), name="procurement-experts"),
    path("procurement/tenders/<int:pk>/evaluation/", EvaluationView.as_view(), name="procurement-evaluation"),
    path("procurement/tenders/<int:pk>/evaluation/panel/", PanelDrawView.as_view(), name="procurement-panel"),
    path(
        "procurement/tenders/<int:pk>/evaluation/declaration/",
        DeclarationView.as_view(),
        name="procurement-declaration",
    ),
    path(
        "procurement/tenders/<int:pk>/evaluation/bids/<int:bid_pk>/scores/",
        ScoresView.as_view(),
        name="procurement-scores",
    ),
    path(
        "procurement/tenders/<int:pk>/evaluation/bids/<int:bid_pk>/disqualify/",
        DisqualifyView.as_view(),
        name="procurement-disqualify",
    ),
    path(
        "procurement/tenders/<int:pk>/evaluation/complete/",
        EvaluationCompleteView.as_view(),
        name="procurement-evaluation-complete",
    ),
    path(
        "procurement/tenders/<int:pk>/evaluation/bids/<int:bid_pk>/credit-check/",
        CreditCheckView.as_view(),
        name="procurement-credit-check",
    ),
    path("procurement/methods/", MethodListView.as_view(), name="procurement-methods"),
    path("procurement/methods/<int:pk>/", MethodDetailView.as_view(), name="procurement-method"),
    path("procurement/tenders/", TenderListView.as_view(), name="procurement-tenders"),
    path("procurement/tenders/<int:pk>/", TenderDetailView.as_view(), name="procurement-tender"),
    path("procurement/tenders/<int:pk>/publish/", TenderPublishView.as_view(), name="procurement-tender-publish"),
    path("procurement/tenders/<int:pk>/cancel/", TenderCancelView.as_view(), name="procurement-tender-cancel"),
    path("procurement/tenders/<int:pk>/documents/", TenderDocumentView.as_view(), name="procurement-tender-documents"),
    path(
        "procurement/tenders/<int:pk>/method-change/",
        MethodChangeView.as_view(),
        name="procurement-tender-method-change",
    ),
    path("procurement/tenders/<int:pk>/bids/", TenderBidsView.as_view(), name="procurement-tender-bids"),
    path("procurement/tenders/<int:pk>/opening/", OpeningView.as_view(), name="procurement-tender-opening"),
    path("procurement/bids/<int:pk>/withdraw/", BidWithdrawView.as_view(), name="procurement-bid-withdraw"),
    path("public/tenders/", PublicTenderListView.as_view(), name="public-tenders"),
    path("public/tenders/<int:pk>/", PublicTenderDetailView.as_view(), name="public-tender"),
]
