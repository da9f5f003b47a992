"""API for procurement: methods, tenders (draft, documents, publication, cancellation, change of
method), sealed bids (submit, withdraw, own receipts), the opening (four eyes) and public notices.

Same selectors and services as the pages; outside the scope is a 404. Before the opening no
answer carries a price, a response or a document of a bid, nor a count of bids (R5)."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from govbuy.api.base import (
    TransitionView,
    answer,
    paginate,
    parse,
    scoped,
)
from govbuy.api.errors import error_responses
from govbuy.api.procurement.serializers import (
    BidCreateSerializer,
    BidSerializer,
    CreditCheckInputSerializer,
    CreditCheckSerializer,
    DeclarationSerializer,
    DisqualifySerializer,
    EvaluationSerializer,
    ExpertCreateSerializer,
    ExpertSerializer,
    MethodChangeSerializer,
    MethodSerializer,
    MethodUpdateSerializer,
    OpeningSerializer,
    ReasonSerializer,
    ScoresSerializer,
    TenderCreateSerializer,
    TenderDetailSerializer,
    TenderDocumentInputSerializer,
    TenderSerializer,
)
from govbuy.core.errors import NotFound, ValidationFailed
from govbuy.core.storage import open_verified
from govbuy.organizations.models import Organisation
from govbuy.organizations.scope import scope_for
from govbuy.procurement.models import (
    ProcurementMethod,
    Tender,
    TenderStatus,
)
from govbuy.procurement.selectors import panels, tendering
from govbuy.procurement.services import bids, evaluation, opening, oversight_reads, tenders


def tender_in_scope(request: Request, pk: int) -> Tender:
    """The tender as the user may see it (outside the scope: 404)."""
    return scoped(tendering.tender_for, request.user, pk)


TENDER_DETAIL = Tender.objects.select_related("purchaser", "method").prefetch_related("lots", "criteria")


def _detail(tender: Tender, code: int = status.HTTP_200_OK) -> Response:
    return answer(TenderDetailSerializer, TENDER_DETAIL, tender, code)


class MethodListView(APIView):
    @extend_schema(
        summary="The statutory procurement methods and their parameters", responses={200: MethodSerializer(many=True)}
    )
    def get(self, request: Request) -> Response:
        return Response(MethodSerializer(tendering.methods(), many=True).data)


class MethodDetailView(APIView):
    @extend_schema(
        summary="Change a method's parameters (city finance bureau)",
        request=MethodUpdateSerializer,
        responses={200: MethodSerializer, **error_responses(400, 403, 404, 409)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        data = dict(parse(MethodUpdateSerializer, request))
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
        return paginate(
            self,
            request,
            tendering.visible_tenders(request.user, status=str(request.query_params.get("status") or "")),
            TenderSerializer,
        )

    @extend_schema(
        summary="Draft a tender from an approved project",
        request=TenderCreateSerializer,
        responses={201: TenderDetailSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request) -> Response:
        data = parse(TenderCreateSerializer, request)
        project = scoped(tendering.project_for_tender, request.user, data["project"])
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
        return _detail(tender_in_scope(request, pk))


# `POST tenders/<pk>/<action>/`: one tender service, answered with the tender as stored.
class TenderTransitionView(TransitionView):
    output_serializer = TenderDetailSerializer

    def lookup(self, request: Request, pk: int) -> Tender:
        return tendering.tender_for(request.user, pk)

    def refetch(self, result: Tender) -> Tender:
        return TENDER_DETAIL.get(pk=result.pk)


class TenderPublishView(TenderTransitionView):
    summary = "Publish the notice (portal and OCDS)"

    def perform(self, request: Request, obj: Tender, data: dict[str, Any]) -> Tender:
        return tenders.publish_tender(actor=request.user, tender=obj, version=data["version"])


class TenderCancelView(TenderTransitionView):
    summary = "Cancel a tender"
    input_serializer = ReasonSerializer

    def perform(self, request: Request, obj: Tender, data: dict[str, Any]) -> Tender:
        return tenders.cancel_tender(actor=request.user, tender=obj, version=data["version"], reason=data["reason"])


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
        data = parse(TenderDocumentInputSerializer, request)
        tender = tender_in_scope(request, pk)
        tenders.add_document(
            actor=request.user,
            tender=tender,
            version=data["version"],
            title=data["title"],
            file_name=data["file"].name or "",
            data=data["file"].read(),
        )
        return _detail(tender, status.HTTP_201_CREATED)


class MethodChangeView(APIView):
    @extend_schema(
        summary="Approve another method after a failed procurement (finance bureau)",
        request=MethodChangeSerializer,
        responses={200: TenderDetailSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = parse(MethodChangeSerializer, request)
        tender = tender_in_scope(request, pk)
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
        tender = tender_in_scope(request, pk)
        rows = (
            tendering.opened_bids(tender)
            if tendering.sees_opened_bids(request.user, tender)
            else tendering.own_bids(request.user, tender)
        )
        return Response(BidSerializer(rows, many=True).data)

    @extend_schema(
        summary="Submit a sealed bid (documents as base64); the answer is the receipt",
        request=BidCreateSerializer,
        responses={201: BidSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = parse(BidCreateSerializer, request)
        tender = tender_in_scope(request, pk)
        scope = scope_for(request.user)
        provider_id = scope.acting_provider(data.get("provider"))
        if provider_id is None:
            raise NotFound()
        docs = [(doc["name"], doc["content_base64"]) for doc in data["documents"]]
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
        bid = scoped(tendering.sealed_bid_for, request.user, pk)
        return Response(BidSerializer(bids.withdraw_bid(actor=request.user, bid=bid)).data)


class OpeningView(APIView):
    @extend_schema(
        summary="Initiate (step=initiate) or confirm (step=confirm) the opening: two different users",
        parameters=[OpenApiParameter("step", str, enum=["initiate", "confirm"], required=True)],
        request=None,
        responses={200: OpeningSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        tender = tender_in_scope(request, pk)
        step = str(request.query_params.get("step") or "")
        if step == "initiate":
            record = opening.initiate_opening(actor=request.user, tender=tender)
        elif step == "confirm":
            record = opening.confirm_opening(actor=request.user, tender=tender)
        else:
            message = _("Use initiate or confirm.")
            raise ValidationFailed(message, fields={"step": [message]})
        return Response(OpeningSerializer(record).data)


class PublicTenderListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Published tender notices (public); status=awarded lists the award notices",
        parameters=[OpenApiParameter("status", str, enum=[str(s) for s in tendering.PUBLIC_STATES], required=False)],
        responses={200: TenderSerializer(many=True), **error_responses(400)},
    )
    def get(self, request: Request) -> Response:
        status_filter = str(request.query_params.get("status") or "")
        return paginate(self, request, tendering.public_tenders(status_filter), TenderSerializer)


class PublicTenderDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="One published tender notice (public)", responses={200: TenderDetailSerializer, **error_responses(404)}
    )
    def get(self, request: Request, pk: int) -> Response:
        return _detail(scoped(tendering.public_tender, pk))


def _evaluable(request: Request, pk: int) -> Tender:
    tender = tender_in_scope(request, pk)
    if tender.status not in tendering.OPENED_STATES:
        raise NotFound()
    return tender


def _bid_rows(tender: Tender) -> list[dict[str, Any]]:
    return [
        {
            "id": bid.pk,
            "lot": bid.lot.number,
            "provider": bid.provider.name_zh,
            "price": bid.price,
            "disqualified_reason": bid.disqualified_reason if bid.disqualified_at else "",
            "documents": [
                {
                    "id": doc.pk,
                    "file_name": doc.file_name,
                    "size": doc.size,
                    "sha256": doc.sha256,
                    "download": reverse("api:procurement-bid-document", args=[doc.pk]),
                }
                for doc in bid.documents.all()
            ],
        }
        for bid in tendering.opened_bids(tender)
    ]


def _evaluation(request: Request, tender: Tender) -> Response:
    panel = panels.panel_of(tender)
    record = panels.evaluation_of(tender)
    sees = panels.sees_evaluation(request.user, tender)
    member = panels.member_for(request.user, tender)
    if not sees and member is None:
        raise NotFound()
    # The seed and the candidate pool are for those who check the draw, not for the panel.
    draw_record = panel is not None and panels.sees_draw_record(request.user, tender)
    seated = member is not None and member.declaration == "no_conflict"
    data = {
        "seed": panel.seed if draw_record else None,
        "candidates": panel.candidates if draw_record else [],
        "members": panels.members_of(panel),
        "bids": _bid_rows(tender) if seated or tendering.sees_opened_bids(request.user, tender) else [],
        "reported_at": record.reported_at if record else None,
        "report_sha256": record.report_sha256 if record else None,
        "rankings": panels.visible_rankings(request.user, tender),
        "credit_checks": list(panels.visible_credit_checks(request.user, tender).values()),
    }
    return Response(EvaluationSerializer(data).data)


class BidDocumentView(APIView):
    @extend_schema(
        summary="Download a document of an opened bid (purchaser, seated panel, oversight; each read audited)",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        doc = scoped(tendering.bid_document_for, request.user, pk)
        oversight_reads.record_bid_document_read(actor=request.user, document=doc)
        return FileResponse(
            open_verified(doc.path, doc.sha256),
            as_attachment=True,
            filename=doc.file_name,
            content_type=doc.content_type,
        )


class ExpertListView(APIView):
    @extend_schema(summary="The expert pool (finance bureau)", responses={200: ExpertSerializer(many=True)})
    def get(self, request: Request) -> Response:
        return paginate(self, request, panels.experts(request.user), ExpertSerializer)

    @extend_schema(
        summary="Add an expert to the pool (finance bureau)",
        request=ExpertCreateSerializer,
        responses={201: ExpertSerializer, **error_responses(400, 403, 409)},
    )
    def post(self, request: Request) -> Response:
        from django.contrib.auth import get_user_model

        data = parse(ExpertCreateSerializer, request)
        user = None
        if data["username"]:
            user = get_user_model().objects.filter(username=data["username"]).first()
            if user is None:
                message = _("No such user account.")
                raise ValidationFailed(message, fields={"username": [message]})
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
        if panels.sees_full_evaluation(request.user, tender):
            oversight_reads.record_oversight_read(actor=request.user, tender=tender, subject="evaluation")
        return response


class EvaluationStepView(TransitionView):
    output_serializer = EvaluationSerializer

    def lookup(self, request: Request, pk: int, **kwargs: Any) -> Tender:
        return _evaluable(request, pk)

    def respond(self, request: Request, result: Tender) -> Response:
        return _evaluation(request, result)


class PanelDrawView(EvaluationStepView):
    summary = "Draw the evaluation panel at random (seed and candidates recorded)"
    input_serializer = None

    def perform(self, request: Request, obj: Tender, data: dict[str, Any]) -> Tender:
        evaluation.draw_panel(actor=request.user, tender=obj)
        return obj


class DeclarationView(EvaluationStepView):
    summary = "A panel member's conflict-of-interest declaration"
    input_serializer = DeclarationSerializer
    errors = (400, 404, 409)

    def perform(self, request: Request, obj: Tender, data: dict[str, Any]) -> Tender:
        evaluation.declare(actor=request.user, tender=obj, conflict=data["conflict"], statement=data["statement"])
        return obj


class ScoresView(EvaluationStepView):
    summary = "A member's scores for one bid (criterion id → points)"
    input_serializer = ScoresSerializer

    def perform(self, request: Request, obj: Tender, data: dict[str, Any]) -> Tender:
        evaluation.score_bid(actor=request.user, tender=obj, bid=self.kwargs["bid_pk"], scores=data["scores"])
        return obj


class DisqualifyView(EvaluationStepView):
    summary = "Disqualify a bid (it leaves the ranking)"
    input_serializer = DisqualifySerializer

    def perform(self, request: Request, obj: Tender, data: dict[str, Any]) -> Tender:
        evaluation.disqualify_bid(actor=request.user, tender=obj, bid=self.kwargs["bid_pk"], reason=data["reason"])
        return obj


class EvaluationCompleteView(EvaluationStepView):
    summary = "Compute the ranking and issue the evaluation report"
    input_serializer = None
    errors = (403, 404, 409)

    def perform(self, request: Request, obj: Tender, data: dict[str, Any]) -> Tender:
        evaluation.complete_evaluation(actor=request.user, tender=obj)
        return obj


class CreditCheckView(APIView):
    @extend_schema(
        summary="Record the three-list credit check of a ranked bidder (evidence: reference or file)",
        request=CreditCheckInputSerializer,
        responses={201: CreditCheckSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int, bid_pk: int) -> Response:
        data = parse(CreditCheckInputSerializer, request)
        tender = _evaluable(request, pk)
        evidence = (data["evidence"]["name"], data["evidence"]["content_base64"]) if data["evidence"] else None
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
