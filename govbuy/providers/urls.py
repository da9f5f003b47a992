from django.urls import path

from govbuy.providers.views import conditions, public, staff

app_name = "providers"
urlpatterns = [
    path("directory/", public.directory, name="directory"),
    path("directory/<int:pk>/", public.directory_detail, name="directory_detail"),
    path("register/", public.register, name="register"),
    path("", staff.provider_list, name="list"),
    path("mine/", staff.mine, name="mine"),
    path("report.xlsx", conditions.authority_report, name="report"),
    path("<int:pk>/", staff.provider_detail, name="detail"),
    path("<int:pk>/edit/", staff.provider_edit, name="edit"),
    path("<int:pk>/verify/", staff.provider_verify, name="verify"),
    path("<int:pk>/suspend/", staff.provider_suspend, name="suspend"),
    path("<int:pk>/reinstate/", staff.provider_reinstate, name="reinstate"),
    path("<int:pk>/related/", staff.relation_add, name="relation_add"),
    path("<int:pk>/related/<int:relation_id>/end/", staff.relation_end, name="relation_end"),
    path("<int:pk>/service-areas/", staff.area_add, name="area_add"),
    path("<int:pk>/service-areas/<int:area_id>/remove/", staff.area_remove, name="area_remove"),
    path("<int:pk>/sections/<str:condition>/", staff.section_detail, name="section"),
    path("<int:pk>/sections/<str:condition>/statement/", staff.section_statement, name="section_statement"),
    path("<int:pk>/sections/<str:condition>/documents/", staff.section_document, name="section_document"),
    path("<int:pk>/sections/<str:condition>/staff/", staff.section_staff, name="section_staff"),
    path("<int:pk>/sections/<str:condition>/declaration/", staff.section_declaration, name="section_declaration"),
    path("<int:pk>/sections/<str:condition>/submit/", staff.section_submit, name="section_submit"),
    path("<int:pk>/sections/<str:condition>/decide/", staff.section_decide, name="section_decide"),
    path("<int:pk>/documents/<int:document_id>/", staff.document_download, name="document"),
    path("<int:pk>/documents/<int:document_id>/withdraw/", staff.document_withdraw, name="document_withdraw"),
    path("<int:pk>/staff/<int:staff_id>/remove/", staff.staff_remove, name="staff_remove"),
    path("conditions/", conditions.condition_list, name="conditions"),
    path("conditions/<int:pk>/", conditions.condition_detail, name="condition"),
    path("conditions/<int:pk>/decide/", conditions.condition_decide, name="condition_decide"),
    path("conditions/<int:pk>/withdraw/", conditions.condition_withdraw, name="condition_withdraw"),
    path("condition-patterns/", conditions.pattern_list, name="patterns"),
    path("condition-patterns/<int:pk>/", conditions.pattern_edit, name="pattern_edit"),
]
