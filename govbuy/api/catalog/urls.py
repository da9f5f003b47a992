"""URLs of the catalog API (included once by govbuy/api/urls.py; names and paths are part of the API)."""

from __future__ import annotations

from django.urls import path

from govbuy.api.catalog import views

urlpatterns = [
    path("catalog/versions/", views.VersionListView.as_view(), name="catalog-versions"),
    path("catalog/versions/import/", views.ImportView.as_view(), name="catalog-import"),
    path("catalog/versions/<int:pk>/", views.VersionDetailView.as_view(), name="catalog-version"),
    path("catalog/versions/<int:pk>/items/", views.VersionItemsView.as_view(), name="catalog-version-items"),
    path("catalog/versions/<int:pk>/diff/", views.VersionDiffView.as_view(), name="catalog-version-diff"),
    path("catalog/versions/<int:pk>/publish/", views.PublishView.as_view(), name="catalog-version-publish"),
    path("catalog/versions/<int:pk>/discard/", views.DiscardView.as_view(), name="catalog-version-discard"),
    path("catalog/versions/<int:pk>/comments/", views.CommentsView.as_view(), name="catalog-version-comments"),
    path("catalog/versions/<int:pk>/filings/", views.FileVersionView.as_view(), name="catalog-version-file"),
    path("catalog/items/<int:pk>/", views.ItemDetailView.as_view(), name="catalog-item"),
    path("catalog/imports/<int:pk>/", views.ImportJobView.as_view(), name="catalog-import-job"),
    path("catalog/filings/", views.FilingListView.as_view(), name="catalog-filings"),
    path("catalog/filings/<int:pk>/", views.FilingDetailView.as_view(), name="catalog-filing"),
    path(
        "catalog/filings/<int:pk>/acknowledge/", views.FilingDecisionView.as_view(), name="catalog-filing-acknowledge"
    ),
    path("catalog/filings/<int:pk>/return/", views.FilingReturnView.as_view(), name="catalog-filing-return"),
    path("catalog/negative-list/", views.MatterListView.as_view(), name="catalog-negative-list"),
    path("catalog/negative-list/<int:pk>/", views.MatterDetailView.as_view(), name="catalog-negative-matter"),
    path("catalog/purchasable/", views.PurchasableView.as_view(), name="catalog-purchasable"),
]
