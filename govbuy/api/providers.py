"""API for the provider registry: public directory and self-registration, dossiers and their
verification, documents, related parties, service areas, project conditions and the pattern table.

Same scope (selectors) and decisions (services) as the pages; outside the scope is 404. State,
version and decision fields are output only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from govbuy.api.errors import error_responses
from govbuy.api.organizations import StrictInputSerializer, VersionSerializer
from govbuy.api.pagination import PageNumberPagination
from govbuy.core.errors import NotFound, ValidationFailed
from govbuy.core.middleware import client_ip
from govbuy.core.storage import open_verified
from govbuy.organizations.kinds import PROVIDER_KINDS
from govbuy.organizations.models import Organisation, OrganisationKind, Region
from govbuy.organizations.uscc import normalise
from govbuy.providers import selectors
from govbuy.providers.models import (
    Condition,
    ConditionPattern,
    DossierDocument,
    ProjectCondition,
    ProviderProfile,
    RelatedParty,
    ServiceArea,
    StaffEntry,
)
from govbuy.providers.report import authority_report_response
from govbuy.providers.services import dossiers, project_conditions, registration, related_parties, standing

_PROVIDER = PROVIDER_KINDS
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RegistrationRateThrottle(AnonRateThrottle):
    """Self-registration is open to anyone: a few per address and hour (REMOTE_ADDR, as elsewhere)."""

    rate = "10/hour"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return self.cache_format % {"scope": "provider-registration", "ident": client_ip(request._request) or "unknown"}


def _valid(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- Serializers -------------------------------------------------------------------------------------------


class ServiceAreaSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="item.name", read_only=True)

    class Meta:
        model = ServiceArea
        fields = ["id", "item", "item_code", "name"]
        read_only_fields = fields


class DirectoryEntrySerializer(serializers.ModelSerializer):
    name_zh = serializers.CharField(source="organisation.name_zh")
    name_en = serializers.CharField(source="organisation.name_en")
    uscc = serializers.CharField(source="organisation.uscc")
    kind = serializers.ChoiceField(source="organisation.kind", choices=OrganisationKind.choices)
    kind_label = serializers.CharField(source="organisation.get_kind_display")
    region_code = serializers.CharField(source="organisation.region.code")
    service_areas = ServiceAreaSerializer(many=True)

    class Meta:
        model = ProviderProfile
        fields = [
            "id",
            "name_zh",
            "name_en",
            "uscc",
            "kind",
            "kind_label",
            "region_code",
            "service_areas",
            "verified_at",
        ]
        read_only_fields = fields


class RegistrationSerializer(StrictInputSerializer):
    name_zh = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    uscc = serializers.CharField(max_length=64)
    registration_authority = serializers.CharField(max_length=200)
    legal_representative = serializers.CharField(max_length=100)
    legal_representative_id = serializers.CharField(max_length=40, write_only=True)
    registered_address = serializers.CharField(max_length=300)
    registration_date = serializers.DateField()
    contact_name = serializers.CharField(max_length=100)
    contact_phone = serializers.CharField(max_length=40)
    contact_email = serializers.EmailField(required=False, allow_blank=True, default="")
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=200, write_only=True, style={"input_type": "password"})


class ProfileSerializer(serializers.ModelSerializer):
    name_zh = serializers.CharField(source="organisation.name_zh", read_only=True)
    uscc = serializers.CharField(source="organisation.uscc", read_only=True)
    kind = serializers.CharField(source="organisation.kind", read_only=True)
    region = serializers.IntegerField(source="organisation.region_id", read_only=True)

    class Meta:
        model = ProviderProfile
        fields = [
            "id",
            "organisation",
            "name_zh",
            "uscc",
            "kind",
            "region",
            "state",
            "authority_kind",
            "registration_authority",
            "legal_representative",
            "registered_address",
            "registration_date",
            "contact_name",
            "contact_phone",
            "contact_email",
            "verified_at",
            "version",
        ]
        read_only_fields = fields


class ProfileUpdateSerializer(StrictInputSerializer):
    version = serializers.IntegerField(min_value=1)
    registration_authority = serializers.CharField(max_length=200, required=False)
    legal_representative = serializers.CharField(max_length=100, required=False)
    legal_representative_id = serializers.CharField(max_length=40, required=False)
    registered_address = serializers.CharField(max_length=300, required=False)
    contact_name = serializers.CharField(max_length=100, required=False)
    contact_phone = serializers.CharField(max_length=40, required=False)
    contact_email = serializers.EmailField(required=False, allow_blank=True)


class DossierDocumentSerializer(serializers.ModelSerializer):
    expired = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = DossierDocument
        fields = [
            "id",
            "title",
            "display_name",
            "sha256",
            "size",
            "kind",
            "content_type",
            "valid_from",
            "valid_until",
            "expired",
            "created_at",
            "withdrawn_at",
        ]
        read_only_fields = fields


class StaffEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = StaffEntry
        fields = ["id", "name", "position", "qualification", "certificate_number", "qualification_valid_until"]
        read_only_fields = ["id"]


class DossierSectionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="section.pk")
    condition = serializers.ChoiceField(choices=Condition.choices)
    label = serializers.CharField()
    status = serializers.CharField(source="section.status", help_text="draft, submitted, accepted or rejected")
    state = serializers.CharField(
        help_text="What to read first: missing, draft, submitted, accepted, rejected, expired"
    )
    state_label = serializers.CharField()
    missing = serializers.ListField(child=serializers.CharField())
    statement = serializers.CharField(source="section.statement")
    declaration_signed_at = serializers.DateTimeField(source="section.declaration_signed_at")
    decision_reason = serializers.CharField(source="section.decision_reason")
    decided_at = serializers.DateTimeField(source="section.decided_at")
    version = serializers.IntegerField(source="section.version")
    documents = serializers.SerializerMethodField()
    staff = StaffEntrySerializer(many=True)

    @extend_schema_field(DossierDocumentSerializer(many=True))
    def get_documents(self, view: Any) -> list[dict[str, Any]]:
        out = []
        for item in view.documents:
            data = DossierDocumentSerializer(item.document).data
            data["expired"] = item.expired
            out.append(data)
        return out


class ProfileDetailSerializer(ProfileSerializer):
    sections = serializers.SerializerMethodField()

    class Meta(ProfileSerializer.Meta):
        fields = [*ProfileSerializer.Meta.fields, "sections"]
        read_only_fields = fields

    @extend_schema_field(DossierSectionSerializer(many=True))
    def get_sections(self, profile: ProviderProfile) -> list[dict[str, Any]]:
        return DossierSectionSerializer(selectors.dossier(profile), many=True).data


class SectionStatementSerializer(VersionSerializer):
    statement = serializers.CharField(max_length=5000, allow_blank=True)


class SectionDecisionSerializer(VersionSerializer):
    decision = serializers.ChoiceField(choices=["accepted", "rejected"])
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class ProviderReasonSerializer(VersionSerializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    # Suspension only: its last day (a suspension always has an end).
    until = serializers.DateField(required=False, allow_null=True, default=None)


class DocumentUploadSerializer(StrictInputSerializer):
    version = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=200)
    file = serializers.FileField()
    valid_from = serializers.DateField(required=False, allow_null=True, default=None)
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)


class StaffInputSerializer(VersionSerializer):
    name = serializers.CharField(max_length=100)
    position = serializers.CharField(max_length=100)
    qualification = serializers.CharField(max_length=200)
    certificate_number = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    qualification_valid_until = serializers.DateField(required=False, allow_null=True, default=None)


class RelatedPartySerializer(serializers.ModelSerializer):
    class Meta:
        model = RelatedParty
        fields = ["id", "first", "second", "basis", "note", "created_at", "ended_at"]
        read_only_fields = fields


class RelationInputSerializer(StrictInputSerializer):
    other_uscc = serializers.CharField(max_length=64)
    note = serializers.CharField(max_length=500)


class EndRelationSerializer(StrictInputSerializer):
    reason = serializers.CharField(max_length=500)


class ServiceAreaInputSerializer(StrictInputSerializer):
    item = serializers.IntegerField(min_value=1)


class ProjectConditionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectCondition
        fields = [
            "id",
            "purchaser",
            "project_reference",
            "text",
            "service_requirement",
            "status",
            "flags",
            "decision_reason",
            "decided_at",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class ConditionInputSerializer(StrictInputSerializer):
    purchaser = serializers.IntegerField(min_value=1)
    project_reference = serializers.CharField(max_length=200)
    text = serializers.CharField(max_length=2000)
    service_requirement = serializers.CharField(max_length=2000)


class ConditionDecisionSerializer(VersionSerializer):
    decision = serializers.ChoiceField(choices=["approved", "rejected"])
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class ConditionPatternSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConditionPattern
        fields = ["id", "code", "category", "label_zh", "label_en", "phrases", "is_active", "version"]
        read_only_fields = fields


class PatternInputSerializer(StrictInputSerializer):
    code = serializers.CharField(max_length=48)
    category = serializers.ChoiceField(choices=ConditionPattern.Category.choices)
    label_zh = serializers.CharField(max_length=200)
    label_en = serializers.CharField(max_length=300)
    phrases = serializers.CharField(max_length=5000)


class PatternUpdateSerializer(VersionSerializer):
    category = serializers.ChoiceField(choices=ConditionPattern.Category.choices, required=False)
    label_zh = serializers.CharField(max_length=200, required=False)
    label_en = serializers.CharField(max_length=300, required=False)
    phrases = serializers.CharField(max_length=5000, required=False)
    is_active = serializers.BooleanField(required=False)


# --- Public ---------------------------------------------------------------------------------------------------


class DirectoryListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = DirectoryEntrySerializer
    pagination_class = PageNumberPagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return selectors.public_directory(self.request.query_params).prefetch_related("service_areas__item")

    @extend_schema(
        summary="Verified providers (public directory)",
        parameters=[
            OpenApiParameter("q", str, description="Part of the name, or the full code."),
            OpenApiParameter("kind", str, enum=sorted(k.value for k in OrganisationKind if k.value in _PROVIDER)),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request)


class DirectoryDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(summary="One verified provider", responses={200: DirectoryEntrySerializer, **error_responses(404)})
    def get(self, request: Request, pk: int) -> Response:
        profile = selectors.public_provider(pk)
        profile = (
            ProviderProfile.objects.prefetch_related("service_areas__item")
            .select_related("organisation__region")
            .get(pk=profile.pk)
        )
        return Response(DirectoryEntrySerializer(profile).data)


class RegistrationView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [RegistrationRateThrottle]

    @extend_schema(
        summary="Register a provider organisation with its first user",
        description="Creates the organisation, its administrator and an empty eligibility dossier. Duplicate "
        "codes, Order 102 Art. 8 kinds and non-provider kinds are refused with the reason.",
        request=RegistrationSerializer,
        responses={201: ProfileSerializer, **error_responses(400, 429)},
    )
    def post(self, request: Request) -> Response:
        profile = registration.register_provider(**_valid(RegistrationSerializer, request))
        return Response(ProfileSerializer(profile).data, status=status.HTTP_201_CREATED)


# --- Profiles and dossiers -----------------------------------------------------------------------------------


class ProviderListView(generics.ListAPIView):
    serializer_class = ProfileSerializer
    pagination_class = PageNumberPagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return selectors.visible_profiles(self.request.user, self.request.query_params)

    @extend_schema(
        summary="Providers whose dossiers you may read",
        parameters=[
            OpenApiParameter("state", str, enum=list(ProviderProfile.State.values)),
            OpenApiParameter("awaiting", bool, description="Only those with sections awaiting verification."),
            OpenApiParameter("q", str),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request)


def _detail(profile: ProviderProfile) -> Response:
    profile = ProviderProfile.objects.select_related("organisation__region").get(pk=profile.pk)
    return Response(ProfileDetailSerializer(profile).data)


class ProviderDetailView(APIView):
    @extend_schema(
        summary="A provider's profile and dossier (where each section stands and what it lacks)",
        responses={200: ProfileDetailSerializer, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _detail(selectors.profile_for(request.user, pk))

    @extend_schema(
        summary="Change registration facts (the provider's administrator)",
        request=ProfileUpdateSerializer,
        responses={200: ProfileDetailSerializer, **error_responses(400, 403, 404, 409)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        profile = selectors.profile_for(request.user, pk)
        data = _valid(ProfileUpdateSerializer, request)
        version = data.pop("version")
        return _detail(registration.update_profile(actor=request.user, profile=profile, version=version, **data))


class ProviderStateView(APIView):
    action_name = ""

    @extend_schema(
        request=ProviderReasonSerializer,
        responses={200: ProfileDetailSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        profile = selectors.profile_for(request.user, pk)
        data = _valid(ProviderReasonSerializer, request)
        if self.action_name == "verify":
            result = standing.verify_provider(actor=request.user, profile=profile, version=data["version"])
        elif self.action_name == "suspend":
            result = standing.suspend_provider(actor=request.user, profile=profile, **data)
        else:
            result = standing.reinstate_provider(
                actor=request.user, profile=profile, version=data["version"], reason=data["reason"]
            )
        return _detail(result)


@extend_schema_view(
    post=extend_schema(
        summary="Verify a provider (its registration authority; every section accepted and current)",
        request=ProviderReasonSerializer,
        responses={200: ProfileDetailSerializer, **error_responses(400, 403, 404, 409)},
    )
)
class VerifyView(ProviderStateView):
    action_name = "verify"


@extend_schema_view(
    post=extend_schema(
        summary="Suspend a provider until a given day (with the reason; at most a year)",
        request=ProviderReasonSerializer,
        responses={200: ProfileDetailSerializer, **error_responses(400, 403, 404, 409)},
    )
)
class SuspendView(ProviderStateView):
    action_name = "suspend"


@extend_schema_view(
    post=extend_schema(
        summary="Lift a provider's suspension before its end",
        request=ProviderReasonSerializer,
        responses={200: ProfileDetailSerializer, **error_responses(400, 403, 404, 409)},
    )
)
class ReinstateView(ProviderStateView):
    action_name = "reinstate"


def _section(request: Request, pk: int, condition: str) -> tuple[ProviderProfile, Any]:
    profile = selectors.profile_for(request.user, pk)
    return profile, selectors.section_for(profile, condition)


def _section_answer(profile: ProviderProfile, condition: str, code: int = status.HTTP_200_OK) -> Response:
    return Response(DossierSectionSerializer(selectors.section_for(profile, condition)).data, status=code)


class SectionView(APIView):
    @extend_schema(summary="One dossier section", responses={200: DossierSectionSerializer, **error_responses(404)})
    def get(self, request: Request, pk: int, condition: str) -> Response:
        profile, _view = _section(request, pk, condition)
        return _section_answer(profile, condition)

    @extend_schema(
        summary="Change the section's statement",
        request=SectionStatementSerializer,
        responses={200: DossierSectionSerializer, **error_responses(400, 403, 404, 409)},
    )
    def patch(self, request: Request, pk: int, condition: str) -> Response:
        profile, view = _section(request, pk, condition)
        data = _valid(SectionStatementSerializer, request)
        dossiers.update_statement(actor=request.user, section=view.section, **data)
        return _section_answer(profile, condition)


class SectionActionView(APIView):
    action_name = ""

    def post(self, request: Request, pk: int, condition: str) -> Response:
        profile, view = _section(request, pk, condition)
        if self.action_name == "decide":
            data = _valid(SectionDecisionSerializer, request)
            dossiers.decide_section(actor=request.user, section=view.section, **data)
        else:
            data = _valid(VersionSerializer, request)
            handler = dossiers.submit_section if self.action_name == "submit" else dossiers.sign_declaration
            handler(actor=request.user, section=view.section, version=data["version"])
        return _section_answer(profile, condition)


@extend_schema_view(
    post=extend_schema(
        summary="Submit a section for verification (refused with what is missing)",
        request=VersionSerializer,
        responses={200: DossierSectionSerializer, **error_responses(400, 403, 404, 409)},
    )
)
class SubmitSectionView(SectionActionView):
    action_name = "submit"


@extend_schema_view(
    post=extend_schema(
        summary="Sign the declaration of no major violation (the provider's administrator)",
        request=VersionSerializer,
        responses={200: DossierSectionSerializer, **error_responses(400, 403, 404, 409)},
    )
)
class DeclarationView(SectionActionView):
    action_name = "declaration"


@extend_schema_view(
    post=extend_schema(
        summary="Accept or reject a section (the registration authority; a rejection says why)",
        request=SectionDecisionSerializer,
        responses={200: DossierSectionSerializer, **error_responses(400, 403, 404, 409)},
    )
)
class DecideSectionView(SectionActionView):
    action_name = "decide"


class DocumentUploadView(APIView):
    # JSON too, so a JSON request is refused for what it lacks (CSRF, the file) rather than its type.
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        summary="Upload a document to a section",
        description="PDF, PNG, JPEG, XLSX, DOCX or CSV whose content matches its extension; executables, "
        "polyglots, zip bombs, unsafe names and oversized files are refused with the reason.",
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DossierDocumentSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int, condition: str) -> Response:
        _profile, view = _section(request, pk, condition)
        data = _valid(DocumentUploadSerializer, request)
        file = data.pop("file")
        document = dossiers.add_document(
            actor=request.user,
            section=view.section,
            file_name=file.name or "",
            data=file.read(settings.GOVBUY_UPLOAD_MAX_BYTES + 1),
            **data,
        )
        return Response(DossierDocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentDownloadView(APIView):
    @extend_schema(
        summary="Download a document (as an attachment, after its sha256 is checked)",
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY), **error_responses(404)},
    )
    def get(self, request: Request, pk: int, document_id: int) -> HttpResponse:
        document = selectors.document_for(request.user, pk, document_id)
        content = open_verified(document.path, document.sha256)
        response = FileResponse(
            content, as_attachment=True, filename=document.display_name, content_type=document.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response


class DocumentWithdrawView(APIView):
    @extend_schema(
        summary="Withdraw a document from its section (kept on record)",
        request=VersionSerializer,
        responses={200: DossierDocumentSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int, document_id: int) -> Response:
        document = selectors.document_for(request.user, pk, document_id)
        data = _valid(VersionSerializer, request)
        return Response(
            DossierDocumentSerializer(dossiers.withdraw_document(actor=request.user, document=document, **data)).data
        )


class StaffAddView(APIView):
    @extend_schema(
        summary="Add a person to the staff list (facilities, staff and expertise)",
        request=StaffInputSerializer,
        responses={201: StaffEntrySerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int, condition: str) -> Response:
        _profile, view = _section(request, pk, condition)
        data = _valid(StaffInputSerializer, request)
        entry = dossiers.add_staff(actor=request.user, section=view.section, **data)
        return Response(StaffEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class StaffRemoveView(APIView):
    @extend_schema(
        summary="Remove a person from the staff list",
        request=VersionSerializer,
        responses={204: None, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int, staff_id: int) -> Response:
        profile = selectors.profile_for(request.user, pk)
        entry = selectors.staff_entry_for(profile, staff_id)
        data = _valid(VersionSerializer, request)
        dossiers.remove_staff(actor=request.user, entry=entry, **data)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Related parties and service areas -------------------------------------------------------------------------


class RelatedPartyListView(APIView):
    @extend_schema(summary="A provider's related parties", responses={200: RelatedPartySerializer(many=True)})
    def get(self, request: Request, pk: int) -> Response:
        profile = selectors.profile_for(request.user, pk)
        return Response(RelatedPartySerializer(selectors.related_parties(profile.organisation_id), many=True).data)

    @extend_schema(
        summary="Record a control relation with another provider",
        request=RelationInputSerializer,
        responses={201: RelatedPartySerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        profile = selectors.profile_for(request.user, pk)
        data = _valid(RelationInputSerializer, request)
        other = Organisation.objects.filter(uscc=normalise(data["other_uscc"])).first()
        if other is None:
            raise ValidationFailed(fields={"other_uscc": [_("No registered provider has this code.")]})
        link = related_parties.record_control_relation(
            actor=request.user, profile=profile, other=other, note=data["note"]
        )
        return Response(RelatedPartySerializer(link).data, status=status.HTTP_201_CREATED)


class RelatedPartyEndView(APIView):
    @extend_schema(
        summary="End a related-party link (registration authority)",
        request=EndRelationSerializer,
        responses={200: RelatedPartySerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: int, relation_id: int) -> Response:
        profile = selectors.profile_for(request.user, pk)
        link = selectors.related_parties(profile.organisation_id).filter(pk=relation_id).first()
        if link is None:
            raise NotFound()
        data = _valid(EndRelationSerializer, request)
        return Response(
            RelatedPartySerializer(related_parties.end_relation(actor=request.user, relation=link, **data)).data
        )


class ServiceAreaListView(APIView):
    @extend_schema(summary="A provider's service areas", responses={200: ServiceAreaSerializer(many=True)})
    def get(self, request: Request, pk: int) -> Response:
        profile = selectors.profile_for(request.user, pk)
        areas = ServiceArea.objects.filter(profile=profile).select_related("item").order_by("item_code")
        return Response(ServiceAreaSerializer(areas, many=True).data)

    @extend_schema(
        summary="Add a service area (an item of a published catalog)",
        request=ServiceAreaInputSerializer,
        responses={201: ServiceAreaSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        profile = selectors.profile_for(request.user, pk)
        data = _valid(ServiceAreaInputSerializer, request)
        area = related_parties.add_service_area(actor=request.user, profile=profile, item=data["item"])
        return Response(ServiceAreaSerializer(area).data, status=status.HTTP_201_CREATED)


class ServiceAreaRemoveView(APIView):
    @extend_schema(summary="Remove a service area", request=None, responses={204: None, **error_responses(403, 404)})
    def post(self, request: Request, pk: int, area_id: int) -> Response:
        profile = selectors.profile_for(request.user, pk)
        area = ServiceArea.objects.filter(pk=area_id, profile=profile).first()
        if area is None:
            raise NotFound()
        related_parties.remove_service_area(actor=request.user, area=area)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReportView(APIView):
    @extend_schema(
        summary="Verification report of your providers for annual inspection (.xlsx)",
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY), **error_responses(404)},
    )
    def get(self, request: Request) -> HttpResponse:
        from govbuy.organizations.scope import scope_for
        from govbuy.providers.rules import authority_regions

        scope = scope_for(request.user)
        if not (scope.is_platform_admin or authority_regions(scope)):
            raise NotFound()
        return authority_report_response(request.user)


# --- Project conditions and patterns ---------------------------------------------------------------------------


class ConditionListView(generics.ListAPIView):
    serializer_class = ProjectConditionSerializer
    pagination_class = PageNumberPagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return selectors.visible_conditions(self.request.user, self.request.query_params)

    @extend_schema(
        summary="Project conditions you may see",
        parameters=[OpenApiParameter("status", str, enum=list(ProjectCondition.Status.values))],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request)

    @extend_schema(
        summary="Set a condition for a future procurement (purchaser)",
        description="Each condition names the service requirement it serves. One matching a discriminatory "
        "pattern is flagged and awaits the finance bureau's approval.",
        request=ConditionInputSerializer,
        responses={201: ProjectConditionSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        data = _valid(ConditionInputSerializer, request)
        condition = project_conditions.create_condition(actor=request.user, **data)
        return Response(ProjectConditionSerializer(condition).data, status=status.HTTP_201_CREATED)


class ConditionDetailView(APIView):
    @extend_schema(summary="One project condition", responses={200: ProjectConditionSerializer, **error_responses(404)})
    def get(self, request: Request, pk: int) -> Response:
        return Response(ProjectConditionSerializer(selectors.condition_for(request.user, pk)).data)


class ConditionDecideView(APIView):
    @extend_schema(
        summary="Approve a flagged condition, or reject any condition as unrelated (finance bureau)",
        request=ConditionDecisionSerializer,
        responses={200: ProjectConditionSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        condition = selectors.condition_for(request.user, pk)
        data = _valid(ConditionDecisionSerializer, request)
        return Response(
            ProjectConditionSerializer(
                project_conditions.decide_condition(actor=request.user, condition=condition, **data)
            ).data
        )


class ConditionWithdrawView(APIView):
    @extend_schema(
        summary="Withdraw a condition (purchaser)",
        request=VersionSerializer,
        responses={200: ProjectConditionSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        condition = selectors.condition_for(request.user, pk)
        data = _valid(VersionSerializer, request)
        return Response(
            ProjectConditionSerializer(
                project_conditions.withdraw_condition(actor=request.user, condition=condition, **data)
            ).data
        )


class PatternListView(APIView):
    @extend_schema(summary="Discriminatory condition patterns", responses={200: ConditionPatternSerializer(many=True)})
    def get(self, request: Request) -> Response:
        return Response(ConditionPatternSerializer(selectors.patterns(request.user), many=True).data)

    @extend_schema(
        summary="Add a pattern (city finance bureau)",
        request=PatternInputSerializer,
        responses={201: ConditionPatternSerializer, **error_responses(400, 403)},
    )
    def post(self, request: Request) -> Response:
        data = _valid(PatternInputSerializer, request)
        return Response(
            ConditionPatternSerializer(project_conditions.create_pattern(actor=request.user, **data)).data,
            status=status.HTTP_201_CREATED,
        )


class PatternDetailView(APIView):
    @extend_schema(summary="One pattern", responses={200: ConditionPatternSerializer, **error_responses(404)})
    def get(self, request: Request, pk: int) -> Response:
        return Response(ConditionPatternSerializer(selectors.pattern_for(request.user, pk)).data)

    @extend_schema(
        summary="Change a pattern (city finance bureau)",
        request=PatternUpdateSerializer,
        responses={200: ConditionPatternSerializer, **error_responses(400, 403, 404, 409)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        pattern = selectors.pattern_for(request.user, pk)
        data = _valid(PatternUpdateSerializer, request)
        version = data.pop("version")
        return Response(
            ConditionPatternSerializer(
                project_conditions.update_pattern(actor=request.user, pattern=pattern, version=version, **data)
            ).data
        )


urlpatterns = [
    path("provider-directory/", DirectoryListView.as_view(), name="provider-directory"),
    path("provider-directory/<int:pk>/", DirectoryDetailView.as_view(), name="provider-directory-detail"),
    path("provider-registrations/", RegistrationView.as_view(), name="provider-registration"),
    path("providers/", ProviderListView.as_view(), name="provider-list"),
    path("providers/report.xlsx", ReportView.as_view(), name="provider-report"),
    path("providers/<int:pk>/", ProviderDetailView.as_view(), name="provider-detail"),
    path("providers/<int:pk>/verify/", VerifyView.as_view(), name="provider-verify"),
    path("providers/<int:pk>/suspend/", SuspendView.as_view(), name="provider-suspend"),
    path("providers/<int:pk>/reinstate/", ReinstateView.as_view(), name="provider-reinstate"),
    path("providers/<int:pk>/sections/<str:condition>/", SectionView.as_view(), name="provider-section"),
    path(
        "providers/<int:pk>/sections/<str:condition>/submit/",
        SubmitSectionView.as_view(),
        name="provider-section-submit",
    ),
    path(
        "providers/<int:pk>/sections/<str:condition>/declaration/",
        DeclarationView.as_view(),
        name="provider-section-declaration",
    ),
    path(
        "providers/<int:pk>/sections/<str:condition>/decide/",
        DecideSectionView.as_view(),
        name="provider-section-decide",
    ),
    path(
        "providers/<int:pk>/sections/<str:condition>/documents/",
        DocumentUploadView.as_view(),
        name="provider-section-documents",
    ),
    path("providers/<int:pk>/sections/<str:condition>/staff/", StaffAddView.as_view(), name="provider-section-staff"),
    path("providers/<int:pk>/documents/<int:document_id>/", DocumentDownloadView.as_view(), name="provider-document"),
    path(
        "providers/<int:pk>/documents/<int:document_id>/withdraw/",
        DocumentWithdrawView.as_view(),
        name="provider-document-withdraw",
    ),
    path("providers/<int:pk>/staff/<int:staff_id>/remove/", StaffRemoveView.as_view(), name="provider-staff-remove"),
    path("providers/<int:pk>/related-parties/", RelatedPartyListView.as_view(), name="provider-related-parties"),
    path(
        "providers/<int:pk>/related-parties/<int:relation_id>/end/",
        RelatedPartyEndView.as_view(),
        name="provider-related-party-end",
    ),
    path("providers/<int:pk>/service-areas/", ServiceAreaListView.as_view(), name="provider-service-areas"),
    path(
        "providers/<int:pk>/service-areas/<int:area_id>/remove/",
        ServiceAreaRemoveView.as_view(),
        name="provider-service-area-remove",
    ),
    path("project-conditions/", ConditionListView.as_view(), name="project-conditions"),
    path("project-conditions/<int:pk>/", ConditionDetailView.as_view(), name="project-condition"),
    path("project-conditions/<int:pk>/decide/", ConditionDecideView.as_view(), name="project-condition-decide"),
    path("project-conditions/<int:pk>/withdraw/", ConditionWithdrawView.as_view(), name="project-condition-withdraw"),
    path("condition-patterns/", PatternListView.as_view(), name="condition-patterns"),
    path("condition-patterns/<int:pk>/", PatternDetailView.as_view(), name="condition-pattern"),
]
