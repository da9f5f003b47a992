from django.urls import path

from govbuy.credit.views import staff

app_name = "credit"
urlpatterns = [
    path("", staff.workspace, name="workspace"),
    path("mine/", staff.mine, name="mine"),
    path("providers/<int:pk>/", staff.provider_record, name="provider"),
    path("facts/new/", staff.enter_fact, name="enter_fact"),
    path("facts/<int:pk>/confirm/", staff.confirm_fact, name="confirm_fact"),
    path("facts/<int:pk>/object/", staff.object_to_fact, name="object"),
    path("objections/<int:pk>/decide/", staff.decide_objection, name="decide_objection"),
    path("bans/new/", staff.decide_ban, name="decide_ban"),
    path("lists/import/", staff.import_list, name="import_list"),
    path("reports/", staff.report_list, name="reports"),
    path("reports/<int:pk>.<str:fmt>", staff.report_download, name="report_download"),
    path("tenders/<int:pk>/checks/", staff.tender_checks, name="tender_checks"),
    path("tenders/<int:pk>/checks/<str:action>/", staff.check_action, name="check_action"),
]
