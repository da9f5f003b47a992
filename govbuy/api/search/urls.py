"""URLs of the search API (included once by govbuy/api/urls.py; names and paths are part of the API)."""

from __future__ import annotations

from django.urls import path

from govbuy.api.search.views import SearchView

urlpatterns = [path("search/", SearchView.as_view(), name="search")]
