"""API for regions, organisations, their members and the USCC checker.

Same scope as the staff pages (selectors), same decisions (services); objects outside the scope
are 404. Status, version and review fields are output only: an input naming them is refused.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from govbuy.api.base import StrictInputSerializer, VersionSerializer, parse
from govbuy.api.errors import error_responses
from govbuy.api.pagination import PageNumberPagination
from govbuy.core.errors import ValidationFailed
from govbuy.organizations import rules, selectors, services, uscc
from govbuy.organizations.forms import USCC_HELP
from govbuy.organizations.kinds import EXCLUDED_KINDS, Family
from govbuy.organizations.models import Membership, Organisation, OrganisationKind, Region
from govbuy.organizations.scope import scope_for

# --- Serializers -------------------------------------------------------------------------------


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name_zh", "name_en", "level", "parent"]
        read_only_fields = fields


class RegionCreateSerializer(StrictInputSerializer):
    code = serializers.CharField(max_length=12)
    name_zh = serializers.CharField(max_length=60)
    name_en = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    level = serializers.ChoiceField(choices=Region.Level.choices)


class UsccPartsSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The normalised code.")
    prefix = serializers.CharField(help_text="Authority and category (positions 1–2), e.g. 91.")
    authority = serializers.CharField()
    authority_label = serializers.CharField()
    category = serializers.CharField()
    category_label = serializers.CharField()
    region_code = serializers.CharField()
    organisation_code = serializers.CharField()
    check_character = serializers.CharField()
    expected_prefixes = serializers.ListField(
        child=serializers.CharField(), help_text="Prefixes usual for the organisation kind (empty without a kind)."
    )


class UsccWarningsSerializer(serializers.Serializer):
    warning_codes = serializers.ListField(child=serializers.ChoiceField(choices=list(uscc.WARNING_CODES)))
    warnings = serializers.ListField(child=serializers.CharField())


class UsccCheckResultSerializer(UsccPartsSerializer, UsccWarningsSerializer):
    pass


class UsccCheckInputSerializer(StrictInputSerializer):
    code = serializers.CharField(max_length=64, help_text="As typed: full-width, lower case, spaces, hyphens are fine.")
    kind = serializers.ChoiceField(
        choices=OrganisationKind.choices, required=False, help_text="Compare the prefix with this kind."
    )


def _parts(explained: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in explained.items() if k not in ("warning_codes", "warnings")}


class OrganisationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    family = serializers.SerializerMethodField()
    region_code = serializers.CharField(source="region.code", read_only=True)
    uscc_parts = serializers.SerializerMethodField()
    uscc_warnings = serializers.SerializerMethodField()
    uscc_review_pending = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name_zh",
            "name_en",
            "kind",
            "kind_label",
            "family",
            "region",
            "region_code",
            "uscc",
            "uscc_parts",
            "uscc_warnings",
            "uscc_review_pending",
            "status",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _sees_warnings(self) -> bool:
        cached = self.context.get("_sees_warnings")
        if cached is None:
            request = self.context.get("request")
            cached = request is not None and rules.sees_uscc_warnings(scope_for(request.user))
            self.context["_sees_warnings"] = cached
        return bool(cached)

    def _explained(self, obj: Organisation) -> dict[str, Any] | None:
        if not obj.uscc:
            return None
        try:
            return uscc.explain(uscc.parse(obj.uscc), obj.kind)
        except ValidationFailed:
            return None

    @extend_schema_field(serializers.ChoiceField(choices=[f.value for f in Family]))
    def get_family(self, obj: Organisation) -> str:
        return str(rules.family_of(obj.kind))

    @extend_schema_field(UsccPartsSerializer(allow_null=True))
    def get_uscc_parts(self, obj: Organisation) -> dict[str, Any] | None:
        explained = self._explained(obj)
        return _parts(explained) if explained else None

    @extend_schema_field(UsccWarningsSerializer(allow_null=True))
    def get_uscc_warnings(self, obj: Organisation) -> dict[str, Any] | None:
        """Doubts about the code, for oversight roles only (null for everyone else)."""
        if not self._sees_warnings():
            return None
        explained = self._explained(obj)
        if explained is None:
            return {"warning_codes": [], "warnings": []}
        return {"warning_codes": explained["warning_codes"], "warnings": explained["warnings"]}

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_uscc_review_pending(self, obj: Organisation) -> bool | None:
        return obj.uscc_review_pending if self._sees_warnings() else None


class OrganisationCreateSerializer(StrictInputSerializer):
    name_zh = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    uscc = serializers.CharField(
        max_length=64, required=False, allow_blank=True, allow_null=True, default=None, help_text=USCC_HELP
    )


class OrganisationUpdateSerializer(StrictInputSerializer):
    version = serializers.IntegerField(min_value=1, help_text="The version you read; a stale one answers 409.")
    name_zh = serializers.CharField(max_length=200, required=False)
    name_en = serializers.CharField(max_length=300, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=OrganisationKind.choices, required=False)
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all(), required=False)
    uscc = serializers.CharField(max_length=64, required=False, allow_blank=True, allow_null=True, help_text=USCC_HELP)


class DeactivateSerializer(VersionSerializer):
    reason = serializers.CharField(max_length=500)


class ReviewSerializer(VersionSerializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    display_name = serializers.CharField(source="user.display_name", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "organisation", "user", "username", "display_name", "role", "role_label", "created_at"]
        read_only_fields = fields


class MemberAddSerializer(StrictInputSerializer):
    username = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=Membership.Role.choices)


class MemberRoleSerializer(StrictInputSerializer):
    role = serializers.ChoiceField(choices=Membership.Role.choices)


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


router = SimpleRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("organisations", OrganisationViewSet, basename="organisation")

urlpatterns = [
    *router.urls,
    path("organisations/<int:pk>/members/", MemberListView.as_view(), name="organisation-members"),
    path(
        "organisations/<int:pk>/members/<int:membership_id>/",
        MemberDetailView.as_view(),
        name="organisation-member-detail",
    ),
    path("uscc/check/", UsccCheckView.as_view(), name="uscc-check"),
]
