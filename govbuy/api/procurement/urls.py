"""URLs of the procurement API (included once by govbuy/api/urls.py; names and paths are part of the API)."""

from __future__ import annotations

from django.urls import path

from govbuy.api.procurement import awards, clarifications, views

urlpatterns = [
    path("procurement/experts/", views.ExpertListView.as_view(), name="procurement-experts"),
    path("procurement/tenders/<int:pk>/evaluation/", views.EvaluationView.as_view(), name="procurement-evaluation"),
    path("procurement/bid-documents/<int:pk>/", views.BidDocumentView.as_view(), name="procurement-bid-document"),
    path("procurement/tenders/<int:pk>/evaluation/panel/", views.PanelDrawView.as_view(), name="procurement-panel"),
    path(
        "procurement/tenders/<int:pk>/evaluation/declaration/",
        views.DeclarationView.as_view(),
        name="procurement-declaration",
    ),
    path(
        "procurement/tenders/<int:pk>/evaluation/bids/<int:bid_pk>/scores/",
        views.ScoresView.as_view(),
        name="procurement-scores",
    ),
    path(
        "procurement/tenders/<int:pk>/evaluation/bids/<int:bid_pk>/disqualify/",
        views.DisqualifyView.as_view(),
        name="procurement-disqualify",
    ),
    path(
        "procurement/tenders/<int:pk>/evaluation/complete/",
        views.EvaluationCompleteView.as_view(),
        name="procurement-evaluation-complete",
    ),
    path(
        "procurement/tenders/<int:pk>/evaluation/bids/<int:bid_pk>/credit-check/",
        views.CreditCheckView.as_view(),
        name="procurement-credit-check",
    ),
    path("procurement/methods/", views.MethodListView.as_view(), name="procurement-methods"),
    path("procurement/methods/<int:pk>/", views.MethodDetailView.as_view(), name="procurement-method"),
    path("procurement/tenders/", views.TenderListView.as_view(), name="procurement-tenders"),
    path("procurement/tenders/<int:pk>/", views.TenderDetailView.as_view(), name="procurement-tender"),
    path("procurement/tenders/<int:pk>/publish/", views.TenderPublishView.as_view(), name="procurement-tender-publish"),
    path("procurement/tenders/<int:pk>/cancel/", views.TenderCancelView.as_view(), name="procurement-tender-cancel"),
    path(
        "procurement/tenders/<int:pk>/documents/",
        views.TenderDocumentView.as_view(),
        name="procurement-tender-documents",
    ),
    path(
        "procurement/tenders/<int:pk>/method-change/",
        views.MethodChangeView.as_view(),
        name="procurement-tender-method-change",
    ),
    path("procurement/tenders/<int:pk>/bids/", views.TenderBidsView.as_view(), name="procurement-tender-bids"),
    path("procurement/tenders/<int:pk>/opening/", views.OpeningView.as_view(), name="procurement-tender-opening"),
    path("procurement/bids/<int:pk>/withdraw/", views.BidWithdrawView.as_view(), name="procurement-bid-withdraw"),
    path("public/tenders/", views.PublicTenderListView.as_view(), name="public-tenders"),
    path("public/tenders/<int:pk>/", views.PublicTenderDetailView.as_view(), name="public-tender"),
    *clarifications.urlpatterns,
    *awards.urlpatterns,
]
