"""URLs of the portal API (included once by govbuy/api/urls.py; names and paths are part of the API)."""

from __future__ import annotations

from django.urls import path

from govbuy.api.portal import views

urlpatterns = [
    path("portal/", views.PortalHomeView.as_view(), name="portal-home"),
    path("portal/projects/<int:pk>/", views.ProjectHistoryView.as_view(), name="portal-project"),
    path("portal/projects/<int:pk>/feedback/", views.ProjectFeedbackView.as_view(), name="portal-project-feedback"),
    path("feedback/", views.ModerationQueueView.as_view(), name="portal-feedback-queue"),
    path("feedback/<int:pk>/", views.ModerationDetailView.as_view(), name="portal-feedback"),
    path("feedback/<int:pk>/publish/", views.PublishView.as_view(), name="portal-feedback-publish"),
    path("feedback/<int:pk>/reject/", views.RejectView.as_view(), name="portal-feedback-reject"),
    path("feedback/<int:pk>/reply/", views.ReplyView.as_view(), name="portal-feedback-reply"),
]
