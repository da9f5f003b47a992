from django.urls import path

from govbuy.catalog.views import public, staff

app_name = "catalog"
urlpatterns = [
    path("", public.index, name="index"),
    path("negative-list/", public.negative_list, name="negative_list"),
    path("negative-list/new/", staff.matter_add, name="matter_add"),
    path("negative-list/<int:pk>/edit/", staff.matter_edit, name="matter_edit"),
    path("manage/", staff.manage, name="manage"),
    path("manage/new/", staff.draft_create, name="draft_create"),
    path("manage/import/", staff.import_view, name="import"),
    path("manage/imports/<int:pk>/", staff.import_job, name="import_job"),
    path("filings/", staff.filings, name="filings"),
    path("filings/<int:pk>/", staff.filing_detail, name="filing"),
    path("filings/<int:pk>/acknowledge/", staff.filing_acknowledge, name="filing_acknowledge"),
    path("filings/<int:pk>/return/", staff.filing_return, name="filing_return"),
    path("<str:region_code>/", public.region_catalog, name="region"),
    path("<str:region_code>/versions/", public.region_history, name="history"),
    path("<str:region_code>/<int:number>/", public.version_detail, name="version"),
    path("<str:region_code>/<int:number>/diff/", public.version_diff, name="diff"),
    path("<str:region_code>/<int:number>/export.xlsx", public.version_export, name="export"),
    path("<str:region_code>/<int:number>/settings/", staff.draft_settings, name="draft_settings"),
    path("<str:region_code>/<int:number>/publish/", staff.publish, name="publish"),
    path("<str:region_code>/<int:number>/discard/", staff.discard, name="discard"),
    path("<str:region_code>/<int:number>/comments/", staff.comment, name="comment"),
    path("<str:region_code>/<int:number>/file/", staff.file_version, name="file"),
    path("<str:region_code>/<int:number>/add-item/", staff.item_add, name="item_add"),
    path("<str:region_code>/<int:number>/items/<str:code>/", public.item_detail, name="item"),
    path("<str:region_code>/<int:number>/items/<str:code>/edit/", staff.item_edit, name="item_edit"),
    path("<str:region_code>/<int:number>/items/<str:code>/remove/", staff.item_remove, name="item_remove"),
]
