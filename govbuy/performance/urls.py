from django.urls import path

from govbuy.performance.views import commissions, consultations, setup, surveys
from govbuy.performance.views import staff as views

app_name = "performance"
urlpatterns = [
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/new/", views.round_new, name="round-new"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/commission/", commissions.commission_new, name="round-commission"),
    path("rounds/<int:pk>/report.pdf", views.round_report, name="round-report"),
    path("rounds/<int:pk>/<slug:action>/", views.round_action, name="round-action"),
    path("templates/", views.template_list, name="templates"),
    path("templates/<int:pk>/", views.template_detail, name="template"),
    path("templates/new/", setup.template_new, name="template-new"),
    path("thresholds/", setup.threshold_list, name="thresholds"),
    path("surveys/", surveys.survey_list, name="surveys"),
    path("surveys/new/", surveys.survey_new, name="survey-new"),
    path("commissions/", commissions.commission_list, name="commissions"),
    path("commissions/<int:pk>/", commissions.commission_detail, name="commission"),
    path("commissions/<int:pk>/report/", commissions.commission_report, name="commission-report"),
    path("commissions/<int:pk>/document/", commissions.commission_document, name="commission-document"),
    path("consultations/", consultations.consultation_list, name="consultations"),
    path("consultations/new/", consultations.consultation_new, name="consultation-new"),
    path("consultations/<int:pk>/", consultations.consultation_detail, name="consultation"),
    path("consultations/<int:pk>/summary/", consultations.consultation_summary, name="consultation-summary"),
    path("consultation-comments/<int:pk>/<slug:action>/", consultations.comment_moderate, name="consultation-comment"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey"),
    path("surveys/<int:pk>/issue/", views.survey_issue, name="survey-issue"),
]
