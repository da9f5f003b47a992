"""API for regions, organisations, their members and the USCC checker.

Same scope as the staff pages (selectors), same decisions (services); objects outside the scope
are 404. Status, version and review fields are output only: an input naming them is refused."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from govbuy.api.base import VersionSerializer, parse
from govbuy.api.errors import error_responses
from govbuy.api.organizations.serializers import (
    ContactsSerializer,
    DeactivateSerializer,
    MemberAddSerializer,
    MemberRoleSerializer,
    MembershipSerializer,
    OrganisationCreateSerializer,
    OrganisationSerializer,
    OrganisationUpdateSerializer,
    RegionCreateSerializer,
    RegionSerializer,
    ReviewSerializer,
    UsccCheckInputSerializer,
    UsccCheckResultSerializer,
)
from govbuy.api.pagination import PageNumberPagination
from govbuy.organizations import rules, selectors, services, uscc
from govbuy.organizations.kinds import EXCLUDED_KINDS
from govbuy.organizations.models import Membership, Organisation, OrganisationKind, Region

# --- Views ---------------------------------------------------------------------------------------

FILTER_PARAMETERS = [
    OpenApiParameter("family", str, enum=list(rules.FAMILY_KINDS), description="purchaser, provider or oversight"),
    OpenApiParameter("kind", str, enum=[k for k in OrganisationKind.values if k not in EXCLUDED_KINDS]),
    OpenApiParameter("region", int, description="Region id."),
    OpenApiParameter("status", str, enum=list(Organisation.Status.values)),
    OpenApiParameter("q", str, description="Part of the Chinese or English name, or of the code."),
    OpenApiParameter("review", bool, description="Only codes whose warnings await review."),
]


@extend_schema_view(
    list=extend_schema(summary="Regions (the city and its districts)"),
    retrieve=extend_schema(summary="One region", responses={200: RegionSerializer, **error_responses(404)}),
)
class RegionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = RegionSerializer
    pagination_class = None

    def get_queryset(self) -> Any:
        return selectors.regions(self.request.user)

    def get_object(self) -> Region:
        return selectors.region_for(self.request.user, self.kwargs["pk"])

    @extend_schema(
        summary="Add the city or a district (platform administrators)",
        request=RegionCreateSerializer,
        responses={201: RegionSerializer, **error_responses(400, 403)},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = parse(RegionCreateSerializer, request)
        region = services.create_region(actor=request.user, **data)
        return Response(RegionSerializer(region).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Organisations in your scope", parameters=FILTER_PARAMETERS),
    retrieve=extend_schema(summary="One organisation", responses={200: OrganisationSerializer, **error_responses(404)}),
)
class OrganisationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = OrganisationSerializer

    def get_queryset(self) -> Any:
        return selectors.visible_organisations(self.request.user, self.request.query_params)

    def get_object(self) -> Organisation:
        return selectors.organisation_for(self.request.user, self.kwargs["pk"])

    def _answer(self, org: Organisation, code: int = status.HTTP_200_OK) -> Response:
        org = Organisation.objects.select_related("region").get(pk=org.pk)
        return Response(self.get_serializer(org).data, status=code)

    @extend_schema(
        summary="Register an organisation",
        description="Platform administrators register any kind; a finance bureau registers purchasers and "
        "oversight bodies in its region. Order 102 Art. 8 kinds are refused with the reason.",
        request=OrganisationCreateSerializer,
        responses={201: OrganisationSerializer, **error_responses(400, 403)},
    )
    def create(self, request: Request) -> Response:
        data = parse(OrganisationCreateSerializer, request)
        org = services.register_organisation(actor=request.user, **data)
        return self._answer(org, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change an organisation (names and code; kind and region for its manager)",
        request=OrganisationUpdateSerializer,
        responses={200: OrganisationSerializer, **error_responses(400, 403, 404, 409)},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        org = self.get_object()
        data = parse(OrganisationUpdateSerializer, request)
        version = data.pop("version")
        org = services.update_organisation(actor=request.user, organisation=org, version=version, **data)
        return self._answer(org)

    @extend_schema(
        summary="Deactivate an organisation",
        request=DeactivateSerializer,
        responses={200: OrganisationSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk: str) -> Response:
        org = self.get_object()
        data = parse(DeactivateSerializer, request)
        org = services.deactivate_organisation(actor=request.user, organisation=org, **data)
        return self._answer(org)

    @extend_schema(
        summary="Set the address and contacts the public notices print (the organisation's administrator)",
        request=ContactsSerializer,
        responses={200: OrganisationSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def contacts(self, request: Request, pk: str) -> Response:
        org = self.get_object()
        data = parse(ContactsSerializer, request)
        org = services.update_contacts(actor=request.user, organisation=org, **data)
        return self._answer(org)

    @extend_schema(
        summary="Reactivate an organisation",
        request=VersionSerializer,
        responses={200: OrganisationSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def reactivate(self, request: Request, pk: str) -> Response:
        org = self.get_object()
        data = parse(VersionSerializer, request)
        org = services.reactivate_organisation(actor=request.user, organisation=org, **data)
        return self._answer(org)

    @extend_schema(
        summary="Mark the code's warnings as reviewed (registration authority)",
        request=ReviewSerializer,
        responses={200: OrganisationSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="review-uscc")
    def review_uscc(self, request: Request, pk: str) -> Response:
        org = self.get_object()
        data = parse(ReviewSerializer, request)
        org = services.review_uscc_warnings(actor=request.user, organisation=org, **data)
        return self._answer(org)


class MemberListView(mixins.ListModelMixin, generics.GenericAPIView):
    serializer_class = MembershipSerializer
    pagination_class = PageNumberPagination

    def get_queryset(self) -> Any:
        org = selectors.organisation_for(self.request.user, self.kwargs["pk"])
        return selectors.members_of(self.request.user, org)

    @extend_schema(summary="Members of an organisation", responses={200: MembershipSerializer(many=True)})
    def get(self, request: Request, pk: int) -> Response:
        return self.list(request)

    @extend_schema(
        summary="Add a member",
        request=MemberAddSerializer,
        responses={201: MembershipSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        org = selectors.organisation_for(request.user, pk)
        data = parse(MemberAddSerializer, request)
        membership = services.add_member(actor=request.user, organisation=org, user=data["username"], role=data["role"])
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)


class MemberDetailView(APIView):
    def _membership(self, request: Request, pk: int, membership_id: int) -> Membership:
        org = selectors.organisation_for(request.user, pk)
        return selectors.membership_for(request.user, org, membership_id)

    @extend_schema(summary="One member", responses={200: MembershipSerializer, **error_responses(404)})
    def get(self, request: Request, pk: int, membership_id: int) -> Response:
        return Response(MembershipSerializer(self._membership(request, pk, membership_id)).data)

    @extend_schema(
        summary="Change a member's role",
        request=MemberRoleSerializer,
        responses={200: MembershipSerializer, **error_responses(400, 403, 404)},
    )
    def patch(self, request: Request, pk: int, membership_id: int) -> Response:
        membership = self._membership(request, pk, membership_id)
        data = parse(MemberRoleSerializer, request)
        membership = services.change_member_role(actor=request.user, membership=membership, role=data["role"])
        return Response(MembershipSerializer(membership).data)

    @extend_schema(summary="End a membership", responses={204: None, **error_responses(400, 403, 404)})
    def delete(self, request: Request, pk: int, membership_id: int) -> Response:
        membership = self._membership(request, pk, membership_id)
        services.remove_member(actor=request.user, membership=membership)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UsccCheckView(APIView):
    @extend_schema(
        summary="Check a unified social credit code",
        description="Normalises the code (full-width, case, spaces, hyphens), validates length, alphabet and "
        "check character, and explains it. Doubts (GB 11714 check, unusual prefix for the kind) are warnings.",
        request=UsccCheckInputSerializer,
        responses={200: UsccCheckResultSerializer, **error_responses(400)},
    )
    def post(self, request: Request) -> Response:
        data = parse(UsccCheckInputSerializer, request)
        info = uscc.parse(data["code"])
        return Response(uscc.explain(info, data.get("kind") or None))
