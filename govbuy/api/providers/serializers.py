"""Serializers of the providers API (inputs derive from govbuy.api.base.StrictInputSerializer)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import (
    extend_schema_field,
)
from rest_framework import serializers

from govbuy.api.base import StrictInputSerializer, VersionSerializer
from govbuy.organizations.models import OrganisationKind, Region
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
    credit_page = serializers.SerializerMethodField()

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
            "credit_page",
        ]
        read_only_fields = fields

    def get_credit_page(self, obj: ProviderProfile) -> str:
        """The provider's public credit page (published facts and bans)."""
        return reverse("credit_public:provider", args=[obj.organisation_id])


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
