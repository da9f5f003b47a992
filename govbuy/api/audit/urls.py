"""URLs of the audit API (included once by govbuy/api/urls.py; names and paths are part of the API)."""

from __future__ import annotations

from django.urls import path

from govbuy.api.audit.views import (
    CheckpointListView,
    EventDetailView,
    EventListView,
    VerifyRunDetailView,
    VerifyRunListView,
)

urlpatterns = [
    path("audit/events/", EventListView.as_view(), name="audit-events"),
    path("audit/events/<int:position>/", EventDetailView.as_view(), name="audit-event-detail"),
    path("audit/checkpoints/", CheckpointListView.as_view(), name="audit-checkpoints"),
    path("audit/verify-runs/", VerifyRunListView.as_view(), name="audit-verify-runs"),
    path("audit/verify-runs/<int:run_id>/", VerifyRunDetailView.as_view(), name="audit-verify-run-detail"),
]
