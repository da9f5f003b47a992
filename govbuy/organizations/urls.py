from django.urls import path

from govbuy.organizations import views

app_name = "organizations"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("new/", views.organisation_create, name="create"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/edit/", views.organisation_edit, name="edit"),
    path("<int:pk>/contacts/", views.organisation_contacts, name="contacts"),
    path("<int:pk>/deactivate/", views.organisation_deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", views.organisation_reactivate, name="reactivate"),
    path("<int:pk>/review-uscc/", views.organisation_review_uscc, name="review_uscc"),
    path("<int:pk>/members/", views.member_list, name="members"),
    path("<int:pk>/members/<int:membership_id>/role/", views.member_role, name="member_role"),
    path("<int:pk>/members/<int:membership_id>/remove/", views.member_remove, name="member_remove"),
    path("regions/", views.region_list, name="regions"),
    path("uscc-check/", views.uscc_check, name="uscc_check"),
]
