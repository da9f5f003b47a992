"""URLs of the search API (included once by govbuy/api/urls.py; names and paths are part of the API)."""

from __future__ import annotations

from django.urls import path

from govbuy.api.search import views

urlpatterns = [path("search/", views.SearchView.as_view(), name="search")]
