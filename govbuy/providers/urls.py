from django.urls import path

from govbuy.providers import views, views_conditions

app_name = "providers"
urlpatterns = [
    path("directory/", views.directory, name="directory"),
    path("directory/<int:pk>/", views.directory_detail, name="directory_detail"),
    path("register/", views.register, name="register"),
    path("", views.provider_list, name="list"),
    path("mine/", views.mine, name="mine"),
    path("report.xlsx", views_conditions.authority_report, name="report"),
    path("<int:pk>/", views.provider_detail, name="detail"),
    path("<int:pk>/edit/", views.provider_edit, name="edit"),
    path("<int:pk>/verify/", views.provider_verify, name="verify"),
    path("<int:pk>/suspend/", views.provider_suspend, name="suspend"),
    path("<int:pk>/reinstate/", views.provider_reinstate, name="reinstate"),
    path("<int:pk>/related/", views.relation_add, name="relation_add"),
    path("<int:pk>/related/<int:relation_id>/end/", views.relation_end, name="relation_end"),
    path("<int:pk>/service-areas/", views.area_add, name="area_add"),
    path("<int:pk>/service-areas/<int:area_id>/remove/", views.area_remove, name="area_remove"),
    path("<int:pk>/sections/<str:condition>/", views.section_detail, name="section"),
    path("<int:pk>/sections/<str:condition>/statement/", views.section_statement, name="section_statement"),
    path("<int:pk>/sections/<str:condition>/documents/", views.section_document, name="section_document"),
    path("<int:pk>/sections/<str:condition>/staff/", views.section_staff, name="section_staff"),
    path("<int:pk>/sections/<str:condition>/declaration/", views.section_declaration, name="section_declaration"),
    path("<int:pk>/sections/<str:condition>/submit/", views.section_submit, name="section_submit"),
    path("<int:pk>/sections/<str:condition>/decide/", views.section_decide, name="section_decide"),
    path("<int:pk>/documents/<int:document_id>/", views.document_download, name="document"),
    path("<int:pk>/documents/<int:document_id>/withdraw/", views.document_withdraw, name="document_withdraw"),
    path("<int:pk>/staff/<int:staff_id>/remove/", views.staff_remove, name="staff_remove"),
    path("conditions/", views_conditions.condition_list, name="conditions"),
    path("conditions/<int:pk>/", views_conditions.condition_detail, name="condition"),
    path("conditions/<int:pk>/decide/", views_conditions.condition_decide, name="condition_decide"),
    path("conditions/<int:pk>/withdraw/", views_conditions.condition_withdraw, name="condition_withdraw"),
    path("condition-patterns/", views_conditions.pattern_list, name="patterns"),
    path("condition-patterns/<int:pk>/", views_conditions.pattern_edit, name="pattern_edit"),
]
