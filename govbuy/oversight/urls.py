from django.urls import path

from govbuy.oversight.views import staff as views
from govbuy.oversight.views import statistics

app_name = "oversight"

urlpatterns = [
    path("cases/", views.case_list, name="cases"),
    path("cases/open/", views.case_open, name="case_open"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/questions/", views.case_ask, name="case_ask"),
    path("cases/<int:pk>/questions/<int:question_pk>/answer/", views.case_answer, name="case_answer"),
    path("cases/<int:pk>/conclusion/", views.case_conclude, name="case_conclude"),
    path("cases/<int:pk>/remedy/", views.case_remedy, name="case_remedy"),
    path("cases/<int:pk>/close/", views.case_close, name="case_close"),
    path("cases/<int:pk>/documents/<int:doc_pk>/", views.answer_document, name="answer_document"),
    path("flags/", views.flag_list, name="flags"),
    path("flags/<int:pk>/dismiss/", views.flag_dismiss, name="flag_dismiss"),
    path("statistics/", statistics.statistics, name="statistics"),
    path("statistics/export.xlsx", statistics.statistics_export, name="statistics_export"),
    path("statistics/refresh/", statistics.statistics_refresh, name="statistics_refresh"),
    path("statistics/refresh/<int:pk>/", statistics.statistics_progress, name="statistics_progress"),
]
