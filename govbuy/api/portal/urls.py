"""URLs of the portal API (included once by govbuy/api/urls.py; names and paths are part of the API)."""

from __future__ import annotations

from django.urls import path

from govbuy.api.portal.views import (
    ModerationDetailView,
    ModerationQueueView,
    PortalHomeView,
    ProjectFeedbackView,
    ProjectHistoryView,
    PublishView,
    RejectView,
    ReplyView,
)

urlpatterns = [
    path("portal/", PortalHomeView.as_view(), name="portal-home"),
    path("portal/projects/<int:pk>/", ProjectHistoryView.as_view(), name="portal-project"),
    path("portal/projects/<int:pk>/feedback/", ProjectFeedbackView.as_view(), name="portal-project-feedback"),
    path("feedback/", ModerationQueueView.as_view(), name="portal-feedback-queue"),
    path("feedback/<int:pk>/", ModerationDetailView.as_view(), name="portal-feedback"),
    path("feedback/<int:pk>/publish/", PublishView.as_view(), name="portal-feedback-publish"),
    path("feedback/<int:pk>/reject/", RejectView.as_view(), name="portal-feedback-reject"),
    path("feedback/<int:pk>/reply/", ReplyView.as_view(), name="portal-feedback-reply"),
]
