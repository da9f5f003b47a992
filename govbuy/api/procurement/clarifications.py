"""API of a tender's clarifications (Reg. Art. 31) and of an invitation tender's random draw
(Law Art. 34). Same selectors and services as the tender page.

Who asked a question appears only for the purchaser and oversight in reach (`asker`); a provider
sees `own: true` on its own questions and nothing about anyone else's; the public list has no
asker field at all. The invitation draw (seed, candidates, invited) is the purchaser's and
oversight's; an invited provider learns only that it is invited.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from govbuy.api.base import StrictInputSerializer, parse, scoped
from govbuy.api.errors import error_responses
from govbuy.api.procurement.views import tender_in_scope
from govbuy.core.errors import NotFound
from govbuy.organizations.models import Organisation
from govbuy.organizations.scope import scope_for
from govbuy.procurement.models import Clarification, Tender
from govbuy.procurement.selectors import questions, tendering
from govbuy.procurement.services import clarifications

_COMMON = [
    "id",
    "is_notice",
    "question",
    "asked_at",
    "answer",
    "answered_at",
    "affects_bids",
    "deadline_before",
    "deadline_after",
]


class PublicClarificationSerializer(serializers.ModelSerializer):
    # A purchaser's notice has no question: only `answer` carries its text.
    is_notice = serializers.BooleanField(read_only=True)

    class Meta:
        model = Clarification
        fields = _COMMON
        read_only_fields = fields


class AskerSerializer(serializers.Serializer):
    provider = serializers.CharField()
    user = serializers.CharField()


class ClarificationSerializer(PublicClarificationSerializer):
    own = serializers.SerializerMethodField()
    asker = serializers.SerializerMethodField()

    class Meta(PublicClarificationSerializer.Meta):
        fields = [*_COMMON, "own", "asker"]
        read_only_fields = fields

    def get_own(self, row: Clarification) -> bool:
        return row.provider_id is not None and row.provider_id in self.context["own"]

    @extend_schema_field(AskerSerializer(allow_null=True))
    def get_asker(self, row: Clarification) -> dict[str, str] | None:
        provider = row.provider if self.context["sees_askers"] and row.provider_id is not None else None
        if provider is None:
            return None
        return {"provider": provider.name_zh, "user": getattr(row.asked_by, "display_name", "")}


class QuestionSerializer(StrictInputSerializer):
    question = serializers.CharField(max_length=4000)
    provider = serializers.IntegerField(required=False)


class _ChangeSerializer(StrictInputSerializer):
    affects_bids = serializers.BooleanField(default=False)
    new_deadline = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Needed when the change affects bids and comes less than 15 days before the bid deadline: "
        "at least 15 days after the answer.",
    )


class AnswerSerializer(_ChangeSerializer):
    answer = serializers.CharField(max_length=4000)


class NoticeSerializer(_ChangeSerializer):
    text = serializers.CharField(max_length=4000)


class InvitationDrawSerializer(serializers.Serializer):
    invites_you = serializers.BooleanField()
    seed = serializers.CharField(allow_null=True)
    candidates = serializers.ListField(child=serializers.IntegerField())
    invited = serializers.ListField(child=serializers.IntegerField())
    invited_names = serializers.ListField(child=serializers.CharField())
    size = serializers.IntegerField(allow_null=True)
    drawn_at = serializers.DateTimeField(allow_null=True)


def _list(request: Request, tender: Tender, code: int = status.HTTP_200_OK) -> Response:
    context = {
        "own": scope_for(request.user).organisation_ids,
        "sees_askers": questions.sees_askers(request.user, tender),
    }
    rows = questions.clarifications_for(request.user, tender)
    data: Any = ClarificationSerializer(rows, many=True, context=context).data
    return Response(data, status=code)


class ClarificationListView(APIView):
    @extend_schema(
        summary="The clarifications of a tender you may see (askers only for the purchaser and oversight)",
        responses={200: ClarificationSerializer(many=True), **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _list(request, tender_in_scope(request, pk))

    @extend_schema(
        summary="Ask a question about a tender open for bids (provider); other providers never see who asked",
        request=QuestionSerializer,
        responses={201: ClarificationSerializer(many=True), **error_responses(400, 403, 404, 409, 429)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = parse(QuestionSerializer, request)
        tender = tender_in_scope(request, pk)
        scope = scope_for(request.user)
        provider_id = scope.acting_provider(data.get("provider"))
        if provider_id is None:
            raise NotFound()
        clarifications.ask_question(
            actor=request.user,
            tender=tender,
            provider=Organisation.objects.get(pk=provider_id),
            question=data["question"],
        )
        return _list(request, tender, status.HTTP_201_CREATED)


class ClarificationAnswerView(APIView):
    @extend_schema(
        summary="Answer a question (purchaser); the answer is published to everyone, with a tenderUpdate release",
        request=AnswerSerializer,
        responses={200: ClarificationSerializer(many=True), **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int, clarification_pk: int) -> Response:
        data = parse(AnswerSerializer, request)
        tender = tender_in_scope(request, pk)
        question = scoped(questions.open_question_for, request.user, tender, clarification_pk)
        clarifications.answer_question(
            actor=request.user,
            clarification=question,
            answer=data["answer"],
            affects_bids=data["affects_bids"],
            new_deadline=data["new_deadline"],
        )
        return _list(request, tender)


class ClarificationNoticeView(APIView):
    @extend_schema(
        summary="Publish a clarification or change of the tender documents without a question (purchaser)",
        request=NoticeSerializer,
        responses={201: ClarificationSerializer(many=True), **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = parse(NoticeSerializer, request)
        tender = tender_in_scope(request, pk)
        clarifications.publish_notice(
            actor=request.user,
            tender=tender,
            text=data["text"],
            affects_bids=data["affects_bids"],
            new_deadline=data["new_deadline"],
        )
        return _list(request, tender, status.HTTP_201_CREATED)


class PublicClarificationListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="The published clarifications of a tender notice (public; no asker)",
        responses={200: PublicClarificationSerializer(many=True), **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        tender = scoped(tendering.public_tender, pk)
        data: Any = PublicClarificationSerializer(questions.public_clarifications(tender), many=True).data
        return Response(data)


class InvitationDrawView(APIView):
    @extend_schema(
        summary="The random draw of an invitation tender: seed, candidates and invited providers "
        "(purchaser and oversight); an invited provider sees only invites_you",
        responses={200: InvitationDrawSerializer, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        tender = tender_in_scope(request, pk)
        draw = questions.invitation_draw_of(tender)
        if draw is None:
            raise NotFound()
        invites_you = bool(questions.invited_own(request.user, tender, draw))
        if questions.sees_invitation_draw(request.user, tender):
            data = {
                "invites_you": invites_you,
                "seed": draw.seed,
                "candidates": draw.candidates,
                "invited": draw.invited,
                "invited_names": [org.name_zh for org in questions.invited_providers(draw)],
                "size": draw.size,
                "drawn_at": draw.drawn_at,
            }
        elif invites_you:
            data = {
                "invites_you": True,
                "seed": None,
                "candidates": [],
                "invited": [],
                "invited_names": [],
                "size": None,
                "drawn_at": None,
            }
        else:
            raise NotFound()
        return Response(InvitationDrawSerializer(data).data)


# Included by govbuy/api/procurement/urls.py.
urlpatterns = [
    path(
        "procurement/tenders/<int:pk>/clarifications/",
        ClarificationListView.as_view(),
        name="procurement-clarifications",
    ),
    path(
        "procurement/tenders/<int:pk>/clarifications/<int:clarification_pk>/answer/",
        ClarificationAnswerView.as_view(),
        name="procurement-clarification-answer",
    ),
    path(
        "procurement/tenders/<int:pk>/clarifications/notice/",
        ClarificationNoticeView.as_view(),
        name="procurement-clarification-notice",
    ),
    path(
        "procurement/tenders/<int:pk>/invitations/",
        InvitationDrawView.as_view(),
        name="procurement-invitation-draw",
    ),
    path(
        "public/tenders/<int:pk>/clarifications/",
        PublicClarificationListView.as_view(),
        name="public-tender-clarifications",
    ),
]
