from django.urls import path

from govbuy.procurement import views, views_awards, views_evaluation

app_name = "procurement"

urlpatterns = [
    path("tenders/", views.tender_list, name="tenders"),
    path("projects/<int:project_pk>/tender/", views.tender_create, name="tender_create"),
    path("tenders/<int:pk>/", views.tender_detail, name="tender"),
    path("tenders/<int:pk>/publish/", views.tender_publish, name="tender_publish"),
    path("tenders/<int:pk>/cancel/", views.tender_cancel, name="tender_cancel"),
    path("tenders/<int:pk>/documents/", views.tender_document, name="tender_document"),
    path("tenders/<int:pk>/opening/initiate/", views.opening_initiate, name="opening_initiate"),
    path("tenders/<int:pk>/opening/confirm/", views.opening_confirm, name="opening_confirm"),
    path("tenders/<int:pk>/opening/record/", views.opening_record, name="opening_record"),
    path("tenders/<int:pk>/method-change/", views.method_change, name="method_change"),
    path("tenders/<int:pk>/bid/", views.bid_submit, name="bid_submit"),
    path("tenders/<int:pk>/clarifications/ask/", views.clarification_ask, name="clarification_ask"),
    path(
        "tenders/<int:pk>/clarifications/<int:clarification_pk>/answer/",
        views.clarification_answer,
        name="clarification_answer",
    ),
    path("tenders/<int:pk>/clarifications/notice/", views.clarification_notice, name="clarification_notice"),
    path("bids/<int:pk>/withdraw/", views.bid_withdraw, name="bid_withdraw"),
    path("bid-documents/<int:pk>/", views.bid_document, name="bid_document"),
    path("tenders/<int:pk>/evaluation/", views_evaluation.evaluation_page, name="evaluation"),
    path("tenders/<int:pk>/evaluation/panel/", views_evaluation.panel_draw, name="panel_draw"),
    path("tenders/<int:pk>/evaluation/declaration/", views_evaluation.panel_declare, name="panel_declare"),
    path("tenders/<int:pk>/evaluation/bids/<int:bid_pk>/scores/", views_evaluation.bid_score, name="bid_score"),
    path(
        "tenders/<int:pk>/evaluation/bids/<int:bid_pk>/disqualify/",
        views_evaluation.bid_disqualify,
        name="bid_disqualify",
    ),
    path("tenders/<int:pk>/evaluation/complete/", views_evaluation.evaluation_complete, name="evaluation_complete"),
    path("tenders/<int:pk>/evaluation/report/", views_evaluation.evaluation_report, name="evaluation_report"),
    path(
        "tenders/<int:pk>/evaluation/bids/<int:bid_pk>/credit-check/",
        views_evaluation.credit_check,
        name="credit_check",
    ),
    path("tenders/<int:pk>/awards/", views_awards.award_page, name="awards"),
    path("tenders/<int:pk>/awards/propose/", views_awards.award_propose, name="award_propose"),
    path("tenders/<int:pk>/awards/<int:award_pk>/confirm/", views_awards.award_confirm, name="award_confirm"),
    path("tenders/<int:pk>/challenges/", views_awards.challenge_page, name="challenges"),
    path("tenders/<int:pk>/challenges/lodge/", views_awards.challenge_lodge, name="challenge_lodge"),
    path(
        "tenders/<int:pk>/challenges/<int:challenge_pk>/answer/",
        views_awards.challenge_answer,
        name="challenge_answer",
    ),
    path(
        "tenders/<int:pk>/challenges/<int:challenge_pk>/complaint/",
        views_awards.complaint_lodge,
        name="complaint_lodge",
    ),
    path(
        "tenders/<int:pk>/complaints/<int:complaint_pk>/decide/",
        views_awards.complaint_decide,
        name="complaint_decide",
    ),
    path("experts/", views_evaluation.expert_list, name="experts"),
    path("experts/<int:pk>/toggle/", views_evaluation.expert_toggle, name="expert_toggle"),
    path("methods/", views.method_list, name="methods"),
    path("methods/<int:pk>/", views.method_edit, name="method_edit"),
]
