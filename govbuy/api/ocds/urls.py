"""URLs of the ocds API (included once by govbuy/api/urls.py; names and paths are part of the API)."""

from __future__ import annotations

from django.urls import path

from govbuy.api.ocds.views import FeedView, RecordView, ReleasesView

urlpatterns = [
    path("ocds/releases", ReleasesView.as_view(), name="ocds-releases"),
    path("ocds/feed", FeedView.as_view(), name="ocds-feed"),
    path("ocds/records/<str:ocid>", RecordView.as_view(), name="ocds-record"),
]
