"""Serializers of the organizations API (inputs derive from govbuy.api.base.StrictInputSerializer)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from govbuy.api.base import StrictInputSerializer, VersionSerializer
from govbuy.core.errors import ValidationFailed
from govbuy.organizations import rules, uscc
from govbuy.organizations.forms import USCC_HELP
from govbuy.organizations.kinds import Family
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
            "address",
            "postcode",
            "contact_person",
            "phone",
            "email",
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


class ContactsSerializer(VersionSerializer):
    """The address and contacts public notices print; each field replaces the stored one (blank
    clears it)."""

    address = serializers.CharField(max_length=300, allow_blank=True)
    postcode = serializers.CharField(max_length=6, allow_blank=True, help_text="Six digits.")
    contact_person = serializers.CharField(max_length=100, allow_blank=True)
    phone = serializers.CharField(max_length=40, allow_blank=True, help_text="With the area code: 010-6512 3456.")
    email = serializers.CharField(max_length=254, allow_blank=True)


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
