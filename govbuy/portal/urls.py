from django.urls import path

from govbuy.portal.views import public as portal_views
from govbuy.portal.views import staff as feedback_views

app_name = "portal"
urlpatterns = [
    path("", portal_views.home, name="home"),
    path("projects/<int:pk>/", portal_views.project, name="project"),
    path("projects/<int:pk>/feedback/", portal_views.feedback_submit, name="feedback-submit"),
    # The purchaser's moderation (signed in).
    path("feedback/", feedback_views.queue, name="feedback-queue"),
    path("feedback/<int:pk>/", feedback_views.detail, name="feedback"),
    path("feedback/<int:pk>/publish/", feedback_views.publish, name="feedback-publish"),
    path("feedback/<int:pk>/reject/", feedback_views.reject, name="feedback-reject"),
    path("feedback/<int:pk>/reply/", feedback_views.reply, name="feedback-reply"),
]
