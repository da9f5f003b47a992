"""API for the provider registry: public directory and self-registration, dossiers and their
verification, documents, related parties, service areas, project conditions and the pattern table.

Same scope (selectors) and decisions (services) as the pages; outside the scope is 404. State,
version and decision fields are output only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from govbuy.api.base import TransitionView, VersionSerializer, answer, parse
from govbuy.api.errors import error_responses
from govbuy.api.pagination import PageNumberPagination
from govbuy.api.providers.serializers import (
    ConditionDecisionSerializer,
    ConditionInputSerializer,
    ConditionPatternSerializer,
    DirectoryEntrySerializer,
    DocumentUploadSerializer,
    DossierDocumentSerializer,
    DossierSectionSerializer,
    EndRelationSerializer,
    PatternInputSerializer,
    PatternUpdateSerializer,
    ProfileDetailSerializer,
    ProfileSerializer,
    ProfileUpdateSerializer,
    ProjectConditionSerializer,
    ProviderReasonSerializer,
    RegistrationSerializer,
    RelatedPartySerializer,
    RelationInputSerializer,
    SectionDecisionSerializer,
    SectionStatementSerializer,
    ServiceAreaInputSerializer,
    ServiceAreaSerializer,
    StaffEntrySerializer,
    StaffInputSerializer,
)
from govbuy.core.errors import NotFound, ValidationFailed
from govbuy.core.middleware import client_ip
from govbuy.core.storage import open_verified
from govbuy.organizations.kinds import PROVIDER_KINDS
from govbuy.organizations.models import Organisation, OrganisationKind
from govbuy.organizations.uscc import normalise
from govbuy.providers import selectors
from govbuy.providers.models import (
    ProjectCondition,
    ProviderProfile,
    ServiceArea,
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


# --- Public ---------------------------------------------------------------------------------------------------


class DirectoryListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = DirectoryEntrySerializer
    pagination_class = PageNumberPagination

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
        profile = registration.register_provider(**parse(RegistrationSerializer, request))
        return Response(ProfileSerializer(profile).data, status=status.HTTP_201_CREATED)


# --- Profiles and dossiers -----------------------------------------------------------------------------------


class ProviderListView(generics.ListAPIView):
    serializer_class = ProfileSerializer
    pagination_class = PageNumberPagination

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
    return answer(ProfileDetailSerializer, ProviderProfile.objects.select_related("organisation__region"), profile)


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
        data = parse(ProfileUpdateSerializer, request)
        version = data.pop("version")
        return _detail(registration.update_profile(actor=request.user, profile=profile, version=version, **data))


# `POST providers/<pk>/<action>/`: one standing service, answered with the profile.
class ProviderStateView(TransitionView):
    input_serializer = ProviderReasonSerializer
    output_serializer = ProfileDetailSerializer

    def lookup(self, request: Request, pk: int) -> ProviderProfile:
        return selectors.profile_for(request.user, pk)

    def refetch(self, result: ProviderProfile) -> ProviderProfile:
        return ProviderProfile.objects.select_related("organisation__region").get(pk=result.pk)


class VerifyView(ProviderStateView):
    summary = "Verify a provider (its registration authority; every section accepted and current)"

    def perform(self, request: Request, obj: ProviderProfile, data: dict[str, Any]) -> ProviderProfile:
        return standing.verify_provider(actor=request.user, profile=obj, version=data["version"])


class SuspendView(ProviderStateView):
    summary = "Suspend a verified provider (with the reason)"

    def perform(self, request: Request, obj: ProviderProfile, data: dict[str, Any]) -> ProviderProfile:
        return standing.suspend_provider(actor=request.user, profile=obj, **data)


class ReinstateView(ProviderStateView):
    summary = "Reinstate a suspended provider"

    def perform(self, request: Request, obj: ProviderProfile, data: dict[str, Any]) -> ProviderProfile:
        return standing.reinstate_provider(
            actor=request.user, profile=obj, version=data["version"], reason=data["reason"]
        )


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
        data = parse(SectionStatementSerializer, request)
        dossiers.update_statement(actor=request.user, section=view.section, **data)
        return _section_answer(profile, condition)


# `POST providers/<pk>/sections/<condition>/<action>/`: one dossier service, answered with the section.
class SectionActionView(TransitionView):
    output_serializer = DossierSectionSerializer
    service: Callable[..., Any]

    def lookup(self, request: Request, pk: int, condition: str) -> tuple[ProviderProfile, Any, str]:
        profile, view = _section(request, pk, condition)
        return profile, view, condition

    def perform(self, request: Request, obj: tuple[ProviderProfile, Any, str], data: dict[str, Any]) -> Any:
        profile, view, condition = obj
        type(self).service(actor=request.user, section=view.section, **data)
        return selectors.section_for(profile, condition)


class SubmitSectionView(SectionActionView):
    summary = "Submit a section for verification (refused with what is missing)"
    input_serializer = VersionSerializer
    service = staticmethod(dossiers.submit_section)


class DeclarationView(SectionActionView):
    summary = "Sign the declaration of no major violation (the provider's administrator)"
    input_serializer = VersionSerializer
    service = staticmethod(dossiers.sign_declaration)


class DecideSectionView(SectionActionView):
    summary = "Accept or reject a section (the registration authority; a rejection says why)"
    input_serializer = SectionDecisionSerializer
    service = staticmethod(dossiers.decide_section)


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
        data = parse(DocumentUploadSerializer, request)
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
        data = parse(VersionSerializer, request)
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
        data = parse(StaffInputSerializer, request)
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
        data = parse(VersionSerializer, request)
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
        data = parse(RelationInputSerializer, request)
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
        data = parse(EndRelationSerializer, request)
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
        data = parse(ServiceAreaInputSerializer, request)
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
        data = parse(ConditionInputSerializer, request)
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
        data = parse(ConditionDecisionSerializer, request)
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
        data = parse(VersionSerializer, request)
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
        data = parse(PatternInputSerializer, request)
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
        data = parse(PatternUpdateSerializer, request)
        version = data.pop("version")
        return Response(
            ConditionPatternSerializer(
                project_conditions.update_pattern(actor=request.user, pattern=pattern, version=version, **data)
            ).data
        )
