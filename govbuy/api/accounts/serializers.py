"""Serializers of the accounts API (inputs derive from govbuy.api.base.StrictInputSerializer)."""

from __future__ import annotations

from rest_framework import serializers

# --- Serializers -------------------------------------------------------------------------------


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, write_only=True)
    totp = serializers.CharField(
        max_length=12,
        required=False,
        allow_blank=True,
        default="",
        help_text="The current six-digit code, required when the user has two-factor authentication on.",
    )


class RegionBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    level = serializers.CharField()


class OrganisationBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    region = RegionBriefSerializer()


class MembershipBriefSerializer(serializers.Serializer):
    organisation = OrganisationBriefSerializer()
    role = serializers.CharField()
    role_label = serializers.CharField(source="get_role_display")


class TwoFactorStateSerializer(serializers.Serializer):
    enabled = serializers.BooleanField()
    required = serializers.BooleanField()


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()
    is_platform_admin = serializers.BooleanField()
    two_factor = TwoFactorStateSerializer()
    memberships = MembershipBriefSerializer(many=True)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as “Authorization: Bearer <token>”. Shown only once.")
    user = MeSerializer()


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(max_length=4096, trim_whitespace=False, write_only=True)
    new_password1 = serializers.CharField(max_length=4096, trim_whitespace=False, write_only=True)
    new_password2 = serializers.CharField(max_length=4096, trim_whitespace=False, write_only=True)
