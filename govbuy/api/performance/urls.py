from django.urls import path

from govbuy.api.performance import consultations, setup, views

urlpatterns = [
    path("performance/results/", views.ResultList.as_view(), name="performance-results"),
    path("performance/results/<int:pk>/", views.ResultDetail.as_view(), name="performance-result"),
    path("performance/templates/", views.TemplateList.as_view(), name="performance-templates"),
    path("performance/rounds/", views.RoundList.as_view(), name="performance-rounds"),
    path("performance/rounds/<int:pk>/", views.RoundDetail.as_view(), name="performance-round"),
    path("performance/rounds/<int:pk>/report.pdf", views.RoundReport.as_view(), name="performance-round-report"),
    path("performance/rounds/<int:pk>/scores/", views.RoundScores.as_view(), name="performance-round-scores"),
    path("performance/rounds/<int:pk>/<slug:action>/", views.RoundAction.as_view(), name="performance-round-action"),
    path("performance/surveys/<int:pk>/", views.SurveyDetail.as_view(), name="performance-survey"),
    path("performance/surveys/<int:pk>/issue/", views.SurveyIssue.as_view(), name="performance-survey-issue"),
    path("performance/survey-answers/", views.SurveyAnswer.as_view(), name="performance-survey-answer"),
    path("performance/templates/<int:pk>/", views.TemplateDetail.as_view(), name="performance-template"),
    path("performance/surveys/", setup.SurveyList.as_view(), name="performance-surveys"),
    path("performance/commissions/", setup.CommissionList.as_view(), name="performance-commissions"),
    path("performance/commissions/<int:pk>/", setup.CommissionDetail.as_view(), name="performance-commission"),
    path(
        "performance/commissions/<int:pk>/report/",
        setup.CommissionReport.as_view(),
        name="performance-commission-report",
    ),
    path("performance/thresholds/", setup.ThresholdList.as_view(), name="performance-thresholds"),
    path("performance/consultations/", consultations.ConsultationList.as_view(), name="performance-consultations"),
    path(
        "performance/consultations/<int:pk>/",
        consultations.ConsultationDetail.as_view(),
        name="performance-consultation",
    ),
    path(
        "performance/consultations/<int:pk>/comments/",
        consultations.ConsultationComments.as_view(),
        name="performance-consultation-comments",
    ),
    path(
        "performance/consultations/<int:pk>/summary/",
        consultations.ConsultationSummary.as_view(),
        name="performance-consultation-summary",
    ),
    path(
        "performance/consultation-comments/<int:pk>/publish/",
        consultations.CommentPublish.as_view(),
        name="performance-consultation-comment-publish",
    ),
    path(
        "performance/consultation-comments/<int:pk>/reject/",
        consultations.CommentReject.as_view(),
        name="performance-consultation-comment-reject",
    ),
    path(
        "performance/public-consultations/",
        consultations.PublicConsultationList.as_view(),
        name="performance-public-consultations",
    ),
    path(
        "performance/public-consultations/<int:pk>/",
        consultations.PublicConsultationDetail.as_view(),
        name="performance-public-consultation",
    ),
    path(
        "performance/public-consultations/<int:pk>/comments/",
        consultations.PublicConsultationComments.as_view(),
        name="performance-public-consultation-comments",
    ),
]
