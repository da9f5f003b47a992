"""URLs of the organizations API (included once by govbuy/api/urls.py; names and paths are part of the API)."""

from __future__ import annotations

from django.urls import path
from rest_framework.routers import SimpleRouter

from govbuy.api.organizations import views

router = SimpleRouter()


router.register("regions", views.RegionViewSet, basename="region")


router.register("organisations", views.OrganisationViewSet, basename="organisation")


urlpatterns = [
    *router.urls,
    path("organisations/<int:pk>/members/", views.MemberListView.as_view(), name="organisation-members"),
    path(
        "organisations/<int:pk>/members/<int:membership_id>/",
        views.MemberDetailView.as_view(),
        name="organisation-member-detail",
    ),
    path("uscc/check/", views.UsccCheckView.as_view(), name="uscc-check"),
]
