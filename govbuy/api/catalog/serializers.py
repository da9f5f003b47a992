"""Serializers of the catalog API (inputs derive from govbuy.api.base.StrictInputSerializer)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from govbuy.api.base import StrictInputSerializer
from govbuy.catalog.models import CatalogItem, CatalogVersion, DraftComment, Filing, ImportJob, NegativeListMatter

# --- Serializers -------------------------------------------------------------------------------


class VersionSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name_zh", read_only=True)
    diff_counts = serializers.SerializerMethodField()

    class Meta:
        model = CatalogVersion
        fields = [
            "id",
            "region",
            "region_code",
            "region_name",
            "number",
            "title_zh",
            "title_en",
            "notes",
            "status",
            "effective_from",
            "published_at",
            "superseded_at",
            "based_on",
            "diff_against",
            "diff_counts",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_diff_counts(self, obj: CatalogVersion) -> dict[str, int]:
        return dict((obj.diff or {}).get("counts", {}))


class ItemSerializer(serializers.ModelSerializer):
    parent_code = serializers.SerializerMethodField()

    class Meta:
        model = CatalogItem
        fields = [
            "id",
            "code",
            "parent_code",
            "level",
            "position",
            "name_zh",
            "name_zh_hant",
            "name_en",
            "description",
            "is_priority",
            "procurement_code",
        ]
        read_only_fields = fields

    def get_parent_code(self, obj: CatalogItem) -> str:
        return str(getattr(obj, "parent_code", "") or "")


class DraftCreateSerializer(StrictInputSerializer):
    region = serializers.CharField(max_length=12, help_text="Region code, e.g. 110000.")
    title_zh = serializers.CharField(max_length=200)
    title_en = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    empty = serializers.BooleanField(required=False, default=False, help_text="Start empty instead of copying.")


class DraftUpdateSerializer(StrictInputSerializer):
    version = serializers.IntegerField(min_value=1, help_text="The version you read; a stale one answers 409.")
    title_zh = serializers.CharField(max_length=200, required=False)
    title_en = serializers.CharField(max_length=300, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class VersionOnlySerializer(StrictInputSerializer):
    version = serializers.IntegerField(min_value=1)


class PublishSerializer(VersionOnlySerializer):
    effective_from = serializers.DateField()


class DiscardSerializer(VersionOnlySerializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ItemInputSerializer(StrictInputSerializer):
    version = serializers.IntegerField(min_value=1, help_text="The draft's version you read.")
    code = serializers.CharField(max_length=32)
    parent_code = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    name_zh = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    is_priority = serializers.BooleanField(required=False, default=False)
    procurement_code = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")


class ItemUpdateSerializer(StrictInputSerializer):
    version = serializers.IntegerField(min_value=1, help_text="The draft's version you read.")
    parent_code = serializers.CharField(max_length=32, required=False, allow_blank=True)
    name_zh = serializers.CharField(max_length=200, required=False)
    name_en = serializers.CharField(max_length=300, required=False, allow_blank=True)
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    is_priority = serializers.BooleanField(required=False)
    procurement_code = serializers.CharField(max_length=32, required=False, allow_blank=True)


class CommentSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name_zh", read_only=True)
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = DraftComment
        fields = [
            "id",
            "catalog",
            "organisation",
            "organisation_name",
            "author_name",
            "item_code",
            "body",
            "created_at",
        ]
        read_only_fields = fields

    def get_author_name(self, obj: DraftComment) -> str:
        return str(obj.author) if obj.author else ""


class CommentInputSerializer(StrictInputSerializer):
    body = serializers.CharField(max_length=4000)
    item_code = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")


class FilingSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region.code", read_only=True)
    catalog_number = serializers.IntegerField(source="catalog.number", read_only=True)

    class Meta:
        model = Filing
        fields = [
            "id",
            "catalog",
            "catalog_number",
            "region",
            "region_code",
            "submitted_by_org",
            "submitted_at",
            "note",
            "status",
            "city_version",
            "diff",
            "decided_at",
            "decision_comment",
            "version",
        ]
        read_only_fields = fields


class FilingInputSerializer(StrictInputSerializer):
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class DecideSerializer(VersionOnlySerializer):
    comment = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class MatterSerializer(serializers.ModelSerializer):
    class Meta:
        model = NegativeListMatter
        fields = [
            "id",
            "code",
            "name_zh",
            "name_en",
            "legal_basis_zh",
            "legal_basis_en",
            "terms_zh",
            "is_active",
            "position",
            "version",
        ]
        read_only_fields = fields


class MatterInputSerializer(StrictInputSerializer):
    code = serializers.CharField(max_length=32)
    name_zh = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    legal_basis_zh = serializers.CharField(max_length=300)
    legal_basis_en = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    terms_zh = serializers.ListField(child=serializers.CharField(max_length=50), required=False, default=list)


class MatterUpdateSerializer(StrictInputSerializer):
    version = serializers.IntegerField(min_value=1)
    name_zh = serializers.CharField(max_length=200, required=False)
    name_en = serializers.CharField(max_length=300, required=False, allow_blank=True)
    legal_basis_zh = serializers.CharField(max_length=300, required=False)
    legal_basis_en = serializers.CharField(max_length=300, required=False, allow_blank=True)
    terms_zh = serializers.ListField(child=serializers.CharField(max_length=50), required=False)
    is_active = serializers.BooleanField(required=False)


class ImportInputSerializer(StrictInputSerializer):
    region = serializers.CharField(max_length=12, help_text="Region code.")
    file = serializers.FileField(help_text=".xlsx or .csv in the columns of the export.")
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="The region's draft version, to replace it."
    )
    title_zh = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    title_en = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ImportJobSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportJob
        fields = [
            "id",
            "region",
            "catalog",
            "file_name",
            "file_sha256",
            "status",
            "phase",
            "total_rows",
            "processed_rows",
            "errors",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


ImportResultSerializer = inline_serializer(
    name="CatalogImportResult",
    fields={
        "rows": serializers.IntegerField(),
        "catalog": VersionSerializer(allow_null=True),
        "job": ImportJobSerializer(allow_null=True),
    },
)


DiffSerializer = inline_serializer(
    name="CatalogDiff",
    fields={
        "against": serializers.IntegerField(allow_null=True, help_text="Version number compared with."),
        "added": serializers.ListField(child=serializers.DictField()),
        "removed": serializers.ListField(child=serializers.DictField()),
        "renamed": serializers.ListField(child=serializers.DictField()),
        "moved": serializers.ListField(child=serializers.DictField()),
        "reflagged": serializers.ListField(child=serializers.DictField()),
        "remapped": serializers.ListField(child=serializers.DictField()),
        "counts": serializers.DictField(child=serializers.IntegerField()),
    },
)


PurchasableSerializer = inline_serializer(
    name="CatalogPurchasable",
    fields={
        "allowed": serializers.BooleanField(),
        "code": serializers.ChoiceField(
            choices=["in_catalog", "negative_list", "outside_catalog", "approved_outside_catalog"]
        ),
        "reason": serializers.CharField(),
        "needs_approval": serializers.BooleanField(),
        "version_id": serializers.IntegerField(allow_null=True),
        "item_code": serializers.CharField(),
        "matter_code": serializers.CharField(),
        "legal_basis": serializers.CharField(),
    },
)
