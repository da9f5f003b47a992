from django.urls import path

from govbuy.disclosure import views

app_name = "disclosure"
urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("ocds/", views.ocds_index, name="ocds-policy"),
    path("ocds/releases", views.ocds_releases, name="ocds-releases"),
    path("ocds/feed", views.ocds_feed, name="ocds-feed"),
    path("ocds/records/<str:ocid>", views.ocds_record, name="ocds-record"),
    path("ocds/extension/<str:name>", views.ocds_extension, name="ocds-extension"),
]
