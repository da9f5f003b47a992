from django.urls import path

from govbuy.procurement.views import awards, evaluation, tenders

app_name = "procurement"

urlpatterns = [
    path("tenders/", tenders.tender_list, name="tenders"),
    path("projects/<int:project_pk>/tender/", tenders.tender_create, name="tender_create"),
    path("tenders/<int:pk>/", tenders.tender_detail, name="tender"),
    path("tenders/<int:pk>/publish/", tenders.tender_publish, name="tender_publish"),
    path("tenders/<int:pk>/cancel/", tenders.tender_cancel, name="tender_cancel"),
    path("tenders/<int:pk>/documents/", tenders.tender_document, name="tender_document"),
    path("tenders/<int:pk>/opening/initiate/", tenders.opening_initiate, name="opening_initiate"),
    path("tenders/<int:pk>/opening/confirm/", tenders.opening_confirm, name="opening_confirm"),
    path("tenders/<int:pk>/opening/record/", tenders.opening_record, name="opening_record"),
    path("tenders/<int:pk>/method-change/", tenders.method_change, name="method_change"),
    path("tenders/<int:pk>/bid/", tenders.bid_submit, name="bid_submit"),
    path("tenders/<int:pk>/clarifications/ask/", tenders.clarification_ask, name="clarification_ask"),
    path(
        "tenders/<int:pk>/clarifications/<int:clarification_pk>/answer/",
        tenders.clarification_answer,
        name="clarification_answer",
    ),
    path("tenders/<int:pk>/clarifications/notice/", tenders.clarification_notice, name="clarification_notice"),
    path("bids/<int:pk>/withdraw/", tenders.bid_withdraw, name="bid_withdraw"),
    path("bid-documents/<int:pk>/", tenders.bid_document, name="bid_document"),
    path("tenders/<int:pk>/evaluation/", evaluation.evaluation_page, name="evaluation"),
    path("tenders/<int:pk>/evaluation/panel/", evaluation.panel_draw, name="panel_draw"),
    path("tenders/<int:pk>/evaluation/declaration/", evaluation.panel_declare, name="panel_declare"),
    path("tenders/<int:pk>/evaluation/bids/<int:bid_pk>/scores/", evaluation.bid_score, name="bid_score"),
    path(
        "tenders/<int:pk>/evaluation/bids/<int:bid_pk>/disqualify/",
        evaluation.bid_disqualify,
        name="bid_disqualify",
    ),
    path("tenders/<int:pk>/evaluation/complete/", evaluation.evaluation_complete, name="evaluation_complete"),
    path("tenders/<int:pk>/evaluation/report/", evaluation.evaluation_report, name="evaluation_report"),
    path(
        "tenders/<int:pk>/evaluation/bids/<int:bid_pk>/credit-check/",
        evaluation.credit_check,
        name="credit_check",
    ),
    path("tenders/<int:pk>/awards/", awards.award_page, name="awards"),
    path("tenders/<int:pk>/awards/propose/", awards.award_propose, name="award_propose"),
    path("tenders/<int:pk>/awards/<int:award_pk>/confirm/", awards.award_confirm, name="award_confirm"),
    path("tenders/<int:pk>/awards/<int:award_pk>/refusal/", awards.award_refusal_record, name="award_refusal_record"),
    path(
        "tenders/<int:pk>/awards/<int:award_pk>/refusal/confirm/",
        awards.award_refusal_confirm,
        name="award_refusal_confirm",
    ),
    path(
        "tenders/<int:pk>/awards/<int:award_pk>/refusal/withdraw/",
        awards.award_refusal_withdraw,
        name="award_refusal_withdraw",
    ),
    path(
        "tenders/<int:pk>/awards/<int:award_pk>/refusal/evidence/",
        awards.award_refusal_evidence,
        name="award_refusal_evidence",
    ),
    path("tenders/<int:pk>/challenges/", awards.challenge_page, name="challenges"),
    path("tenders/<int:pk>/challenges/lodge/", awards.challenge_lodge, name="challenge_lodge"),
    path(
        "tenders/<int:pk>/challenges/<int:challenge_pk>/answer/",
        awards.challenge_answer,
        name="challenge_answer",
    ),
    path(
        "tenders/<int:pk>/challenges/<int:challenge_pk>/complaint/",
        awards.complaint_lodge,
        name="complaint_lodge",
    ),
    path(
        "tenders/<int:pk>/complaints/<int:complaint_pk>/decide/",
        awards.complaint_decide,
        name="complaint_decide",
    ),
    path("experts/", evaluation.expert_list, name="experts"),
    path("experts/<int:pk>/toggle/", evaluation.expert_toggle, name="expert_toggle"),
    path("methods/", tenders.method_list, name="methods"),
    path("methods/<int:pk>/", tenders.method_edit, name="method_edit"),
]
