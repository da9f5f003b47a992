"""API of the award (Reg. Art. 43): a tender's awards, the proposal of a winner and the second
user's confirmation above the four-eyes threshold; the challenges, their answers and the
complaints to the finance bureau (Law Art. 52–56). Same rules and scope as the pages."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from govbuy.api.base import StrictInputSerializer, TransitionView, parse, scoped
from govbuy.api.errors import error_responses
from govbuy.api.procurement.serializers import BidDocumentInputSerializer
from govbuy.api.procurement.views import tender_in_scope
from govbuy.core.errors import NotFound
from govbuy.core.storage import open_verified
from govbuy.procurement.models import Award, Challenge, Complaint, RefusalGround, Tender
from govbuy.procurement.selectors import panels
from govbuy.procurement.services import awards, challenges, oversight_reads, refusals


class AwardSerializer(serializers.ModelSerializer):
    lot = serializers.IntegerField(source="lot.number")
    supplier = serializers.CharField(source="provider.name_zh")

    class Meta:
        model = Award
        fields = [
            "id",
            "lot",
            "bid",
            "supplier",
            "amount",
            "status",
            "reason",
            "proposed_at",
            "confirmed_at",
            "replaces",
            "refusal_ground",
            "refusal_reason",
            "refusal_evidence_name",
            "refusal_recorded_at",
            "refusal_confirmed_at",
        ]
        read_only_fields = fields


class RefusalInputSerializer(StrictInputSerializer):
    ground = serializers.ChoiceField(choices=RefusalGround.choices)
    reason = serializers.CharField(max_length=2000)
    evidence = BidDocumentInputSerializer()


class RefusalWithdrawalSerializer(StrictInputSerializer):
    reason = serializers.CharField(max_length=2000)


class AwardProposalSerializer(StrictInputSerializer):
    bid = serializers.IntegerField()
    reason = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


def _awardable(request: Request, pk: int) -> Tender:
    tender = tender_in_scope(request, pk)
    if not panels.sees_evaluation(request.user, tender):
        raise NotFound()
    return tender


def _list(tender: Tender, code: int = status.HTTP_200_OK) -> Response:
    data: Any = AwardSerializer(panels.awards_of(tender), many=True).data
    return Response(data, status=code)


class AwardListView(APIView):
    @extend_schema(summary="The awards of a tender, one per lot", responses={200: AwardSerializer(many=True)})
    def get(self, request: Request, pk: int) -> Response:
        return _list(_awardable(request, pk))

    @extend_schema(
        summary="Propose the winner of a lot (confirmed at once at or below the four-eyes threshold)",
        request=AwardProposalSerializer,
        responses={201: AwardSerializer(many=True), **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = parse(AwardProposalSerializer, request)
        tender = _awardable(request, pk)
        awards.propose_award(actor=request.user, tender=tender, bid=data["bid"], reason=data["reason"])
        return _list(tender, status.HTTP_201_CREATED)


class AwardStepView(TransitionView):
    """A step on one award of the tender (the award is the URL's `award_pk`): answers the awards."""

    output_serializer = AwardSerializer(many=True)

    def lookup(self, request: Request, pk: int, **kwargs: Any) -> Tender:
        return _awardable(request, pk)

    def respond(self, request: Request, result: Tender) -> Response:
        return _list(result, self.status_code)


class AwardConfirmView(AwardStepView):
    summary = "Confirm a proposed award (a second authorised user: four eyes)"
    input_serializer = None
    errors = (403, 404, 409)

    def perform(self, request: Request, obj: Tender, data: dict[str, Any]) -> Tender:
        awards.confirm_award(actor=request.user, tender=obj, award=self.kwargs["award_pk"])
        return obj


class AwardRefusalView(AwardStepView):
    summary = "Record that the winner refused to sign, or did not sign in time (Reg. Art. 49), with evidence"
    input_serializer = RefusalInputSerializer
    status_code = status.HTTP_201_CREATED

    def perform(self, request: Request, obj: Tender, data: dict[str, Any]) -> Tender:
        evidence = (data["evidence"]["name"], data["evidence"]["content_base64"])
        refusals.record_refusal(
            actor=request.user,
            tender=obj,
            award=self.kwargs["award_pk"],
            ground=data["ground"],
            reason=data["reason"],
            evidence=evidence,
        )
        return obj


class AwardRefusalConfirmView(AwardStepView):
    summary = "Confirm a recorded refusal to sign (a second authorised user): the award is superseded"
    input_serializer = None
    errors = (403, 404, 409)

    def perform(self, request: Request, obj: Tender, data: dict[str, Any]) -> Tender:
        refusals.confirm_refusal(actor=request.user, tender=obj, award=self.kwargs["award_pk"])
        return obj


class AwardRefusalWithdrawView(AwardStepView):
    summary = "Withdraw a refusal to sign recorded by mistake, before its confirmation: the award is active again"
    input_serializer = RefusalWithdrawalSerializer

    def perform(self, request: Request, obj: Tender, data: dict[str, Any]) -> Tender:
        refusals.withdraw_refusal(actor=request.user, tender=obj, award=self.kwargs["award_pk"], reason=data["reason"])
        return obj


class AwardRefusalEvidenceView(APIView):
    @extend_schema(
        summary="Download the evidence of a refusal to sign (purchaser, the provider concerned, oversight; "
        "oversight reads audited)",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **error_responses(404)},
    )
    def get(self, request: Request, pk: int, award_pk: int) -> FileResponse:
        award = scoped(panels.refusal_evidence_for, request.user, pk, award_pk)
        oversight_reads.record_oversight_read(
            actor=request.user, tender=award.tender, subject="refusal_evidence", object_id=award.pk
        )
        return FileResponse(
            open_verified(award.refusal_evidence_path, award.refusal_evidence_sha256),
            as_attachment=True,
            filename=award.refusal_evidence_name,
        )


class ComplaintSerializer(serializers.ModelSerializer):
    against_provider = serializers.CharField(source="against_provider.name_zh", allow_null=True, default=None)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "lodged_at",
            "grounds",
            "against_provider",
            "status",
            "upheld",
            "decision",
            "decided_at",
            "decided_late",
            "upheld_against_provider",
            "false_complaint",
        ]
        read_only_fields = fields


class ChallengeSerializer(serializers.ModelSerializer):
    provider = serializers.CharField(source="provider.name_zh")
    complaint = serializers.SerializerMethodField()

    class Meta:
        model = Challenge
        fields = [
            "id",
            "provider",
            "lodged_at",
            "grounds",
            "status",
            "answer",
            "answered_at",
            "answered_late",
            "complaint",
        ]
        read_only_fields = fields

    @extend_schema_field(ComplaintSerializer(allow_null=True))
    def get_complaint(self, obj: Challenge) -> Any:
        complaint = getattr(obj, "complaint", None)
        return ComplaintSerializer(complaint).data if complaint is not None else None


class ChallengesSerializer(serializers.Serializer):
    signing_allowed = serializers.BooleanField()
    challenges = ChallengeSerializer(many=True)


class ChallengeInputSerializer(StrictInputSerializer):
    provider = serializers.IntegerField()
    grounds = serializers.CharField(max_length=4000)


class AnswerInputSerializer(StrictInputSerializer):
    answer = serializers.CharField(max_length=4000)


class ComplaintInputSerializer(StrictInputSerializer):
    grounds = serializers.CharField(max_length=4000)
    against_provider = serializers.IntegerField(required=False, allow_null=True, default=None)


class DecisionInputSerializer(StrictInputSerializer):
    upheld = serializers.BooleanField()
    decision = serializers.CharField(max_length=4000)
    upheld_against_provider = serializers.BooleanField(required=False, default=False)
    false_complaint = serializers.BooleanField(required=False, default=False)


def _challenges(request: Request, tender: Tender, code: int = status.HTTP_200_OK) -> Response:
    fresh = Tender.objects.get(pk=tender.pk)
    data = {
        "signing_allowed": panels.signing_allowed(fresh),
        "challenges": panels.challenges_for(request.user, fresh),
    }
    return Response(ChallengesSerializer(data).data, status=code)


class ChallengeListView(APIView):
    @extend_schema(
        summary="The challenges of a tender (a provider sees its own) and whether signing is allowed",
        responses={200: ChallengesSerializer, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _challenges(request, _awardable(request, pk))

    @extend_schema(
        summary="Lodge a challenge to the award (a provider that bid, within 7 working days of the notice)",
        request=ChallengeInputSerializer,
        responses={201: ChallengesSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = parse(ChallengeInputSerializer, request)
        tender = _awardable(request, pk)
        challenges.lodge_challenge(
            actor=request.user, tender=tender, provider=data["provider"], grounds=data["grounds"]
        )
        return _challenges(request, tender, status.HTTP_201_CREATED)


class ChallengeStepView(TransitionView):
    output_serializer = ChallengesSerializer

    def lookup(self, request: Request, pk: int, **kwargs: Any) -> Tender:
        return _awardable(request, pk)

    def respond(self, request: Request, result: Tender) -> Response:
        return _challenges(request, result, self.status_code)


class ChallengeAnswerView(ChallengeStepView):
    summary = "The purchaser's answer to a challenge (due within 7 working days)"
    input_serializer = AnswerInputSerializer

    def perform(self, request: Request, obj: Tender, data: dict[str, Any]) -> Tender:
        challenge = self.kwargs["challenge_pk"]
        challenges.answer_challenge(actor=request.user, tender=obj, challenge=challenge, answer=data["answer"])
        return obj


class ComplaintView(ChallengeStepView):
    summary = "Escalate a challenge to the finance bureau (within 15 working days of the answer)"
    input_serializer = ComplaintInputSerializer
    status_code = status.HTTP_201_CREATED

    def perform(self, request: Request, obj: Tender, data: dict[str, Any]) -> Tender:
        challenge = self.kwargs["challenge_pk"]
        challenges.lodge_complaint(
            actor=request.user,
            tender=obj,
            challenge=challenge,
            grounds=data["grounds"],
            against_provider=data["against_provider"],
        )
        return obj


class ComplaintDecisionView(ChallengeStepView):
    summary = "The finance bureau's decision on a complaint (due within 30 working days)"
    input_serializer = DecisionInputSerializer

    def perform(self, request: Request, obj: Tender, data: dict[str, Any]) -> Tender:
        challenges.decide_complaint(actor=request.user, tender=obj, complaint=self.kwargs["complaint_pk"], **data)
        return obj


# Included by govbuy/api/procurement/urls.py.
urlpatterns = [
    path("procurement/tenders/<int:pk>/awards/", AwardListView.as_view(), name="procurement-awards"),
    path(
        "procurement/tenders/<int:pk>/awards/<int:award_pk>/confirm/",
        AwardConfirmView.as_view(),
        name="procurement-award-confirm",
    ),
    path(
        "procurement/tenders/<int:pk>/awards/<int:award_pk>/refusal/",
        AwardRefusalView.as_view(),
        name="procurement-award-refusal",
    ),
    path(
        "procurement/tenders/<int:pk>/awards/<int:award_pk>/refusal/confirm/",
        AwardRefusalConfirmView.as_view(),
        name="procurement-award-refusal-confirm",
    ),
    path(
        "procurement/tenders/<int:pk>/awards/<int:award_pk>/refusal/withdraw/",
        AwardRefusalWithdrawView.as_view(),
        name="procurement-award-refusal-withdraw",
    ),
    path(
        "procurement/tenders/<int:pk>/awards/<int:award_pk>/refusal/evidence/",
        AwardRefusalEvidenceView.as_view(),
        name="procurement-award-refusal-evidence",
    ),
    path("procurement/tenders/<int:pk>/challenges/", ChallengeListView.as_view(), name="procurement-challenges"),
    path(
        "procurement/tenders/<int:pk>/challenges/<int:challenge_pk>/answer/",
        ChallengeAnswerView.as_view(),
        name="procurement-challenge-answer",
    ),
    path(
        "procurement/tenders/<int:pk>/challenges/<int:challenge_pk>/complaint/",
        ComplaintView.as_view(),
        name="procurement-complaint",
    ),
    path(
        "procurement/tenders/<int:pk>/complaints/<int:complaint_pk>/decide/",
        ComplaintDecisionView.as_view(),
        name="procurement-complaint-decide",
    ),
]
