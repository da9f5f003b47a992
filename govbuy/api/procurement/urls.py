"""URLs of the procurement API (included once by govbuy/api/urls.py; names and paths are part of the API)."""

from __future__ import annotations

from django.urls import path

from govbuy.api.procurement import awards, clarifications
from govbuy.api.procurement.views import (
    BidWithdrawView,
    CreditCheckView,
    DeclarationView,
    DisqualifyView,
    EvaluationCompleteView,
    EvaluationView,
    ExpertListView,
    MethodChangeView,
    MethodDetailView,
    MethodListView,
    OpeningView,
    PanelDrawView,
    PublicTenderDetailView,
    PublicTenderListView,
    ScoresView,
    TenderBidsView,
    TenderCancelView,
    TenderDetailView,
    TenderDocumentView,
    TenderListView,
    TenderPublishView,
)

urlpatterns = [
    path("procurement/experts/", ExpertListView.as_view(), name="procurement-experts"),
    path("procurement/tenders/<int:pk>/evaluation/", EvaluationView.as_view(), name="procurement-evaluation"),
    path("procurement/tenders/<int:pk>/evaluation/panel/", PanelDrawView.as_view(), name="procurement-panel"),
    path(
        "procurement/tenders/<int:pk>/evaluation/declaration/",
        DeclarationView.as_view(),
        name="procurement-declaration",
    ),
    path(
        "procurement/tenders/<int:pk>/evaluation/bids/<int:bid_pk>/scores/",
        ScoresView.as_view(),
        name="procurement-scores",
    ),
    path(
        "procurement/tenders/<int:pk>/evaluation/bids/<int:bid_pk>/disqualify/",
        DisqualifyView.as_view(),
        name="procurement-disqualify",
    ),
    path(
        "procurement/tenders/<int:pk>/evaluation/complete/",
        EvaluationCompleteView.as_view(),
        name="procurement-evaluation-complete",
    ),
    path(
        "procurement/tenders/<int:pk>/evaluation/bids/<int:bid_pk>/credit-check/",
        CreditCheckView.as_view(),
        name="procurement-credit-check",
    ),
    path("procurement/methods/", MethodListView.as_view(), name="procurement-methods"),
    path("procurement/methods/<int:pk>/", MethodDetailView.as_view(), name="procurement-method"),
    path("procurement/tenders/", TenderListView.as_view(), name="procurement-tenders"),
    path("procurement/tenders/<int:pk>/", TenderDetailView.as_view(), name="procurement-tender"),
    path("procurement/tenders/<int:pk>/publish/", TenderPublishView.as_view(), name="procurement-tender-publish"),
    path("procurement/tenders/<int:pk>/cancel/", TenderCancelView.as_view(), name="procurement-tender-cancel"),
    path("procurement/tenders/<int:pk>/documents/", TenderDocumentView.as_view(), name="procurement-tender-documents"),
    path(
        "procurement/tenders/<int:pk>/method-change/",
        MethodChangeView.as_view(),
        name="procurement-tender-method-change",
    ),
    path("procurement/tenders/<int:pk>/bids/", TenderBidsView.as_view(), name="procurement-tender-bids"),
    path("procurement/tenders/<int:pk>/opening/", OpeningView.as_view(), name="procurement-tender-opening"),
    path("procurement/bids/<int:pk>/withdraw/", BidWithdrawView.as_view(), name="procurement-bid-withdraw"),
    path("public/tenders/", PublicTenderListView.as_view(), name="public-tenders"),
    path("public/tenders/<int:pk>/", PublicTenderDetailView.as_view(), name="public-tender"),
    *clarifications.urlpatterns,
    *awards.urlpatterns,
]
