"""Serializers of the search API (inputs derive from govbuy.api.base.StrictInputSerializer)."""

from __future__ import annotations

from django.utils.translation import get_language
from rest_framework import serializers

from govbuy.disclosure.models import SearchDocument


class SearchResultSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()

    class Meta:
        model = SearchDocument
        fields = [
            "kind",
            "object_type",
            "object_id",
            "title",
            "title_zh",
            "title_en",
            "summary_zh",
            "summary_en",
            "region_id",
            "region_label",
            "year",
            "status",
            "category",
            "method",
            "url",
        ]
        read_only_fields = fields

    def get_title(self, obj: SearchDocument) -> str:
        """The title in the request's language (English when there is one)."""
        english = (get_language() or "").startswith("en")
        return obj.title_en if english and obj.title_en else obj.title_zh


class SearchPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Results, counted up to 1,000.")
    count_capped = serializers.BooleanField(
        help_text="True when there are more than `count` results: refine the search."
    )
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = SearchResultSerializer(many=True)
