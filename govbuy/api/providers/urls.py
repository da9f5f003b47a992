"""URLs of the providers API (included once by govbuy/api/urls.py; names and paths are part of the API)."""

from __future__ import annotations

from django.urls import path

from govbuy.api.providers import views

urlpatterns = [
    path("provider-directory/", views.DirectoryListView.as_view(), name="provider-directory"),
    path("provider-directory/<int:pk>/", views.DirectoryDetailView.as_view(), name="provider-directory-detail"),
    path("provider-registrations/", views.RegistrationView.as_view(), name="provider-registration"),
    path("providers/", views.ProviderListView.as_view(), name="provider-list"),
    path("providers/report.xlsx", views.ReportView.as_view(), name="provider-report"),
    path("providers/<int:pk>/", views.ProviderDetailView.as_view(), name="provider-detail"),
    path("providers/<int:pk>/verify/", views.VerifyView.as_view(), name="provider-verify"),
    path("providers/<int:pk>/suspend/", views.SuspendView.as_view(), name="provider-suspend"),
    path("providers/<int:pk>/reinstate/", views.ReinstateView.as_view(), name="provider-reinstate"),
    path("providers/<int:pk>/sections/<str:condition>/", views.SectionView.as_view(), name="provider-section"),
    path(
        "providers/<int:pk>/sections/<str:condition>/submit/",
        views.SubmitSectionView.as_view(),
        name="provider-section-submit",
    ),
    path(
        "providers/<int:pk>/sections/<str:condition>/declaration/",
        views.DeclarationView.as_view(),
        name="provider-section-declaration",
    ),
    path(
        "providers/<int:pk>/sections/<str:condition>/decide/",
        views.DecideSectionView.as_view(),
        name="provider-section-decide",
    ),
    path(
        "providers/<int:pk>/sections/<str:condition>/documents/",
        views.DocumentUploadView.as_view(),
        name="provider-section-documents",
    ),
    path(
        "providers/<int:pk>/sections/<str:condition>/staff/",
        views.StaffAddView.as_view(),
        name="provider-section-staff",
    ),
    path(
        "providers/<int:pk>/documents/<int:document_id>/",
        views.DocumentDownloadView.as_view(),
        name="provider-document",
    ),
    path(
        "providers/<int:pk>/documents/<int:document_id>/withdraw/",
        views.DocumentWithdrawView.as_view(),
        name="provider-document-withdraw",
    ),
    path(
        "providers/<int:pk>/staff/<int:staff_id>/remove/", views.StaffRemoveView.as_view(), name="provider-staff-remove"
    ),
    path("providers/<int:pk>/related-parties/", views.RelatedPartyListView.as_view(), name="provider-related-parties"),
    path(
        "providers/<int:pk>/related-parties/<int:relation_id>/end/",
        views.RelatedPartyEndView.as_view(),
        name="provider-related-party-end",
    ),
    path("providers/<int:pk>/service-areas/", views.ServiceAreaListView.as_view(), name="provider-service-areas"),
    path(
        "providers/<int:pk>/service-areas/<int:area_id>/remove/",
        views.ServiceAreaRemoveView.as_view(),
        name="provider-service-area-remove",
    ),
    path("project-conditions/", views.ConditionListView.as_view(), name="project-conditions"),
    path("project-conditions/<int:pk>/", views.ConditionDetailView.as_view(), name="project-condition"),
    path("project-conditions/<int:pk>/decide/", views.ConditionDecideView.as_view(), name="project-condition-decide"),
    path(
        "project-conditions/<int:pk>/withdraw/",
        views.ConditionWithdrawView.as_view(),
        name="project-condition-withdraw",
    ),
    path("condition-patterns/", views.PatternListView.as_view(), name="condition-patterns"),
    path("condition-patterns/<int:pk>/", views.PatternDetailView.as_view(), name="condition-pattern"),
]
