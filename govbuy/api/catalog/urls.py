"""URLs of the catalog API (included once by govbuy/api/urls.py; names and paths are part of the API)."""

from __future__ import annotations

from django.urls import path

from govbuy.api.catalog.views import (
    CommentsView,
    DiscardView,
    FileVersionView,
    FilingDecisionView,
    FilingDetailView,
    FilingListView,
    FilingReturnView,
    ImportJobView,
    ImportView,
    ItemDetailView,
    MatterDetailView,
    MatterListView,
    PublishView,
    PurchasableView,
    VersionDetailView,
    VersionDiffView,
    VersionItemsView,
    VersionListView,
)

urlpatterns = [
    path("catalog/versions/", VersionListView.as_view(), name="catalog-versions"),
    path("catalog/versions/import/", ImportView.as_view(), name="catalog-import"),
    path("catalog/versions/<int:pk>/", VersionDetailView.as_view(), name="catalog-version"),
    path("catalog/versions/<int:pk>/items/", VersionItemsView.as_view(), name="catalog-version-items"),
    path("catalog/versions/<int:pk>/diff/", VersionDiffView.as_view(), name="catalog-version-diff"),
    path("catalog/versions/<int:pk>/publish/", PublishView.as_view(), name="catalog-version-publish"),
    path("catalog/versions/<int:pk>/discard/", DiscardView.as_view(), name="catalog-version-discard"),
    path("catalog/versions/<int:pk>/comments/", CommentsView.as_view(), name="catalog-version-comments"),
    path("catalog/versions/<int:pk>/filings/", FileVersionView.as_view(), name="catalog-version-file"),
    path("catalog/items/<int:pk>/", ItemDetailView.as_view(), name="catalog-item"),
    path("catalog/imports/<int:pk>/", ImportJobView.as_view(), name="catalog-import-job"),
    path("catalog/filings/", FilingListView.as_view(), name="catalog-filings"),
    path("catalog/filings/<int:pk>/", FilingDetailView.as_view(), name="catalog-filing"),
    path("catalog/filings/<int:pk>/acknowledge/", FilingDecisionView.as_view(), name="catalog-filing-acknowledge"),
    path("catalog/filings/<int:pk>/return/", FilingReturnView.as_view(), name="catalog-filing-return"),
    path("catalog/negative-list/", MatterListView.as_view(), name="catalog-negative-list"),
    path("catalog/negative-list/<int:pk>/", MatterDetailView.as_view(), name="catalog-negative-matter"),
    path("catalog/purchasable/", PurchasableView.as_view(), name="catalog-purchasable"),
]
