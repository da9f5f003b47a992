"""URLs of the audit API (included once by govbuy/api/urls.py; names and paths are part of the API)."""

from __future__ import annotations

from django.urls import path

from govbuy.api.audit import views

urlpatterns = [
    path("audit/events/", views.EventListView.as_view(), name="audit-events"),
    path("audit/events/<int:position>/", views.EventDetailView.as_view(), name="audit-event-detail"),
    path("audit/checkpoints/", views.CheckpointListView.as_view(), name="audit-checkpoints"),
    path("audit/verify-runs/", views.VerifyRunListView.as_view(), name="audit-verify-runs"),
    path("audit/verify-runs/<int:run_id>/", views.VerifyRunDetailView.as_view(), name="audit-verify-run-detail"),
]
