from django.urls import path

from govbuy.api.credit import views

urlpatterns = [
    path("credit/bans/", views.PublicBanListView.as_view(), name="credit-public-bans"),
    path("credit/public/providers/<int:pk>/", views.PublicRecordView.as_view(), name="credit-public-record"),
    path("credit/providers/<int:pk>/", views.RecordView.as_view(), name="credit-record"),
    path("credit/facts/", views.FactCreateView.as_view(), name="credit-facts"),
    path("credit/facts/<int:pk>/confirm/", views.FactConfirmView.as_view(), name="credit-fact-confirm"),
    path("credit/facts/<int:pk>/objections/", views.ObjectionCreateView.as_view(), name="credit-objection-create"),
    path("credit/objections/", views.ObjectionListView.as_view(), name="credit-objections"),
    path("credit/objections/<int:pk>/decide/", views.ObjectionDecideView.as_view(), name="credit-objection-decide"),
    path("credit/bans/decide/", views.BanCreateView.as_view(), name="credit-ban-create"),
    path("credit/lists/", views.ListImportView.as_view(), name="credit-list-import"),
    path("credit/reports/", views.ReportListView.as_view(), name="credit-reports"),
    path("credit/reports/<int:pk>/", views.ReportDetailView.as_view(), name="credit-report"),
    path("credit/tenders/<int:pk>/checks/", views.TenderChecksView.as_view(), name="credit-tender-checks"),
    path(
        "credit/tenders/<int:pk>/checks/<int:check_id>/",
        views.CheckActionView.as_view(),
        name="credit-tender-check-action",
    ),
]
