from django.urls import path

from govbuy.performance.views import public as views
from govbuy.performance.views import public_consultations

app_name = "performance-public"
urlpatterns = [
    # The short link printed on the invitation sheet and in its QR code.
    path("s/", views.survey_start, name="survey-start"),
    path("s/done/", views.survey_thanks, name="survey-thanks"),
    path("s/<str:code>/", views.survey, name="survey"),
    path("evaluations/", views.results, name="results"),
    path("evaluations/<int:pk>/", views.result, name="result"),
    path("consultations/", public_consultations.consultation_list, name="consultations"),
    path("consultations/<int:pk>/", public_consultations.consultation_detail, name="consultation"),
    path("consultations/<int:pk>/comment/", public_consultations.comment_submit, name="consultation-comment"),
    path("evaluations/<int:pk>/report.pdf", views.result_report, name="result-report"),
]
