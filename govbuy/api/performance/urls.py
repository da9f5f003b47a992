from django.urls import path

from govbuy.api.performance import views

urlpatterns = [
    path("performance/results/", views.ResultList.as_view(), name="performance-results"),
    path("performance/results/<int:pk>/", views.ResultDetail.as_view(), name="performance-result"),
    path("performance/templates/", views.TemplateList.as_view(), name="performance-templates"),
    path("performance/rounds/", views.RoundList.as_view(), name="performance-rounds"),
    path("performance/rounds/<int:pk>/", views.RoundDetail.as_view(), name="performance-round"),
    path("performance/rounds/<int:pk>/scores/", views.RoundScores.as_view(), name="performance-round-scores"),
    path("performance/rounds/<int:pk>/<slug:action>/", views.RoundAction.as_view(), name="performance-round-action"),
    path("performance/surveys/<int:pk>/", views.SurveyDetail.as_view(), name="performance-survey"),
    path("performance/surveys/<int:pk>/issue/", views.SurveyIssue.as_view(), name="performance-survey-issue"),
    path("performance/survey-answers/", views.SurveyAnswer.as_view(), name="performance-survey-answer"),
]
