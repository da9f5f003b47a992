from django.urls import path

from govbuy.performance.views import staff as views

app_name = "performance"
urlpatterns = [
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/report.pdf", views.round_report, name="round-report"),
    path("rounds/<int:pk>/<slug:action>/", views.round_action, name="round-action"),
    path("templates/", views.template_list, name="templates"),
    path("templates/<int:pk>/", views.template_detail, name="template"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey"),
    path("surveys/<int:pk>/issue/", views.survey_issue, name="survey-issue"),
]
