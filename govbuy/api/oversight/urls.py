from django.urls import path

from govbuy.api.oversight import cases, checkpoints, flags, statistics

urlpatterns = [
    path("oversight/cases/", cases.CaseListView.as_view(), name="oversight-cases"),
    path("oversight/cases/<int:pk>/", cases.CaseView.as_view(), name="oversight-case"),
    path("oversight/cases/<int:pk>/questions/", cases.AskView.as_view(), name="oversight-case-ask"),
    path(
        "oversight/cases/<int:pk>/questions/<int:question_pk>/answer/",
        cases.AnswerView.as_view(),
        name="oversight-case-answer",
    ),
    path("oversight/cases/<int:pk>/conclusion/", cases.ConcludeView.as_view(), name="oversight-case-conclude"),
    path("oversight/cases/<int:pk>/remedy/", cases.RemedyView.as_view(), name="oversight-case-remedy"),
    path("oversight/cases/<int:pk>/close/", cases.CloseView.as_view(), name="oversight-case-close"),
    path(
        "public/audit-checkpoints/",
        checkpoints.PublishedCheckpointsView.as_view(),
        name="public-audit-checkpoints",
    ),
    path("oversight/flags/", flags.FlagListView.as_view(), name="oversight-flags"),
    path("oversight/flags/<int:pk>/dismiss/", flags.FlagDismissView.as_view(), name="oversight-flag-dismiss"),
    path("oversight/statistics/", statistics.StatisticsView.as_view(), name="oversight-statistics"),
    path("oversight/statistics/figures/", statistics.FiguresView.as_view(), name="oversight-statistics-figures"),
    path("oversight/statistics/refresh/", statistics.RefreshView.as_view(), name="oversight-statistics-refresh"),
    path(
        "oversight/statistics/refresh/<int:pk>/",
        statistics.RefreshDetailView.as_view(),
        name="oversight-statistics-refresh-detail",
    ),
    path("public/statistics/", statistics.PublicStatisticsView.as_view(), name="public-statistics"),
]
