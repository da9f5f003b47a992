from django.urls import path

from govbuy.catalog import staff_views, views

app_name = "catalog"
urlpatterns = [
    path("", views.index, name="index"),
    path("negative-list/", views.negative_list, name="negative_list"),
    path("negative-list/new/", staff_views.matter_add, name="matter_add"),
    path("negative-list/<int:pk>/edit/", staff_views.matter_edit, name="matter_edit"),
    path("manage/", staff_views.manage, name="manage"),
    path("manage/new/", staff_views.draft_create, name="draft_create"),
    path("manage/import/", staff_views.import_view, name="import"),
    path("manage/imports/<int:pk>/", staff_views.import_job, name="import_job"),
    path("filings/", staff_views.filings, name="filings"),
    path("filings/<int:pk>/", staff_views.filing_detail, name="filing"),
    path("filings/<int:pk>/acknowledge/", staff_views.filing_acknowledge, name="filing_acknowledge"),
    path("filings/<int:pk>/return/", staff_views.filing_return, name="filing_return"),
    path("<str:region_code>/", views.region_catalog, name="region"),
    path("<str:region_code>/versions/", views.region_history, name="history"),
    path("<str:region_code>/<int:number>/", views.version_detail, name="version"),
    path("<str:region_code>/<int:number>/diff/", views.version_diff, name="diff"),
    path("<str:region_code>/<int:number>/export.xlsx", views.version_export, name="export"),
    path("<str:region_code>/<int:number>/settings/", staff_views.draft_settings, name="draft_settings"),
    path("<str:region_code>/<int:number>/publish/", staff_views.publish, name="publish"),
    path("<str:region_code>/<int:number>/discard/", staff_views.discard, name="discard"),
    path("<str:region_code>/<int:number>/comments/", staff_views.comment, name="comment"),
    path("<str:region_code>/<int:number>/file/", staff_views.file_version, name="file"),
    path("<str:region_code>/<int:number>/add-item/", staff_views.item_add, name="item_add"),
    path("<str:region_code>/<int:number>/items/<str:code>/", views.item_detail, name="item"),
    path("<str:region_code>/<int:number>/items/<str:code>/edit/", staff_views.item_edit, name="item_edit"),
    path("<str:region_code>/<int:number>/items/<str:code>/remove/", staff_views.item_remove, name="item_remove"),
]
