"""URLs of the ocds API (included once by govbuy/api/urls.py; names and paths are part of the API)."""

from __future__ import annotations

from django.urls import path

from govbuy.api.ocds import views

urlpatterns = [
    path("ocds/releases", views.ReleasesView.as_view(), name="ocds-releases"),
    path("ocds/feed", views.FeedView.as_view(), name="ocds-feed"),
    path("ocds/records/<str:ocid>", views.RecordView.as_view(), name="ocds-record"),
]
